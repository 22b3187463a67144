"""Settings: every declared setting is read by the code, and a configured 0 (or empty text) is a value."""

from __future__ import annotations

import ast
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from webapp.settings import SETTINGS, config_from_env

from ..conftest import ROOT


def is_config(node: ast.expr) -> bool:
    """`config`, `app.config`, `self.config`, `current_app.config`, ..."""
    return (isinstance(node, ast.Name) and node.id == "config") or (
        isinstance(node, ast.Attribute) and node.attr == "config"
    )


def reads(source: str) -> set[str]:
    """The names read as config["NAME"] or config.get("NAME") in code: comments, docstrings and other
    strings that merely mention a setting do not count."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        key: ast.expr | None = None
        if isinstance(node, ast.Subscript) and is_config(node.value):
            key = node.slice
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and is_config(node.func.value)
            and node.args
        ):
            key = node.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    return names


@pytest.fixture(scope="module")
def read_by_code() -> set[str]:
    return {name for p in (ROOT / "webapp").rglob("*.py") for name in reads(p.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_declared_setting_is_read_somewhere(setting, read_by_code: set[str]) -> None:
    assert setting.name in read_by_code, f"{setting.name} is declared in webapp/settings.py but never read"


def test_a_setting_only_mentioned_does_not_count_as_read() -> None:
    source = '''
"""Uses config["IN_A_DOCSTRING"]."""
# config["IN_A_COMMENT"]
text = 'config["IN_A_STRING"]'
other["NOT_CONFIG"]
value = app.config["READ"] + current_app.config.get("ALSO_READ", 1) + self.config["READ_TOO"]
'''
    assert reads(source) == {"READ", "ALSO_READ", "READ_TOO"}


def test_public_url_is_scheme_and_host_only() -> None:
    assert config_from_env({"DICHTBIJ_PUBLIC_URL": "https://dichtbij.example.nl/"})["PUBLIC_URL"] == (
        "https://dichtbij.example.nl"
    )
    for wrong in ("dichtbij.example.nl", "https://dichtbij.example.nl/pad", "ftp://x", "https://x/?a=1"):
        with pytest.raises(ValueError, match="DICHTBIJ_PUBLIC_URL"):
            config_from_env({"DICHTBIJ_PUBLIC_URL": wrong})


def test_an_empty_number_is_the_default_and_an_empty_text_is_empty() -> None:
    config = config_from_env({"DICHTBIJ_TILE_URL": "", "DICHTBIJ_RATE_LIMIT_PER_MINUTE": ""})
    assert config["TILE_URL"] == ""
    assert config["RATE_LIMIT_PER_MINUTE"] == 30


def test_zero_is_read_as_zero() -> None:
    names = ("RATE_LIMIT_PER_MINUTE", "CONTENT_POLL_SECONDS", "QUERY_CACHE_SIZE", "COUNTS_FLUSH_SECONDS")
    config = config_from_env({f"DICHTBIJ_{name}": "0" for name in names})
    assert all(config[name] == 0 for name in names)


def test_rate_limit_zero_turns_the_limit_off(make_app) -> None:
    client = make_app(RATE_LIMIT_PER_MINUTE=0).test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.5"
    assert all(client.get("/api/v1/ask?q=buurthuis").status_code == 200 for _ in range(5))


def test_content_poll_zero_turns_polling_off(make_app, content_dir: Path, write_entry) -> None:
    operator = make_app(CONTENT_DIR=str(content_dir))
    assert operator.test_client().get("/readyz").get_json()["content"] == 1
    worker = make_app(CONTENT_DIR=str(content_dir), LOAD_ON_START=False, CONTENT_POLL_SECONDS=0)
    client = worker.test_client()
    assert client.get("/readyz").get_json()["content"] == 1
    write_entry("oss-tweede", replace={"titel: Taalcafé in de bibliotheek": "titel: Buurtkamer koffie"})
    assert operator.test_cli_runner().invoke(args=["content", "reload"]).exit_code == 0
    for _ in range(5):
        assert client.get("/readyz").get_json()["content"] == 1
        time.sleep(0.1)


@pytest.mark.parametrize(("size", "embedded"), [(0, 3), (2048, 1)])
def test_query_cache_size_zero_disables_the_cache(make_app, monkeypatch, size: int, embedded: int) -> None:
    from webapp import searching

    asked: list[str] = []

    def embed_query(text: str) -> np.ndarray:
        asked.append(text)
        return np.ones(2)

    inner = SimpleNamespace(
        model_id="counting",
        dim=2,
        embed_query=embed_query,
        embed_passages=lambda texts: np.ones((len(texts), 2)),
    )
    monkeypatch.setattr(searching, "try_load_embedder", lambda spec: inner)
    app = make_app(EMBEDDER="counting", QUERY_CACHE_SIZE=size)
    with app.app_context():
        embedder = searching.search_service().embedder
        assert embedder is not None
        for _ in range(3):
            embedder.embed_query("waar is een buurthuis")
    assert len(asked) == embedded


def test_example_tiles_never_pay_the_model_twice(make_app, monkeypatch) -> None:
    from webapp import searching
    from webapp.site.home import example_questions

    asked: list[str] = []

    def embed_query(text: str) -> np.ndarray:
        asked.append(text)
        return np.ones(2)

    inner = SimpleNamespace(
        model_id="counting",
        dim=2,
        embed_query=embed_query,
        embed_passages=lambda texts: np.ones((len(texts), 2)),
    )
    monkeypatch.setattr(searching, "try_load_embedder", lambda spec: inner)
    app = make_app(EMBEDDER="counting", QUERY_CACHE_SIZE=2)
    with app.app_context():
        examples = example_questions()
        assert len(examples) >= 4 * 6  # every example in every language of the site
        embedder = searching.search_service().embedder
        assert embedder is not None
        for _ in range(2):
            for text in examples:
                embedder.embed_query(text)
            for i in range(10):  # a stream of new questions, five times the LRU
                embedder.embed_query(f"een nieuwe vraag {i} {len(asked)}")
    assert sorted(t for t in asked if t in examples) == sorted(examples)  # each example once


def test_counts_flush_zero_writes_every_question_at_once(make_app) -> None:
    from webapp.production.counts import counter, total_questions

    app = make_app(COUNTS_FLUSH_SECONDS=0)
    assert app.test_client().get("/api/v1/ask?q=buurthuis").status_code == 200
    with app.app_context():
        assert counter().wait_for_flush(0)  # written by the background thread, not by the request
    assert total_questions(app.extensions["dichtbij.content"].engine) == 1


def test_counts_queue_size_bounds_the_waiting_counts(make_app) -> None:
    from webapp.production.counts import counter

    app = make_app(COUNTS_FLUSH_SECONDS=3600, COUNTS_QUEUE_SIZE=1)
    client = app.test_client()
    assert all(client.get("/api/v1/ask?q=buurthuis").status_code == 200 for _ in range(3))
    with app.app_context():
        assert counter().dropped == 2


@pytest.mark.parametrize(("hops", "limited"), [(0, False), (1, True)])
def test_proxy_count_decides_whose_address_counts(make_app, hops: int, limited: bool) -> None:
    """Behind one proxy on this machine: with PROXY_COUNT=1 the resident's address is limited, with 0 every
    request comes from the (exempt) proxy."""
    client = make_app(PROXY_COUNT=hops, RATE_LIMIT_PER_MINUTE=1).test_client()
    headers = {"X-Forwarded-For": "203.0.113.8"}
    statuses = [client.get("/api/v1/ask?q=buurthuis", headers=headers).status_code for _ in range(2)]
    assert statuses == ([200, 429] if limited else [200, 200])

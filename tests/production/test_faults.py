"""Faults: Meilisearch killed mid-run, never started, hanging, without its index; a corrupt content file;
a missing model. Every answer stays valid and nothing is lost."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from webapp.searching import search_service

from ..conftest import ROOT

QUESTIONS = [
    ("ik zoek een buurthuis", "oss"),
    ("hulp bij schulden", "maashorst"),
    ("taalcafé nederlands oefenen", "meierijstad"),
    ("maaltijd aan huis voor ouderen", "oirschot"),
    ("mantelzorg ondersteuning", "geertruidenberg"),
    ("ik wil er een eind aan maken", "oss"),
]
ROUTES = {"voorziening", "wijkteam", "spoed", "onbekend"}


def ask_all(client, rounds: int = 1) -> list[dict]:
    bodies = []
    for _ in range(rounds):
        for q, gemeente in QUESTIONS:
            response = client.get("/api/v1/ask", query_string={"q": q, "gemeente": gemeente})
            assert response.status_code == 200, response.data
            body = response.get_json()
            assert body["route"] in ROUTES
            bodies.append(body)
    return bodies


def ask_new_word(client) -> dict:
    """A question with a word no question before it had: it needs a request to Meilisearch, where the
    others are answered from the worker's kept answers (search.meili_answers) and cannot find it gone."""
    response = client.get("/api/v1/ask", query_string={"q": "klussendienst", "gemeente": "oss"})
    assert response.status_code == 200, response.data
    return response.get_json()


def slugs(bodies: list[dict]) -> list[list[str]]:
    return [[s["slug"] for s in b["services"]] for b in bodies]


def readiness(client) -> dict:
    response = client.get("/readyz")
    assert response.status_code == 200
    return response.get_json()


def primary_searches_on_this_thread(app, monkeypatch) -> list[str]:
    """Every search a request on this thread sends to Meilisearch (the background probe's are not counted):
    counted, not timed, so a slow machine cannot make the test fail or pass."""
    with app.app_context():
        backend = search_service().search_backend()
    primary = backend.primary  # type: ignore[union-attr]
    original = primary.search
    me = threading.get_ident()
    calls: list[str] = []

    def search(query, **kwargs):  # type: ignore[no-untyped-def]
        if threading.get_ident() == me:
            calls.append(query)
        return original(query, **kwargs)

    monkeypatch.setattr(primary, "search", search)
    return calls


def meili_app(make_app, meili, **extra):
    return make_app(
        SEARCH_BACKEND="meilisearch",
        MEILI_URL=meili.url if meili else f"http://127.0.0.1:{_free_port()}",
        MEILI_MASTER_KEY=meili.key if meili else "x" * 24,
        MEILI_RETRY_SECONDS=0.5,
        **extra,
    )


def _free_port() -> int:
    from bench.servers import free_port

    return free_port()


@pytest.mark.meili
def test_meilisearch_killed_mid_run_then_back(make_app, meili_process, demo_app, monkeypatch):
    embedded_only = ask_all(demo_app.test_client())
    meili_process.start()
    app = meili_app(make_app, meili_process)
    client = app.test_client()
    before = ask_all(client)
    assert readiness(client) | {"content": 0} == {
        "status": "ok",
        "search": "meilisearch",
        "model": "none",
        "content": 0,
        "checks": {"storage": "ok", "meilisearch": "ok", "model": "off"},
    }
    assert any(b["services"] for b in before)

    meili_process.kill()
    # Questions whose words this worker asked before need no request (search.meili_answers): they keep their
    # answers. The first new word finds Meilisearch gone.
    assert slugs(ask_all(client)) == slugs(before)
    tried = primary_searches_on_this_thread(app, monkeypatch)
    assert ask_new_word(client)["services"]
    during = ask_all(client, rounds=3)
    # The same answers as the embedded backend alone gives: nothing lost, nothing broken.
    assert [b["route"] for b in during] == [b["route"] for b in embedded_only] * 3
    assert slugs(during) == slugs(embedded_only) * 3
    # Only the first request pays the failed connection; the other 18 go straight to the embedded backend
    # (the background probe may find Meilisearch still gone and keep the breaker open).
    assert len(tried) <= 2 and len(during) == 18
    ready = readiness(client)
    assert ready["status"] == "degraded" and ready["search"] == "embedded"

    # Back, with an empty data folder: the index is missing and gets rebuilt by the background probe.
    meili_process.start(fresh=True)
    deadline = time.monotonic() + 30
    while readiness(client)["status"] != "ok" and time.monotonic() < deadline:
        ask_all(client)
        time.sleep(0.2)
    assert readiness(client)["search"] == "meilisearch"
    after = ask_all(client)
    assert slugs(after) == slugs(before)


@pytest.mark.meili
def test_meilisearch_index_deleted_is_rebuilt(make_app, meili_process, demo_app):
    embedded_only = ask_all(demo_app.test_client())
    meili_process.start()
    app = meili_app(make_app, meili_process)
    client = app.test_client()
    before = ask_all(client)
    import meilisearch

    admin = meilisearch.Client(meili_process.url, meili_process.key)
    admin.wait_for_task(admin.delete_index("voorzieningen").task_uid)
    assert slugs(ask_all(client)) == slugs(before)  # known words: their kept answers (search.meili_answers)
    ask_new_word(client)  # finds the index gone
    during = ask_all(client)
    assert slugs(during) == slugs(embedded_only)
    deadline = time.monotonic() + 30
    while readiness(client)["status"] != "ok" and time.monotonic() < deadline:
        ask_all(client)
        time.sleep(0.2)
    assert readiness(client)["search"] == "meilisearch"
    assert slugs(ask_all(client)) == slugs(before)


def test_meilisearch_never_started(make_app):
    client = meili_app(make_app, None).test_client()
    bodies = ask_all(client, rounds=2)
    assert any(b["services"] for b in bodies)
    ready = readiness(client)
    assert ready["status"] == "degraded"
    assert ready["search"] == "embedded"
    assert ready["content"] > 50


def test_meilisearch_that_hangs_costs_one_timeout_only(make_app, monkeypatch):
    with socket.socket() as hanging:
        hanging.bind(("127.0.0.1", 0))
        hanging.listen(64)  # accepts connections (kernel backlog) but never answers
        port = hanging.getsockname()[1]
        app = make_app(
            SEARCH_BACKEND="meilisearch",
            MEILI_URL=f"http://127.0.0.1:{port}",
            MEILI_MASTER_KEY="x" * 24,
            MEILI_TIMEOUT=0.3,
            MEILI_RETRY_SECONDS=60,
        )
        client = app.test_client()
        with app.app_context():
            search_service().matcher()  # the index attempt at startup fails on the timeout
        tried = primary_searches_on_this_thread(app, monkeypatch)
        for q, gemeente in QUESTIONS * 2:
            response = client.get("/api/v1/ask", query_string={"q": q, "gemeente": gemeente})
            assert response.status_code == 200
        assert tried == []  # the breaker opened while indexing: no request waits for Meilisearch
        assert readiness(client)["status"] == "degraded"


def test_corrupt_content_file_keeps_the_rest(make_app, content_dir: Path, write_entry):
    write_entry("oss-tweede", replace={"titel: Taalcafé in de bibliotheek": "titel: Tweede taalcafé"})
    (content_dir / "voorzieningen" / "oss" / "oss-kapot.md").write_bytes(b"---\ntitel: [\x00\xff\n---\n")
    client = make_app(CONTENT_DIR=str(content_dir)).test_client()
    ready = readiness(client)
    assert ready["content"] == 2
    body = client.get("/api/v1/ask", query_string={"q": "taalcafé", "gemeente": "oss"}).get_json()
    assert {s["slug"] for s in body["services"]} == {"oss-taalcafe", "oss-tweede"}


def test_missing_model_keyword_search_and_spoed_still_work(make_app, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # as in the Docker image: never reach for a model hub
    client = make_app(EMBEDDER="st:/nonexistent/model").test_client()
    ready = readiness(client)
    assert ready["status"] == "degraded"
    assert ready["model"] == "none"
    body = client.get(
        "/api/v1/ask", query_string={"q": "ik zoek een buurthuis", "gemeente": "oss"}
    ).get_json()
    assert body["route"] == "voorziening" and body["services"]
    spoed = client.get("/api/v1/ask", query_string={"q": "ik wil er een eind aan maken"}).get_json()
    assert spoed["route"] == "spoed"
    assert "0800-0113" in [line["phone"] for line in spoed["emergency"]]
    page = client.get("/vraag", query_string={"q": "ik wil dood, echt waar"})
    assert page.status_code == 200
    assert "0800-0113" in page.get_data(as_text=True)


def test_no_content_at_all_is_not_ready(make_app, tmp_path: Path):
    empty = tmp_path / "leeg"
    (empty / "voorzieningen").mkdir(parents=True)
    client = make_app(CONTENT_DIR=str(empty)).test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["content"] == 0


def test_demo_content_root_exists():
    assert (ROOT / "content" / "voorzieningen").is_dir()

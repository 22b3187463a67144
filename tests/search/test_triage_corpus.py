"""The router's corpus and model file: enough data of every kind, valid labels, a model trained on it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from search.triage.corpus import (
    CATEGORIES,
    KINDS,
    CorpusError,
    corpus_files,
    fingerprint,
    load_corpus,
    read,
)
from search.triage.router import load_router


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    return load_corpus()


def test_corpus_has_every_kind_of_message_in_many_languages(corpus) -> None:  # type: ignore[no-untyped-def]
    routes = Counter(m.route for m in corpus)
    assert len(corpus) >= 4000
    assert len({m.lang for m in corpus}) >= 14
    assert routes["spoed"] >= 900
    assert sum(m.near_miss for m in corpus) >= 600
    assert routes["wijkteam"] >= 600
    assert routes["onbekend"] >= 400
    assert {c for m in corpus for c in m.categories} == set(CATEGORIES)
    assert {m.kind for m in corpus if m.kind} == set(KINDS)
    # every language has crises, maatwerk and non-social messages
    for lang in {m.lang for m in corpus}:
        assert {m.route for m in corpus if m.lang == lang} == {"spoed", "wijkteam", "onbekend", "voorziening"}


def test_the_built_router_was_trained_on_this_corpus(corpus) -> None:  # type: ignore[no-untyped-def]
    from bench.servers import ROUTER_DIR

    router = load_router(ROUTER_DIR)
    assert router.meta["corpus"] == fingerprint(corpus), (
        "search/data/triage/ changed: run `flask model build`"
    )
    for head in ("full", "letters"):
        assert 0 < router.thresholds[head]["zorg"] <= router.thresholds[head]["spoed"] < 1
    assert router.neighbours is not None and len(router.neighbours.vectors) == len(corpus)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"text": "x", "route": "hulp", "lang": "nl"}', "'route' must be one of"),
        ('{"text": "x", "route": "spoed", "lang": "nl"}', "needs a 'kind'"),
        ('{"text": "x", "route": "voorziening", "lang": "nl"}', "needs one to three 'categories'"),
        ('{"text": "x", "route": "onbekend", "lang": "xx"}', "'lang' must be one of"),
        ('{"text": "x", "route": "spoed", "kind": "medical", "near_miss": true, "lang": "nl"}', "near_miss"),
    ],
)
def test_a_bad_line_is_named_by_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "batch.jsonl"
    good = json.dumps({"text": "hallo", "route": "onbekend", "lang": "nl"})
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"batch\.jsonl:2: .*{message}"):
        read([path])


def test_corpus_files_parse_one_by_one() -> None:
    for path in corpus_files():
        assert read([path]), path

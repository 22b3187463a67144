"""search.meili_answers: a keyword query is asked once per content version; the answers stay the same."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace

import numpy as np
import pytest

from search.documents import Document
from search.meili import MeiliBackend
from search.meili_answers import AnswerCache, query_key
from search.table import DocumentTable


def test_equal_queries_share_a_key_and_the_oldest_goes_first() -> None:
    assert query_key({"q": "schuld", "limit": 20}) == query_key({"limit": 20, "q": "schuld"})
    assert query_key({"q": "schuld", "filter": "gemeente IN ['oss']"}) != query_key({"q": "schuld"})
    cache = AnswerCache(size=2)
    g = cache.generation
    cache.keep(["a", "b"], [{"hits": [1]}, {"hits": [2]}], g)
    assert cache.known(["a"]) == [{"hits": [1]}]  # "a" is now the most recently asked
    cache.keep(["c"], [{"hits": [3]}], g)
    assert cache.known(["a", "b", "c"]) == [{"hits": [1]}, None, {"hits": [3]}]
    assert (cache.hits, cache.misses) == (3, 1)


def test_the_setting_keeps_as_many_as_the_library() -> None:
    from search.meili_answers import ANSWERS
    from webapp.settings import SETTINGS

    assert next(s for s in SETTINGS if s.name == "MEILI_ANSWERS").default == ANSWERS


def test_an_answer_asked_before_a_clear_is_not_kept() -> None:
    cache = AnswerCache()
    before = cache.generation
    cache.clear()  # the index was written while the query was on its way
    cache.keep(["a"], [{"hits": []}], before)
    assert cache.known(["a"]) == [None]
    off = AnswerCache(size=0)
    off.keep(["a"], [{"hits": []}], off.generation)
    assert len(off) == 0


def _recording(backend: MeiliBackend) -> list[dict]:
    sent: list[dict] = []
    send = backend._multi_search

    def recorded(queries: list[dict]) -> list[dict]:
        sent.extend(queries)
        return send(queries)

    backend._multi_search = recorded  # type: ignore[method-assign]
    return sent


@pytest.mark.meili
def test_known_queries_are_not_asked_again_and_rank_the_same(
    meili_server: tuple[str, str], search_documents: tuple[Document, ...], search_vectors: np.ndarray
) -> None:
    url, key = meili_server
    name = f"a{uuid.uuid4().hex[:8]}"
    plain = MeiliBackend(url, key, index_name=name, timeout=2.0, answers=0)
    plain.index(search_documents, search_vectors)
    keeping = MeiliBackend(url, key, index_name=name, timeout=2.0)
    keeping.share_table(DocumentTable(search_documents, search_vectors))
    keeping._documents = len(search_documents)
    sent = _recording(keeping)
    questions = [
        ("schulden en een geldloket", None),
        ("mantelzorg bij dementie", "Oss"),
        ("dementie en mantelzorg", "Oss"),  # the same words again, another order
        ("schulden", "Oss"),  # a known word under another filter: asked
        ("schulden en een geldloket", None),
    ]
    for i, (query, gemeente) in enumerate(questions):
        vector = search_vectors[i % len(search_vectors)]
        expected = plain.search(query, gemeente=gemeente, vector=vector, limit=10)
        got = keeping.search(query, gemeente=gemeente, vector=vector, limit=10)
        assert [(h.slug, round(h.score, 6)) for h in got] == [(h.slug, round(h.score, 6)) for h in expected]
    asked = [(q["q"], q.get("filter")) for q in sent]
    assert len(asked) == len(set(asked))  # every query asked once
    assert any(q == "dementie" for q, _ in asked) and keeping.answers.hits >= 4


@pytest.mark.meili
def test_writing_the_index_forgets_the_answers(
    meili_server: tuple[str, str], search_documents: tuple[Document, ...]
) -> None:
    url, key = meili_server
    backend = MeiliBackend(
        url, key, index_name=f"a{uuid.uuid4().hex[:8]}", timeout=2.0, table=DocumentTable([], None)
    )
    backend.index(search_documents, None)
    assert {h.slug for h in backend.search("berghem", limit=5)} == {"oss-berghem-taalcafe"}
    assert len(backend.answers) == 1
    (klussen,) = [d for d in search_documents if d.slug == "oss-klussendienst"]
    backend.update([replace(klussen, title="Klussendienst Berghem")], None, [], len(search_documents))
    assert len(backend.answers) == 0
    found = {h.slug for h in backend.search("berghem", limit=5)}
    assert found == {"oss-berghem-taalcafe", "oss-klussendienst"}


def test_answers_are_kept_without_a_table_too(search_documents: tuple[Document, ...]) -> None:
    """A worker with a lazy fallback (national scale) has no table: its answers are its content's as well."""
    backend = MeiliBackend("http://127.0.0.1:9", "key")
    asked: list[str] = []

    def answer(queries: list[dict]) -> list[dict]:
        asked.extend(q["q"] for q in queries)
        return [{"hits": [], "estimatedTotalHits": 0} for _ in queries]

    backend._multi_search = answer  # type: ignore[method-assign]
    backend._keyword_half("schuld geld", None, None, None)
    backend._keyword_half("geld schuld", None, None, None)
    backend._keyword_half("schuld", "Oss", None, None)
    assert asked == ["schuld", "geld", "schuld"]
    assert (backend.answers.hits, backend.answers.misses) == (2, 3)


@pytest.mark.meili
def test_words_asked_ahead_are_not_asked_by_a_question(
    meili_server: tuple[str, str], search_documents: tuple[Document, ...]
) -> None:
    url, key = meili_server
    backend = MeiliBackend(
        url, key, index_name=f"a{uuid.uuid4().hex[:8]}", timeout=2.0, table=DocumentTable([], None)
    )
    backend.index(search_documents, None)
    plain = MeiliBackend(url, key, index_name=backend.index_name, timeout=2.0, answers=0)
    words = ["schuld", "taalcaf", "xyzzyq", "mantelzorg"]  # stems; one no document has
    asked = backend.prepare(words, [None, "oss"], per_filter=10)
    assert asked == 6  # three words a document has, twice; the word no document has is not asked
    assert backend.prepare(words, [None, "oss"], per_filter=10) == 0  # kept: nothing asked again
    assert (backend.answers.hits, backend.answers.misses) == (0, 0)  # asking ahead is not a question's lookup
    sent = _recording(backend)
    for query, gemeente in [("schulden", None), ("taalcafé en mantelzorg", "Oss")]:
        got = backend.search(query, gemeente=gemeente, limit=10)
        expected = plain.search(query, gemeente=gemeente, limit=10)
        assert [(h.slug, round(h.score, 6)) for h in got] == [(h.slug, round(h.score, 6)) for h in expected]
    assert sent == []
    assert backend.prepare(words, [None, "meierijstad"], per_filter=10, budget=1) == 1  # at most the budget
    first = MeiliBackend(url, key, index_name=backend.index_name, table=DocumentTable(search_documents, None))
    first._documents = len(search_documents)
    assert first.prepare(["xyzzyq", *words], [None], per_filter=1) == 1  # the first word a document has
    assert [query_key(first._word_query(first._params(None, None, None), "schuld"))] == list(
        first.answers._answers
    )
    off = MeiliBackend(url, key, index_name=backend.index_name, answers=0)
    assert off.prepare(words, [None], per_filter=10) == 0


@pytest.mark.meili
def test_a_worker_asks_ahead_after_its_start(meili_server: tuple[str, str], tmp_path) -> None:
    from tests.conftest import demo_config
    from webapp import create_app
    from webapp.searching import search_service

    url, key = meili_server
    config = demo_config(
        tmp_path,
        SEARCH_BACKEND="meilisearch",
        MEILI_URL=url,
        MEILI_MASTER_KEY=key,
        MEILI_INDEX=f"a{uuid.uuid4().hex[:8]}",
        MEILI_PREPARE_WORDS=40,
        CONTENT_POLL_SECONDS=0,
    )
    app = create_app(config)
    with app.app_context():
        meili = search_service().matcher().backend.primary  # type: ignore[attr-defined]
    for thread in threading.enumerate():
        if thread.name == "meili-prepare":
            thread.join(timeout=30)
    kept = len(meili.answers)
    assert kept > 40  # the whole area and each of the five gemeenten
    assert kept <= 40 * 6


def test_the_setting_names_how_many_gemeenten_are_asked_ahead() -> None:
    from webapp.searching import PREPARE_GEMEENTEN
    from webapp.settings import SETTINGS

    help_text = next(s for s in SETTINGS if s.name == "MEILI_PREPARE_WORDS").help
    assert f"(up to {PREPARE_GEMEENTEN})" in help_text

"""search.meili_words: words Meilisearch cannot match are not asked; leaving them out changes nothing."""

from __future__ import annotations

import itertools
import re
import string
import uuid
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest

from search.documents import Document
from search.language import fold
from search.meili import MeiliBackend
from search.meili_words import Vocabulary, bits, document_words, typos
from search.table import DocumentTable

FILTERS: list[dict[str, str | None]] = [{}, {"gemeente": "Oss"}, {"gemeente": "Meierijstad"}, {"kern": "Oss"}]


def test_typos_follow_meilisearch_word_sizes() -> None:
    assert [typos("a" * n) for n in (1, 4, 5, 8, 9, 20)] == [0, 0, 1, 1, 2, 2]


def test_document_words_read_several_ways() -> None:
    words = document_words("Het e-mailadres van DigiD: auto's, 65plus", ["auto"])
    assert {"e", "mailadres", "digid", "digi", "d", "autos", "s", "auto", "65plus", "65", "plus"} <= words


def test_document_words_join_what_meilisearch_keeps_inside_a_word() -> None:
    words = document_words("schuld\u00adhulpverlening bij het zorg\u200bloket, ouder|kind")
    assert {"schuldhulpverlening", "zorgloket", "ouderkind"} <= words


def test_vocabulary_prefix_typos_split_and_filter() -> None:
    vocabulary = Vocabulary([{"schuldhulp", "geld"}, {"mantelzorger", "hulp", "verlening"}, {"verlening"}])
    assert vocabulary.may_match("schuld")  # a prefix
    assert vocabulary.may_match("mantelzorg")  # a prefix, and 2 typos from 9 letters
    assert vocabulary.may_match("schlud")  # two letters swapped: one typo
    assert vocabulary.may_match("mamtelzorg")  # a typo in a prefix
    assert not vocabulary.may_match("gels")  # 4 letters: no typo
    assert vocabulary.may_match("gelds")  # 5 letters: one typo ("geld" + s)
    assert not vocabulary.may_match("koffie")
    assert vocabulary.may_match("hulpverlening")  # "hulp" + "verlening", in one document
    assert not vocabulary.may_match("hulpverlen")  # split, both parts are whole words
    assert not vocabulary.may_match("geldverlening")  # not in one document
    assert not vocabulary.may_match("nantel")  # a typo on the first letter counts as two
    assert vocabulary.may_match("xchuldhulp")  # ... which 10 letters allow, when it is the only one
    assert not vocabulary.may_match("xchuldhulq")
    assert vocabulary.may_match("koffie", always={"koffie"})
    assert vocabulary.may_match("geld1") and vocabulary.may_match("café")  # not plain a-z: asked
    first, second = bits(np.array([1.0, 0.0, 0.0])), bits(np.array([0.0, 1.0, 0.0]))
    assert vocabulary.may_match("geld", first) and not vocabulary.may_match("geld", second)
    assert vocabulary.may_match("hulp", second) and not vocabulary.may_match("hulp", bits(np.zeros(3)))
    assert vocabulary.may_match("hulpverlening", second) and not vocabulary.may_match("hulpverlening", first)
    assert bits(None) is None


def _candidates(docs: Sequence[Document]) -> list[str]:
    """Words near the documents' words (prefixes, typos, swaps, compounds) and far from them."""
    rng = np.random.default_rng(3)
    vocabulary: set[str] = set()
    for doc in docs:
        text = MeiliBackend.searchable_text(doc)
        vocabulary |= {w for w in document_words(text) if w.isalpha() and w.isascii()}
    words = sorted(vocabulary)
    out: set[str] = set()
    letters = string.ascii_lowercase
    for word in words:
        out.update(word[:n] for n in range(3, len(word) + 1))
        c = letters[int(rng.integers(26))]
        out.update((c + word[1:], word[1:], c + word, word[1:2] + word[:1] + word[2:]))  # the first letter
        for _ in range(3):
            i = int(rng.integers(len(word)))
            c = letters[int(rng.integers(26))]
            out.add(word[:i] + c + word[i + 1 :])  # substitution
            out.add(word[:i] + c + word[i:])  # insertion
            out.add(word[:i] + word[i + 1 :])  # deletion
            out.add(word[:i] + word[i + 1 : i + 2] + word[i : i + 1] + word[i + 2 :])  # swap
            j = int(rng.integers(len(word)))
            out.add((word[:i] + c + word[i + 1 :])[:j] + c + word[j + 1 :])  # two typos
    for doc in docs:  # two words next to each other, as one (Meilisearch may split it)
        run = re.findall(r"[a-z]+", fold(MeiliBackend.searchable_text(doc)))
        for a, b in itertools.pairwise(run):
            out.update((a + b, a + b[: max(1, len(b) // 2)], a + b[:1]))
    for _ in range(300):
        a, b = words[int(rng.integers(len(words)))], words[int(rng.integers(len(words)))]
        out.add(a + b)
        out.add(a + b[: max(1, len(b) // 2)])
    for _ in range(300):
        out.add("".join(letters[int(i)] for i in rng.integers(26, size=int(rng.integers(4, 12)))))
    return sorted(w for w in out if w.isalpha() and len(w) >= 2)


@pytest.mark.meili
def test_every_word_left_out_finds_nothing_in_meilisearch(
    meili_server: tuple[str, str], search_documents: tuple[Document, ...], search_vectors: np.ndarray
) -> None:
    url, key = meili_server
    backend = MeiliBackend(
        url, key, index_name=f"w{uuid.uuid4().hex[:8]}", timeout=5.0, table=DocumentTable([], None)
    )
    backend.index(search_documents, search_vectors)
    words = _candidates(search_documents)
    left_out = 0
    for filters in FILTERS:
        kept = set(backend.may_match(words, **filters))
        skipped = [w for w in words if w not in kept]
        left_out += len(skipped)
        base: dict[str, object] = {"indexUid": backend.index_name, "limit": 0}
        flt = MeiliBackend.filter_expression(filters.get("gemeente"), None, filters.get("kern"))
        if flt:
            base["filter"] = flt
        for start in range(0, len(skipped), 100):
            batch = skipped[start : start + 100]
            results = backend._multi_search([{**base, "q": w} for w in batch])
            found = [w for w, r in zip(batch, results, strict=True) if r["estimatedTotalHits"]]
            assert not found, (filters, found)
    assert left_out > len(words)  # the check leaves many of them out


@pytest.mark.meili
def test_a_word_meilisearch_joins_is_never_left_out(
    meili_server: tuple[str, str], search_documents: tuple[Document, ...]
) -> None:
    """A soft hyphen, a zero-width space or a symbol inside a word: Meilisearch indexes one word, so its
    prefixes find the document and must be asked."""
    url, key = meili_server
    joined = replace(
        search_documents[0],
        slug="joined",
        title="Schuld\u00adhulpverlening",
        summary="Het zorg\u200bloket voor ouder|kind en wmo\u2060loket",
        body="",
        keywords=(),
    )
    backend = MeiliBackend(
        url, key, index_name=f"w{uuid.uuid4().hex[:8]}", timeout=5.0, table=DocumentTable([], None)
    )
    backend.index([joined], None)
    words = [w[:n] for w in ("schuldhulpverlening", "zorgloket", "ouderkind", "wmoloket") for n in (7, 8, 9)]
    results = backend._multi_search([{"indexUid": backend.index_name, "limit": 0, "q": w} for w in words])
    found = [w for w, r in zip(words, results, strict=True) if r["estimatedTotalHits"]]
    assert found  # Meilisearch does join them
    assert set(found) <= set(backend.may_match(words))


@pytest.mark.meili
def test_words_left_out_send_fewer_queries_and_rank_the_same(
    meili_server: tuple[str, str], search_documents: tuple[Document, ...], search_vectors: np.ndarray
) -> None:
    url, key = meili_server
    name = f"q{uuid.uuid4().hex[:8]}"
    plain = MeiliBackend(url, key, index_name=name, timeout=2.0)
    plain.index(search_documents, search_vectors)
    table = DocumentTable(search_documents, search_vectors)
    checked = MeiliBackend(url, key, index_name=name, timeout=2.0, table=table)
    checked._documents = len(search_documents)
    sent: list[dict] = []
    send = checked._multi_search

    def recorded(queries: list[dict]) -> list[dict]:
        sent.extend(queries)
        return send(queries)

    checked._multi_search = recorded  # type: ignore[method-assign]
    questions = [
        ("schulden xyzzyq geldloket", None),
        ("mantelzorgr quuxplok dementie", "Oss"),
        ("alzheimer cafe in meierijstad", "Meierijstad"),
        ("vrijwilliger luisterlijn qqqq", None),
    ]
    asked = 0
    for query, gemeente in questions:
        vector = search_vectors[len(sent) % len(search_vectors)]
        expected = plain.search(query, gemeente=gemeente, vector=vector, limit=10)
        got = checked.search(query, gemeente=gemeente, vector=vector, limit=10)
        assert [(h.slug, round(h.score, 6)) for h in got] == [(h.slug, round(h.score, 6)) for h in expected]
        asked += sum(1 for _, q in plain.requests(query, gemeente=gemeente) if "q" in q)
    keyword = [q for q in sent if "vector" not in q]
    assert 0 < len(keyword) < asked
    assert not {"xyzzyq", "quuxplok", "qqqq"} & {q["q"] for q in keyword}
    assert checked.requests("zzzzqx", gemeente="Oss") == []  # nothing at all to ask


def test_no_table_or_another_index_asks_every_word(search_documents: tuple[Document, ...]) -> None:
    assert MeiliBackend("http://127.0.0.1:9", "key").may_match(["xyzzyq"]) == ["xyzzyq"]
    b = MeiliBackend("http://127.0.0.1:9", "key", table=DocumentTable([], None))
    assert b.may_match(["xyzzyq"]) == ["xyzzyq"]  # an empty table says nothing about the index
    b.share_table(DocumentTable(search_documents, None))
    assert b.may_match(["xyzzyq", "schuld"]) == ["schuld"]
    b._documents = len(search_documents) + 1  # the index has other documents than the table
    assert b.may_match(["xyzzyq"]) == ["xyzzyq"]


def test_a_new_table_brings_its_own_words_and_filters(search_documents: tuple[Document, ...]) -> None:
    b = MeiliBackend("http://127.0.0.1:9", "key")
    b.share_table(DocumentTable(search_documents, None))
    assert b.may_match(["zwemles"], gemeente="Uden") == []
    assert b.may_match(["schuld"], gemeente="Oss") == ["schuld"]
    pool = replace(search_documents[0], slug="uden-zwembad", gemeente="Uden", body="Zwemles voor ouderen.")
    b.share_table(DocumentTable([pool], None))
    assert b.may_match(["zwemles"], gemeente="Uden") == ["zwemles"]
    assert b.may_match(["zwemles", "steunpunt"], gemeente="Oss") == []  # the new table's rows for Oss
    assert b.may_match(["zwemles", "steunpunt"], gemeente="Uden") == ["zwemles", "steunpunt"]

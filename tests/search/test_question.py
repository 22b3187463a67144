"""A question is analysed once (search.question) and that one value reaches the router and the search."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from search.embedded import EmbeddedBackend
from search.matcher import Matcher
from search.places import Gazetteer, outside_places
from search.question import Meaning, analyse
from search.triage import Triage, TriageResult
from tests.search.test_matcher import DOCS, PLACES, RecordingEmbedder


def test_analyse_reads_language_places_keywords_and_meaning() -> None:
    embedder = RecordingEmbedder()
    question = analyse("Is er een Taalcafé in Berghem?", Gazetteer(PLACES), embedder.embed_query)
    assert question.language == "nl"
    assert [m.place.name for m in question.mentions] == ["Berghem"]
    assert question.place == PLACES[1] and question.elsewhere is None
    assert question.keywords == "Is er een Taalcafé in        ?"
    assert question.meaning.text == "Is er een Taalcafé?" and question.meaning.folded == "is er een taalcafe?"
    assert embedder.seen == ["Is er een Taalcafé?"]


def test_a_place_outside_the_area_is_elsewhere_not_the_place() -> None:
    gazetteer = Gazetteer(PLACES, outside_places(ours=["Oss", "Maashorst"]))
    question = analyse("buurthuis in Tilburg", gazetteer, lambda text: None, language="en")
    assert question.place is None and question.elsewhere is not None
    assert question.elsewhere.name == "Tilburg"
    assert question.language == "en"  # the resident's choice wins over detection
    assert question.meaning == Meaning("buurthuis", "buurthuis", None)


def test_the_question_is_immutable() -> None:
    question = analyse("voedselbank in Uden", Gazetteer(PLACES), RecordingEmbedder().embed_query)
    with pytest.raises(dataclasses.FrozenInstanceError):
        question.keywords = "iets anders"  # type: ignore[misc]
    assert question.meaning.vector is not None
    with pytest.raises(ValueError, match="read-only"):
        question.meaning.vector[0] = 0.5


def test_the_matcher_reads_the_question_once_and_hands_it_on() -> None:
    class Counting(Gazetteer):
        calls = 0

        def find_all(self, text: str):  # type: ignore[no-untyped-def]
            Counting.calls += 1
            return super().find_all(text)

    class Recording(Triage):
        seen: list[Meaning] = []

        def classify(self, meaning: Meaning) -> TriageResult:
            Recording.seen.append(meaning)
            return super().classify(meaning)

    class Searching(EmbeddedBackend):
        seen: list[tuple[str, np.ndarray | None]] = []

        def search(self, query, *, vector=None, **kwargs):  # type: ignore[no-untyped-def]
            Searching.seen.append((query, vector))
            return super().search(query, vector=vector, **kwargs)

    embedder = RecordingEmbedder()
    backend = Searching(None, synonyms=[])
    backend.index(DOCS, embedder.embed_passages([d.passage_text() for d in DOCS]))
    matcher = Matcher(backend, embedder, Recording(None), Counting(PLACES), DOCS)
    result = matcher.ask("ik zoek een taalcafé in Berghem")
    assert Counting.calls == 1 and embedder.seen == ["ik zoek een taalcafé"]
    [meaning] = Recording.seen
    [(query, vector)] = Searching.seen
    assert meaning is result.question.meaning  # the router reads the question's meaning, not a new one
    assert query == result.question.keywords and vector is meaning.vector
    assert result.gemeente_detected == "oss" and result.question.place == PLACES[1]

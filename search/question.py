"""A resident's question, analysed once: the value the matcher hands to the router and to the search.

analyse() reads a question in one straight line: its language, the places it names (search.places), the
text without them (what the keyword search reads), the meaning (the text the model embeds and the router
routes: "buurthuis in Uden" and "buurthuis in Oss" mean the same), its fold and its vector. Nothing
downstream reads the question again. read() stops before the vector, so the matcher can start the search's
keyword half while the model embeds (Question.embedded).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from search.documents import ELSEWHERE, Place
from search.langid import detect_language
from search.language import fold
from search.places import Gazetteer, Mention, meaning_text, without_places


@dataclass(frozen=True)
class Meaning:
    """What the model and the router read of a message: its text without place names, that text folded (the
    router's rules and letters), and its question vector (None: no model)."""

    text: str
    folded: str
    vector: np.ndarray | None = None

    @classmethod
    def of(cls, text: str, vector: np.ndarray | None = None) -> Meaning:
        """A plain text (and its vector) as the router reads it: the benches, the training, the tests."""
        if vector is not None:
            vector = np.array(vector, dtype=np.float32)
            vector.setflags(write=False)
        return cls(text, fold(text), vector)


@dataclass(frozen=True)
class Question:
    text: str  # as the resident typed it
    language: str  # ISO 639-1 (search.langid.detect_language), or the language the resident chose
    written: str  # the language the text is written in (detected, whatever the resident chose)
    mentions: tuple[Mention, ...]  # every place named
    place: Place | None  # the place of ours it is about
    elsewhere: Place | None  # a place outside the area, when it names none of ours
    keywords: str  # the text with the place names blanked: where is the gemeente filter's job
    meaning: Meaning

    def embedded(self, embed: Callable[[str], np.ndarray | None]) -> Question:
        """This question with the vector of its meaning."""
        return replace(self, meaning=Meaning.of(self.meaning.text, embed(self.meaning.text)))


def analyse(
    text: str,
    gazetteer: Gazetteer,
    embed: Callable[[str], np.ndarray | None],
    language: str | None = None,
) -> Question:
    """The question read once; `embed` gives the vector of its meaning, `language` overrides detection."""
    return read(text, gazetteer, language).embedded(embed)


def read(text: str, gazetteer: Gazetteer, language: str | None = None) -> Question:
    """The question read once, without its vector yet; `language` overrides detection."""
    mentions = tuple(gazetteer.find_all(text))
    meant = gazetteer.pick(mentions)
    elsewhere = meant if meant is not None and meant.kind == ELSEWHERE else None
    keywords = without_places(text, mentions)
    written = detect_language(text)
    return Question(
        text=text,
        language=language or written,
        written=written,
        mentions=mentions,
        place=None if elsewhere is not None else meant,
        elsewhere=elsewhere,
        keywords=keywords,
        meaning=Meaning.of(meaning_text(text, keywords)),
    )

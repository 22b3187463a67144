"""The question matcher: triage first, then hybrid search in the resident's gemeente and kern.

Documents in, ranked matches out. The matcher analyses the question once (search.question: language, places,
meaning, vector) and hands that to the router and to the search. It asks one backend; falling back from
Meilisearch to the embedded backend is that backend's job (search.fallback.FallbackBackend).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from search import langid
from search.backend import (
    KEYWORD_WEIGHT,
    SEMANTIC_WEIGHT,
    BackendUnavailable,
    PendingSearch,
    SearchBackend,
    begin,
)
from search.documents import ELSEWHERE, Document, Hit, Place
from search.embedder import Embedder
from search.places import Gazetteer
from search.question import Question, read
from search.ranking import content_words, stem, stems
from search.triage import Triage, TriageResult

log = logging.getLogger(__name__)

CATEGORY_NEEDS = Path(__file__).with_name("data") / "categorieen.yaml"
MAX_SERVICES = 5
CANDIDATES = 30
# Re-ranking nudges, on top of the backend's 0..1 blended score.
KERN_BONUS = 0.08  # serves the kern the resident named
WHOLE_GEMEENTE_BONUS = 0.03  # serves every kern of the gemeente
LANDELIJK_PENALTY = 0.04  # a national line comes after a local place of similar fit
# Below this blended score a hit is too weak to show.
MIN_SCORE = 0.25
# The blend of the backend's two signals (keyword, semantic) per question language: keywords only speak
# Dutch (the content's language); for a question in another language the multilingual model carries the
# ranking. The backend blends with the same weights (search.backend.blend).
BLEND = {"nl": (KEYWORD_WEIGHT, SEMANTIC_WEIGHT), "other": (0.15, 0.85)}
# Category prior: how much the question's closeness to a category (centroid of its documents) counts.
CATEGORY_WEIGHT = 0.15
# Routes where voorzieningen are shown, and how many.
SERVICES_PER_ROUTE = {"voorziening": MAX_SERVICES, "wijkteam": 3, "spoed": 0, "onbekend": 0}


# A question is too vague to route when it is short, names no specific need (every word is common in the
# entries, or unknown to them) and leans to no category: it gets one follow-up question instead.
VAGUE_WORDS = 3  # at most this many content words
COMMON_SHARE = 0.15  # a word in at least this share of the entries says little about which one
CLEAR_CATEGORY_Z = 2.0  # a category prior this far above the mean is a clear need


@dataclass(frozen=True)
class Why:
    """What in the question made an entry fit: the resident's own words, the kern, the need."""

    words: tuple[str, ...]  # words of the question that the entry's title or trefwoorden share
    kern: str | None  # the kern the resident named, when the entry serves it
    need: str | None  # the category of the entry the question is closest to


@dataclass(frozen=True)
class Match:
    document: Document
    hit: Hit
    why: Why


@dataclass(frozen=True)
class Result:
    question: Question
    route: str
    triage: TriageResult
    gemeente: str | None  # the gemeente the answer is for (asked or detected)
    elsewhere: Place | None  # a place outside the area the question names (and no gemeente asked)
    matches: tuple[Match, ...]
    backend: str  # the backend that answered ("" when there was no search)
    vague: bool = False  # too vague to route: ask one follow-up question

    @property
    def gemeente_detected(self) -> str | None:
        """The gemeente of the place of ours the question names."""
        return self.question.place.gemeente if self.question.place else None


class Matcher:
    """ask(text) -> Result, over one catalog's documents; the webapp builds one per content load."""

    def __init__(
        self,
        backend: SearchBackend,
        embedder: Embedder | None,
        triage: Triage,
        gazetteer: Gazetteer,
        documents: Sequence[Document],
        vectors: np.ndarray | None = None,
        category_vectors: dict[str, np.ndarray] | None = None,
    ) -> None:
        self.backend = backend
        self.embedder = embedder
        self.triage = triage
        self.gazetteer = gazetteer
        self.documents = {d.slug: d for d in documents}
        self.categories, self.centroids = _centroids(documents, vectors, category_vectors or {})
        self._document_frequency = _document_frequency(documents)
        langid.model()  # the language model learns now (about half a second), not at the first question

    def embed(self, text: str) -> np.ndarray | None:
        if self.embedder is None:
            return None
        try:
            return self.embedder.embed_query(text)
        except Exception:  # the model failing must never stop an answer
            log.exception("embedding the question failed; keyword search only")
            return None

    def ask(
        self,
        text: str,
        gemeente: str | None = None,
        lang: str | None = None,
        categories: Sequence[str] = (),
    ) -> Result:
        """Route the question, then (when the route shows voorzieningen) search and rank them; `categories`
        narrows the search (the resident's answer to the follow-up question)."""
        question = read(text, self.gazetteer, lang)
        place, elsewhere = question.place, question.elsewhere
        effective = gemeente or (place.gemeente if place else None)
        # A place elsewhere in the country: only the landelijk entries fit (ELSEWHERE filters to them).
        where = effective or (ELSEWHERE if elsewhere is not None else None)
        # Begun before the embedding: a backend with a keyword half to send (Meilisearch) sends it now, while
        # the model works. Its answer is dropped when the route shows no voorzieningen.
        pending = begin(self.backend, question.keywords, gemeente=where, categories=list(categories) or None)
        question = question.embedded(self.embed)
        triage = self.triage.classify(question.meaning)  # the router learned from texts without places
        wanted = SERVICES_PER_ROUTE.get(triage.route, 0)
        matches: tuple[Match, ...] = ()
        backend_name = ""
        if wanted:
            kern = _kern_of(place) if place and place.gemeente == effective else None
            # The backend blends with the question's language's weights too, so its candidates are the ones
            # the re-ranking below would choose (keyword noise in another language does not crowd them out).
            keyword_weight = blend_of(question)[0]
            hits, backend_name = self._hits(pending, question.meaning.vector, keyword_weight)
            # No gemeente known yet: one entry per kind of help, not the same kind from five gemeenten.
            matches = self._rerank(question, hits, kern, wanted, one_per_kind=where is None)
        return Result(
            question=question,
            route=triage.route,
            triage=triage,
            gemeente=effective,
            elsewhere=elsewhere if effective is None else None,
            matches=matches,
            backend=backend_name,
            vague=triage.route == "voorziening" and not categories and self.is_vague(question),
        )

    def is_vague(self, question: Question) -> bool:
        """Short, no specific word, no clear category: "hulp", "ik zoek iets", "pomoc"."""
        words = content_words(question.keywords)
        if len(words) > VAGUE_WORDS:
            return False
        total = max(1, len(self.documents))
        for word in words:
            share = self._document_frequency.get(stem(word), 0) / total
            if 0 < share < COMMON_SHARE:
                return False  # a word that only some entries have: a specific need
        prior = self.category_prior(question.meaning.vector)
        return not prior or max(prior.values()) < CLEAR_CATEGORY_Z

    def _hits(
        self, pending: PendingSearch, vector: np.ndarray | None, keyword_weight: float
    ) -> tuple[list[Hit], str]:
        """The candidates and the name of the backend that answered them (after a fallback: the other)."""
        try:
            hits = pending.hits(vector, CANDIDATES, keyword_weight)
        except BackendUnavailable as exc:
            log.warning("search backend %s unavailable (%s); no voorzieningen", self.backend.name, exc)
            return [], ""
        return hits, self.backend.name

    def category_prior(self, vector: np.ndarray | None) -> dict[str, float]:
        """Per category, how much closer the question is to it than to the average category (z-score)."""
        if vector is None or self.centroids is None:
            return {}
        sims = self.centroids @ np.asarray(vector, dtype=np.float32)
        spread = float(sims.std()) or 1.0
        z = (sims - float(sims.mean())) / spread
        return {c: float(v) for c, v in zip(self.categories, z, strict=True)}

    def _rerank(
        self, question: Question, hits: list[Hit], kern: str | None, wanted: int, one_per_kind: bool = False
    ) -> tuple[Match, ...]:
        vector = question.meaning.vector
        w_kw, w_sem = blend_of(question)
        prior = self.category_prior(vector)
        # One blend for every hit, with the question's language's weights: a hit without keyword evidence
        # too (its backend score used the backend's Dutch weights). Only when no hit has keyword evidence,
        # or none has semantic evidence (no vector, or none from the backend), the backend's score stands:
        # then one signal alone.
        reblend = any(hit.keyword > 0.0 for hit in hits) and any(hit.semantic > 0.0 for hit in hits)
        scored: list[tuple[float, Hit, Document]] = []
        for hit in hits:
            doc = self.documents.get(hit.slug)
            if doc is None:
                continue
            score = w_kw * hit.keyword + w_sem * hit.semantic if reblend else hit.score
            if prior:
                score += CATEGORY_WEIGHT * max(0.0, max(prior.get(c, 0.0) for c in doc.categories))
            if doc.gemeente is None:
                score -= LANDELIJK_PENALTY
            elif kern and kern in doc.kernen:
                score += KERN_BONUS
            elif not doc.kernen:
                score += WHOLE_GEMEENTE_BONUS
            scored.append((score, hit, doc))
        scored.sort(key=lambda t: (-t[0], t[1].slug))
        asked = _asked_words(question.keywords)
        best = scored[0][0] if scored else 0.0
        out: list[Match] = []
        kinds: set[str] = set()
        for score, hit, doc in scored:
            if score < MIN_SCORE or score < best * 0.5:
                break
            kind = doc.categories[0] if doc.categories else doc.slug
            if one_per_kind and kind in kinds:
                continue
            kinds.add(kind)
            why = Why(
                words=why_words(asked, doc),
                kern=kern if kern and kern in doc.kernen else None,
                need=max(doc.categories, key=lambda c: prior.get(c, 0.0)) if doc.categories else None,
            )
            out.append(Match(doc, Hit(hit.slug, score, hit.keyword, hit.semantic), why))
            if len(out) == wanted:
                break
        return tuple(out)


def blend_of(question: Question) -> tuple[float, float]:
    """The keyword and semantic weights for a question: by the language its text is written in (a resident
    who chose Polish pages and typed Dutch words gets the Dutch blend)."""
    return BLEND["nl" if question.written == "nl" else "other"]


def _centroids(
    documents: Sequence[Document], vectors: np.ndarray | None, prototypes: dict[str, np.ndarray]
) -> tuple[tuple[str, ...], np.ndarray | None]:
    """Per category: the mean of its entries' vectors and of its prototype needs (unit length)."""
    if vectors is None or len(vectors) != len(documents) or not len(documents):
        return (), None
    members: dict[str, list[int]] = {}
    for i, doc in enumerate(documents):
        for c in doc.categories:
            members.setdefault(c, []).append(i)
    names = tuple(sorted(members))
    rows = []
    for c in names:
        row = _unit(vectors[members[c]].mean(axis=0))
        if c in prototypes and len(prototypes[c]):
            row = _unit(row + _unit(np.asarray(prototypes[c]).mean(axis=0)))
        rows.append(row)
    return names, np.stack(rows).astype(np.float32)


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def load_category_needs(path: Path = CATEGORY_NEEDS) -> dict[str, list[str]]:
    """The typical needs per category (search/data/categorieen.yaml)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise ValueError(f"{path}: expected a mapping of category -> list of phrases")
    return {str(k): [str(x) for x in v] for k, v in data.items()}


def _kern_of(place: Place) -> str | None:
    if place.kind == "kern":
        return place.name
    if place.kind == "wijk":
        return place.kern
    return None


def _asked_words(text: str) -> dict[str, str]:
    """The question's content words by stem: stem -> the word as the resident wrote it (the first one)."""
    words: dict[str, str] = {}
    for word in content_words(text):
        words.setdefault(stem(word), word)
    return words


def why_words(question: str | dict[str, str], doc: Document, limit: int = 3) -> tuple[str, ...]:
    """The resident's own words (as typed, folded) that the document's trefwoorden or title share."""
    asked = question if isinstance(question, dict) else _asked_words(question)
    if not asked:
        return ()
    shared = _entry_stems(doc.title, doc.keywords)
    return tuple(word for s, word in asked.items() if s in shared)[:limit]


def _document_frequency(documents: Sequence[Document]) -> dict[str, int]:
    """In how many entries each stem occurs (title, summary, trefwoorden)."""
    counts: dict[str, int] = {}
    for doc in documents:
        for s in set(stems(" ".join((doc.title, doc.summary, *doc.keywords)))):
            counts[s] = counts.get(s, 0) + 1
    return counts


@functools.lru_cache(maxsize=8192)
def _entry_stems(title: str, keywords: tuple[str, ...]) -> frozenset[str]:
    """Stems of an entry's title and trefwoorden: the same entries come back question after question."""
    return frozenset(s for phrase in (*keywords, title) for s in stems(phrase))

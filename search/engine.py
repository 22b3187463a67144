"""The question matcher: triage first, then hybrid search in the resident's gemeente and kern.

Documents in, ranked matches out. The engine embeds the question once and hands the vector to both the
triage and the backend. When a backend fails it falls back to the next one (Meilisearch -> embedded).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from search.backend import BackendUnavailable, SearchBackend
from search.documents import Document, Hit, Place
from search.embedder import Embedder
from search.language import detect_language
from search.places import Gazetteer
from search.ranking import stems
from search.triage import Triage, TriageResult

log = logging.getLogger(__name__)

MAX_SERVICES = 5
CANDIDATES = 30
# Re-ranking nudges, on top of the backend's 0..1 blended score.
KERN_BONUS = 0.08  # serves the kern the resident named
WHOLE_GEMEENTE_BONUS = 0.03  # serves every kern of the gemeente
LANDELIJK_PENALTY = 0.04  # a national line comes after a local place of similar fit
# Below this blended score a hit is too weak to show.
MIN_SCORE = 0.25
# Routes where voorzieningen are shown, and how many.
SERVICES_PER_ROUTE = {"voorziening": MAX_SERVICES, "wijkteam": 3, "spoed": 0, "onbekend": 0}


@dataclass(frozen=True)
class Match:
    document: Document
    hit: Hit
    why: tuple[str, ...]  # the resident's words or category that made it fit


@dataclass(frozen=True)
class Result:
    route: str
    triage: TriageResult
    matches: tuple[Match, ...]
    gemeente: str | None  # the gemeente the answer is for (asked or detected)
    gemeente_detected: str | None
    place: Place | None
    language: str
    backend: str
    timings: dict[str, float] = field(default_factory=dict)


class Engine:
    def __init__(
        self,
        backends: Sequence[SearchBackend],
        embedder: Embedder | None,
        triage: Triage,
        gazetteer: Gazetteer,
        documents: Sequence[Document],
    ) -> None:
        if not backends:
            raise ValueError("Engine needs at least one backend")
        self.backends = list(backends)
        self.embedder = embedder
        self.triage = triage
        self.gazetteer = gazetteer
        self.documents = {d.slug: d for d in documents}
        self.last_backend = self.backends[0].name

    def embed(self, text: str) -> np.ndarray | None:
        if self.embedder is None:
            return None
        try:
            return self.embedder.embed_query(text)
        except Exception:  # the model failing must never stop an answer
            log.exception("embedding the question failed; keyword search only")
            return None

    def ask(self, question: str, gemeente: str | None = None, lang: str | None = None) -> Result:
        timings: dict[str, float] = {}
        start = time.perf_counter()
        language = lang or detect_language(question)
        vector = self.embed(question)
        timings["embed"] = time.perf_counter() - start
        triage = self.triage.classify(question, vector=vector)
        place = self.gazetteer.detect(question)
        detected = place.gemeente if place else None
        effective = gemeente or detected
        timings["triage"] = time.perf_counter() - start - timings["embed"]

        wanted = SERVICES_PER_ROUTE.get(triage.route, 0)
        matches: tuple[Match, ...] = ()
        backend_name = ""
        if wanted:
            kern = _kern_of(place) if place and place.gemeente == effective else None
            hits, backend_name = self._search(question, effective, vector)
            matches = self._rerank(question, hits, kern, wanted)
        timings["total"] = time.perf_counter() - start
        return Result(
            route=triage.route,
            triage=triage,
            matches=matches,
            gemeente=effective,
            gemeente_detected=detected,
            place=place,
            language=language,
            backend=backend_name,
            timings=timings,
        )

    def _search(self, question: str, gemeente: str | None, vector: np.ndarray | None) -> tuple[list[Hit], str]:
        for backend in self.backends:
            try:
                hits = backend.search(question, gemeente=gemeente, limit=CANDIDATES, vector=vector)
            except BackendUnavailable as exc:
                log.warning("search backend %s unavailable (%s); trying the next", backend.name, exc)
                continue
            self.last_backend = backend.name
            return hits, backend.name
        return [], ""

    def _rerank(self, question: str, hits: list[Hit], kern: str | None, wanted: int) -> tuple[Match, ...]:
        scored: list[tuple[float, Hit, Document]] = []
        for hit in hits:
            doc = self.documents.get(hit.slug)
            if doc is None:
                continue
            score = hit.score
            if doc.gemeente is None:
                score -= LANDELIJK_PENALTY
            elif kern and kern in doc.kernen:
                score += KERN_BONUS
            elif not doc.kernen:
                score += WHOLE_GEMEENTE_BONUS
            scored.append((score, hit, doc))
        scored.sort(key=lambda t: (-t[0], t[1].slug))
        best = scored[0][0] if scored else 0.0
        out: list[Match] = []
        for score, hit, doc in scored:
            if score < MIN_SCORE or score < best * 0.5:
                break
            out.append(Match(doc, Hit(hit.slug, score, hit.keyword, hit.semantic), why_words(question, doc)))
            if len(out) == wanted:
                break
        return tuple(out)

    def stats(self) -> dict[str, Any]:
        return {"documents": len(self.documents), "backends": [b.name for b in self.backends]}


def _kern_of(place: Place) -> str | None:
    if place.kind == "kern":
        return place.name
    if place.kind == "wijk":
        return place.kern
    return None


def why_words(question: str, doc: Document, limit: int = 2) -> tuple[str, ...]:
    """The document's own trefwoorden (or title) that share a stem with the question."""
    asked = set(stems(question))
    if not asked:
        return ()
    found: list[str] = []
    for phrase in (*doc.keywords, doc.title):
        if asked & set(stems(phrase)) and phrase not in found:
            found.append(phrase)
        if len(found) == limit:
            break
    return tuple(found)

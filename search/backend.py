"""The SearchBackend protocol, the search begun before the question's vector exists, and the hybrid scoring
both backends share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, Protocol, runtime_checkable

import numpy as np

from search.documents import Document, Hit

# Hybrid blend: one place for the constants, used by every backend. A search may ask for another keyword
# weight (the matcher does for a question in another language than the content's); the semantic weight is
# always the rest.
KEYWORD_WEIGHT: Final = 0.5
SEMANTIC_WEIGHT: Final = 1.0 - KEYWORD_WEIGHT


class BackendUnavailable(Exception):
    """The backend cannot answer (server down, timeout, broken index); callers fall back to another one."""


@runtime_checkable
class SearchBackend(Protocol):
    name: str

    def index(self, docs: Sequence[Document], vectors: np.ndarray | None) -> None:
        """Replace the whole index. vectors: (len(docs), dim), L2-normalised, row i belongs to docs[i]."""
        ...

    def search(
        self,
        query: str,
        *,
        gemeente: str | None = None,
        categories: Sequence[str] | None = None,
        kern: str | None = None,
        limit: int = 20,
        vector: np.ndarray | None = None,
        keyword_weight: float = KEYWORD_WEIGHT,
    ) -> list[Hit]:
        """Best hits first. gemeente keeps that gemeente's documents and the landelijk ones; categories keeps
        documents with any of them; kern keeps documents for that kern or for the whole gemeente.
        keyword_weight: the keyword half's share of the blend (search.backend.blend)."""
        ...

    def healthy(self) -> bool: ...


class PendingSearch(Protocol):
    def hits(
        self, vector: np.ndarray | None, limit: int, keyword_weight: float = KEYWORD_WEIGHT
    ) -> list[Hit]:
        """The search's hits, now that the question's vector is known (None: keyword only)."""
        ...


class Deferred:
    """A search that starts when its vector is known: for a backend with nothing to do before that."""

    def __init__(self, backend: SearchBackend, query: str, filters: dict[str, Any]) -> None:
        self.backend = backend
        self.query = query
        self.filters = filters

    def hits(
        self, vector: np.ndarray | None, limit: int, keyword_weight: float = KEYWORD_WEIGHT
    ) -> list[Hit]:
        return self.backend.search(
            self.query, **self.filters, limit=limit, vector=vector, keyword_weight=keyword_weight
        )


def begin(
    backend: SearchBackend,
    query: str,
    *,
    gemeente: str | None = None,
    categories: Sequence[str] | None = None,
    kern: str | None = None,
) -> PendingSearch:
    """Start a search before the question's vector exists: a backend with a `begin` of its own (Meilisearch)
    sends its keyword queries now, while the model embeds; any other searches at `hits()`."""
    filters: dict[str, Any] = {"gemeente": gemeente, "categories": categories, "kern": kern}
    own = getattr(backend, "begin", None)
    if callable(own):
        pending: PendingSearch = own(query, **filters)
        return pending
    return Deferred(backend, query, filters)


def blend(
    keyword: np.ndarray, semantic: np.ndarray | None, keyword_weight: float = KEYWORD_WEIGHT
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Blend raw keyword scores (any scale, >= 0) with cosine similarities.

    Keyword scores are normalised to 0..1 per query (divided by the best one). Without a query vector the
    score is keyword only; when nothing matches on keywords the score is semantic only.
    Returns (score, keyword_normalised, semantic), all of the input's shape.
    """
    kw = np.clip(np.asarray(keyword, dtype=np.float64), 0.0, None)
    best = float(kw.max()) if kw.size else 0.0
    kw_norm = kw / best if best > 0.0 else np.zeros_like(kw)
    if semantic is None:
        return kw_norm, kw_norm, np.zeros_like(kw)
    sem = np.clip(np.asarray(semantic, dtype=np.float64), 0.0, 1.0)
    if best <= 0.0:
        return sem, kw_norm, sem
    return keyword_weight * kw_norm + (1.0 - keyword_weight) * sem, kw_norm, sem


def rank_hits(
    slugs: Sequence[str],
    keyword: np.ndarray,
    semantic: np.ndarray | None,
    limit: int,
    keyword_weight: float = KEYWORD_WEIGHT,
) -> list[Hit]:
    """Blend, keep documents with any keyword or semantic evidence, sort (score desc, slug) and cut."""
    if limit <= 0 or not slugs:
        return []
    score, kw, sem = blend(keyword, semantic, keyword_weight)
    candidates = np.flatnonzero((kw > 0.0) | (sem > 0.0))
    if candidates.size > limit:
        # Pre-select generously; the exact order (with slug tie-break) is decided below.
        keep = np.argpartition(-score[candidates], limit - 1)[:limit]
        cutoff = float(score[candidates[keep]].min())
        candidates = candidates[score[candidates] >= cutoff]
    order = sorted(candidates.tolist(), key=lambda i: (-float(score[i]), slugs[i]))[:limit]
    return [Hit(slugs[i], float(score[i]), float(kw[i]), float(sem[i])) for i in order]

"""What a process keeps of each document to filter and compare it in memory: its gemeente, categories,
kernen and unit vector, row by row.

One implementation of the search filters (a gemeente keeps its own documents and the landelijk ones,
categories keep documents with any of them, a kern keeps its own documents and those for the whole
gemeente) and of the cosine against the stored vectors. The embedded backend ranks with it; the
Meilisearch backend uses it for the vector half of a question when the worker keeps one
(search.meili: no HTTP request after the embedding).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from search.documents import Document
from search.language import fold

log = logging.getLogger(__name__)


class DocumentTable:
    def __init__(self, docs: Sequence[Document], vectors: np.ndarray | None) -> None:
        """vectors: (len(docs), dim), row i belongs to docs[i]; None: no semantic scores."""
        self.docs = list(docs)
        self.slugs = [d.slug for d in docs]
        self._gemeente = [fold(d.gemeente) if d.gemeente else None for d in docs]
        self._categories = [frozenset(d.categories) for d in docs]
        self._kernen = [frozenset(fold(k).strip() for k in d.kernen) for d in docs]
        self._unit: np.ndarray | None = None
        if vectors is not None and len(vectors):
            vectors = np.asarray(vectors, dtype=np.float32)
            if vectors.ndim != 2 or vectors.shape[0] != len(docs):
                raise ValueError(f"vectors must have shape (len(docs), dim), got {vectors.shape}")
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            self._unit = (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)

    def __len__(self) -> int:
        return len(self.slugs)

    @property
    def has_vectors(self) -> bool:
        return self._unit is not None

    def replaced(
        self, changed: Sequence[Document], vectors: np.ndarray | None, removed: Sequence[str]
    ) -> DocumentTable:
        """A table with `changed` added or replaced (their vectors row by row) and `removed` (slugs) gone."""
        gone = set(removed) | {d.slug for d in changed}
        keep = [i for i, slug in enumerate(self.slugs) if slug not in gone]
        docs = [self.docs[i] for i in keep] + list(changed)
        if self._unit is None or vectors is None:
            return DocumentTable(docs, None)
        rows = np.asarray(vectors, dtype=np.float32).reshape(len(changed), -1)
        return DocumentTable(docs, np.vstack([self._unit[keep], rows]))

    def mask(
        self, gemeente: str | None, categories: Sequence[str] | None, kern: str | None
    ) -> np.ndarray | None:
        """1.0 for the rows the filters keep, 0.0 for the others; None when there is no filter."""
        if gemeente is None and not categories and kern is None:
            return None
        g = fold(gemeente) if gemeente else None
        cats = frozenset(categories or ())
        k = fold(kern).strip() if kern else None
        keep = [
            (g is None or dg is None or dg == g)
            and (not cats or not cats.isdisjoint(dc))
            and (k is None or not dk or k in dk)
            for dg, dc, dk in zip(self._gemeente, self._categories, self._kernen, strict=True)
        ]
        return np.asarray(keep, dtype=np.float64)

    def cosines(self, vector: np.ndarray | None) -> np.ndarray | None:
        """The cosine of every row with `vector`; None without vectors (or a vector that does not fit)."""
        if vector is None or self._unit is None:
            return None
        v = np.asarray(vector, dtype=np.float32).reshape(-1)
        if v.shape[0] != self._unit.shape[1]:
            log.warning(
                "query vector has %d dimensions, index has %d: keyword only", v.shape[0], self._unit.shape[1]
            )
            return None
        norm = float(np.linalg.norm(v))
        if norm == 0.0:
            return None
        return np.asarray(self._unit @ (v / norm), dtype=np.float64)

    def nearest(
        self, vector: np.ndarray | None, mask: np.ndarray | None, k: int
    ) -> tuple[list[tuple[str, float]], int] | None:
        """The k rows closest to `vector` among those `mask` keeps, as (slug, cosine), best first, and how
        many rows the mask keeps; None without a usable vector."""
        cosines = self.cosines(vector)
        if cosines is None:
            return None
        kept = np.flatnonzero(mask) if mask is not None else np.arange(len(cosines))
        if k < kept.size:
            kept = kept[np.argpartition(-cosines[kept], k - 1)[:k]]
        order = sorted(kept.tolist(), key=lambda i: (-float(cosines[i]), self.slugs[i]))
        total = int(np.count_nonzero(mask)) if mask is not None else len(cosines)
        return [(self.slugs[i], float(cosines[i])) for i in order], total

"""A SearchBackend built at its first use: the embedded fallback of a worker that searches Meilisearch.

With Meilisearch the embedded backend only answers while Meilisearch is down, yet building it holds every
document's postings and vectors in each worker (issue #15: 1.1 GB a worker at 50,000 entries). `LazyBackend`
takes the documents and vectors it is given and builds the real backend only when something needs it: the
first search (the first request that falls back pays the build), `healthy()` or `save()`. One build, even
when several request threads need it at once: the others wait for it.

`lazy_fallback` decides, from the MEILI_FALLBACK setting and the number of entries, whether a worker builds
its fallback at once (`eager`) or at its first use (`lazy`); `auto` is lazy from LAZY_FROM entries on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Final

import numpy as np

from search.backend import KEYWORD_WEIGHT, SearchBackend
from search.documents import Document, Hit
from search.heap import release_free_heap

log = logging.getLogger(__name__)

# `auto` builds the fallback lazily from this many entries on. The embedded backend's worker passes 400 MB
# at about 4,500 entries (docs/architecture.md, "National scale"); below 5,000 its index is small and
# quick to build, so a worker keeps it ready rather than make the first degraded request wait.
LAZY_FROM: Final = 5000
MODES: Final = ("auto", "eager", "lazy")


def lazy_fallback(mode: str, entries: int) -> bool:
    """Whether the fallback of a worker with `entries` documents is built at first use (MEILI_FALLBACK)."""
    if mode not in MODES:
        raise ValueError(f"MEILI_FALLBACK is {mode!r}; choose one of {', '.join(MODES)}")
    return mode == "lazy" or (mode == "auto" and entries >= LAZY_FROM)


def fallback_for(mode: str, entries: int, factory: Callable[[], SearchBackend], name: str) -> SearchBackend:
    """`factory()` now (eager), or a LazyBackend that calls it at first use, as MEILI_FALLBACK says."""
    return LazyBackend(factory, name=name) if lazy_fallback(mode, entries) else factory()


class LazyBackend:
    """Builds `factory()` and indexes it with the last documents and vectors given, at its first use."""

    def __init__(self, factory: Callable[[], SearchBackend], name: str) -> None:
        """name: the real backend's name (FallbackBackend reports it without building anything)."""
        self.name = name
        self._factory = factory
        self._lock = threading.Lock()
        self._backend: SearchBackend | None = None
        self._pending: tuple[list[Document], np.ndarray | None] | None = None
        self.builds = 0

    @property
    def built(self) -> bool:
        return self._backend is not None

    def index(self, docs: Sequence[Document], vectors: np.ndarray | None) -> None:
        """Replace the index: at once when the backend is built, else at its build (it keeps them until
        then; the real backend's checks, such as duplicate slugs, run at the build)."""
        with self._lock:
            if self._backend is not None:
                self._backend.index(docs, vectors)
            else:
                self._pending = (list(docs), vectors)

    def backend(self) -> SearchBackend:
        """The real backend, built (and indexed) by the first caller; the others wait for that build."""
        backend = self._backend
        if backend is not None:
            return backend
        with self._lock:
            if self._backend is None:
                self._backend = self._build()
            return self._backend

    def _build(self) -> SearchBackend:
        start = time.perf_counter()
        backend = self._factory()
        if self._pending is not None:
            docs, vectors = self._pending
            backend.index(docs, vectors)
            log.info(
                "search: %s built at first use, %d documents in %.1f s",
                self.name,
                len(docs),
                time.perf_counter() - start,
            )
        self._pending = None  # a failed build keeps them: the next use tries again
        self.builds += 1
        release_free_heap()  # the build's garbage leaves the process, as after the app's startup build
        return backend

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
        return self.backend().search(
            query,
            gemeente=gemeente,
            categories=categories,
            kern=kern,
            limit=limit,
            vector=vector,
            keyword_weight=keyword_weight,
        )

    def healthy(self) -> bool:
        """The real backend's health; a build that fails is unhealthy (and is tried again next time)."""
        try:
            backend = self.backend()
        except Exception:  # noqa: BLE001 - a health check answers, it does not raise
            log.exception("search: building %s failed", self.name)
            return False
        return backend.healthy()

    def save(self) -> None:
        """Persist the real backend's index when it can (FallbackBackend.save, `flask index build`)."""
        save = getattr(self.backend(), "save", None)
        if callable(save):
            save()

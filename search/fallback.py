"""A SearchBackend that answers from a primary (Meilisearch) and falls back to a secondary (embedded).

A small circuit breaker: when the primary fails (down, slower than its timeout, index missing), the
secondary answers at once and the primary is skipped for `retry_after` seconds. After that a single
background probe checks the primary (and rebuilds its index when it came back empty); requests never wait
for it. When the probe succeeds the primary answers again.

Also here: `MeiliVersion`, which remembers in Meilisearch which content its index holds, so every worker
of every web container does not rebuild the same index at startup.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from search.backend import (
    KEYWORD_WEIGHT,
    BackendUnavailable,
    Deferred,
    PendingSearch,
    SearchBackend,
    begin,
)
from search.documents import Document, Hit

log = logging.getLogger(__name__)


class FallbackBackend:
    def __init__(
        self,
        primary: SearchBackend,
        secondary: SearchBackend,
        *,
        retry_after: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        on_primary_indexed: Callable[[], None] | None = None,
        indexer: Callable[[list[Document], np.ndarray | None], object] | None = None,
    ) -> None:
        """indexer, when given, indexes the primary in place of primary.index (search.shared_index: one
        build for all workers, skipped when the live index is current)."""
        self.primary = primary
        self.secondary = secondary
        self.retry_after = retry_after
        self.clock = clock
        self.on_primary_indexed = on_primary_indexed
        self.indexer = indexer
        self._lock = threading.Lock()
        self._open_until: float | None = None  # None: the primary answers
        self._probing = False
        self._needs_index = False
        self._docs: list[Document] = []
        self._vectors: np.ndarray | None = None
        self.last_error = ""
        self.failures = 0

    # ------------------------------------------------------------------ state
    @property
    def degraded(self) -> bool:
        """True while the secondary answers in place of the primary."""
        return self._open_until is not None

    @property
    def name(self) -> str:
        """The backend that answers now."""
        return self.secondary.name if self.degraded else self.primary.name

    @name.setter
    def name(self, value: str) -> None:
        raise AttributeError("FallbackBackend.name follows the backend that answers")

    def healthy(self) -> bool:
        return self.secondary.healthy()

    def _trip(self, error: str) -> None:
        with self._lock:
            if self._open_until is None:
                log.warning(
                    "search: %s failed (%s); %s answers", self.primary.name, error, self.secondary.name
                )
            self._open_until = self.clock() + self.retry_after
            self.last_error = error
            self.failures += 1

    def _close(self) -> None:
        with self._lock:
            if self._open_until is not None:
                log.info("search: %s is back", self.primary.name)
            self._open_until = None
            self.last_error = ""

    # ------------------------------------------------------------------ indexing
    def index(self, docs: Sequence[Document], vectors: np.ndarray | None, *, primary: bool = True) -> None:
        """Index the secondary (must work) and, unless primary=False (already current), the primary."""
        self._docs = list(docs)
        self._vectors = vectors
        self.secondary.index(docs, vectors)
        if not primary:
            return
        try:
            # A quick health check first: a hanging server must not hold a worker for the index timeout.
            if not self.primary.healthy():
                raise BackendUnavailable("not healthy")
            self._index_primary()
        except Exception as exc:  # noqa: BLE001 - any failure of the primary means: fall back
            self._needs_index = True
            self._trip(f"indexing failed: {exc}")

    def save(self) -> None:
        """Persist the secondary's index when it can (the embedded backend writes a file)."""
        save = getattr(self.secondary, "save", None)
        if callable(save):
            save()

    def _index_primary(self) -> None:
        if self.indexer is not None:
            self.indexer(self._docs, self._vectors)
        else:
            self.primary.index(self._docs, self._vectors)
        self._needs_index = False
        if self.on_primary_indexed is not None:
            self.on_primary_indexed()

    # ------------------------------------------------------------------ searching
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
        pending = self.begin(query, gemeente=gemeente, categories=categories, kern=kern)
        return pending.hits(vector, limit, keyword_weight)

    def begin(
        self,
        query: str,
        *,
        gemeente: str | None = None,
        categories: Sequence[str] | None = None,
        kern: str | None = None,
    ) -> PendingSearch:
        """The primary's search begun (search.backend.begin), or the secondary's when the circuit is open;
        a primary that fails at hits() trips the circuit and the secondary answers that same search."""
        filters: dict[str, Any] = {"gemeente": gemeente, "categories": categories, "kern": kern}
        open_until = self._open_until
        if open_until is None:
            try:
                return _Failover(self, query, filters, begin(self.primary, query, **filters))
            except Exception as exc:  # noqa: BLE001 - BackendUnavailable, or anything unexpected
                self._failed(exc)
        elif self.clock() >= open_until:
            self._start_probe()
        return Deferred(self.secondary, query, filters)

    def _failed(self, exc: Exception) -> None:
        self._trip(str(exc) or type(exc).__name__)
        if isinstance(exc, BackendUnavailable) and "index_not_found" in str(exc):
            self._needs_index = True

    # ------------------------------------------------------------------ recovery
    def _start_probe(self) -> None:
        with self._lock:
            if self._probing:
                return
            self._probing = True
            # While the probe runs, the next one waits a full interval.
            self._open_until = self.clock() + self.retry_after
        threading.Thread(target=self.probe, name="search-probe", daemon=True).start()

    def probe(self) -> bool:
        """Check the primary once (rebuild its index when needed); close the circuit when it answers."""
        try:
            if not self.primary.healthy():
                raise BackendUnavailable("not healthy")
            if self._needs_index:
                self._index_primary()
            try:
                self.primary.search("hulp", limit=1)
            except BackendUnavailable as exc:
                if "index_not_found" not in str(exc) or not self._docs:
                    raise
                self._index_primary()
                self.primary.search("hulp", limit=1)
        except Exception as exc:  # noqa: BLE001 - the probe fails for any reason: stay on the secondary
            self._trip(f"probe: {exc}")
            return False
        else:
            self._close()
            return True
        finally:
            with self._lock:
                self._probing = False

    def stats(self) -> dict[str, Any]:
        return {
            "primary": self.primary.name,
            "secondary": self.secondary.name,
            "degraded": self.degraded,
            "failures": self.failures,
            "last_error": self.last_error,
        }


class _Failover:
    """A search begun on the primary; the secondary answers it when the primary fails."""

    def __init__(
        self, owner: FallbackBackend, query: str, filters: dict[str, Any], primary: PendingSearch
    ) -> None:
        self.owner = owner
        self.query = query
        self.filters = filters
        self.primary = primary

    def hits(
        self, vector: np.ndarray | None, limit: int, keyword_weight: float = KEYWORD_WEIGHT
    ) -> list[Hit]:
        try:
            return self.primary.hits(vector, limit, keyword_weight)
        except Exception as exc:  # noqa: BLE001 - BackendUnavailable, or anything unexpected
            self.owner._failed(exc)
        return self.owner.secondary.search(
            self.query, **self.filters, limit=limit, vector=vector, keyword_weight=keyword_weight
        )


@dataclass(frozen=True)
class Snapshot:
    """slug -> entry hash of every record in the live index, as the process that last built or updated it
    knew them, with the index's stamp right after that write (MeiliBackend.stamp) and the version it
    recorded. Good while both still hold: nothing was written to the index since, and that version is
    still the recorded one."""

    version: str
    stamp: tuple[str, str]
    hashes: dict[str, str]


class MeiliVersion:
    """The fingerprint of the content in a Meilisearch index, kept in a side index, with the snapshot of the
    records' hashes the process that recorded it left (search.shared_index: it reads 2.5 MB there instead
    of two fields of all 50,000 records)."""

    DOC_ID = "content"
    SNAPSHOT_ID = "hashes"
    SEARCHABLE = ["fingerprint"]  # the side index's only searchable field: the snapshot is kept, not indexed

    def __init__(
        self,
        url: str,
        api_key: str | None,
        index_name: str,
        timeout: float = 2.0,
        admin_key: str | None = None,
    ) -> None:
        """api_key reads (documents.get is enough); admin_key, when given, writes."""
        import meilisearch

        self._client = meilisearch.Client(url, api_key, timeout=timeout)  # type: ignore[arg-type]
        self._admin = meilisearch.Client(url, admin_key or api_key, timeout=timeout)  # type: ignore[arg-type]
        self.meta_index = f"{index_name}__meta"
        self._prepared = False

    def get(self) -> str | None:
        try:
            doc = self._client.index(self.meta_index).get_document(self.DOC_ID)
        except Exception:  # noqa: BLE001 - missing index, server down: unknown version
            return None
        value = getattr(doc, "fingerprint", None)
        return str(value) if value else None

    def set(self, value: str, *, strict: bool = False, snapshot: Snapshot | None = None) -> None:
        """Record `value`, and in the same task `snapshot` or none (so no snapshot outlives the version it
        was recorded with); a failure is logged (the next start re-indexes), or raised when `strict`."""
        kept: dict[str, Any] = {"id": self.SNAPSHOT_ID, "version": "", "stamp": [], "hashes": ""}
        if snapshot is not None:
            kept.update(
                version=snapshot.version,
                stamp=list(snapshot.stamp),
                hashes=json.dumps(snapshot.hashes, separators=(",", ":")),
            )
        records: list[dict[str, Any]] = [{"id": self.DOC_ID, "fingerprint": value}, kept]
        try:
            if snapshot is not None:
                self._prepare()
            task = self._admin.index(self.meta_index).add_documents(records, primary_key="id")
            self._wait(task.task_uid)
        except Exception as exc:  # noqa: BLE001 - next start simply re-indexes
            if strict:
                raise BackendUnavailable(f"meilisearch: could not record the index version: {exc}") from exc
            log.warning("meilisearch: could not record the index version", exc_info=True)

    def snapshot(self) -> Snapshot | None:
        """The snapshot recorded with the version; None when there is none or it cannot be read."""
        try:
            doc = self._admin.http.get(f"indexes/{self.meta_index}/documents/{self.SNAPSHOT_ID}")
            version, stamp = str(doc.get("version") or ""), doc.get("stamp") or []
            if not version or len(stamp) != 2:
                return None
            hashes = json.loads(doc["hashes"])
            return Snapshot(
                version, (str(stamp[0]), str(stamp[1])), {str(k): str(v) for k, v in hashes.items()}
            )
        except Exception:  # noqa: BLE001 - missing, unreadable: the records themselves are read
            log.debug("meilisearch: no snapshot of the records' hashes", exc_info=True)
            return None

    def _prepare(self) -> None:
        """The side index searches the fingerprint alone, so a snapshot is stored without being indexed."""
        if self._prepared:
            return
        index = self._admin.index(self.meta_index)
        try:
            searchable = index.get_settings().get("searchableAttributes")
        except Exception:  # noqa: BLE001 - no side index yet: the settings make it
            searchable = None
        if searchable != self.SEARCHABLE:
            self._wait(index.update_settings({"searchableAttributes": self.SEARCHABLE}).task_uid)
        self._prepared = True

    def _wait(self, task_uid: int) -> None:
        done = self._admin.wait_for_task(task_uid, timeout_in_ms=10_000, interval_in_ms=20)
        if done.status != "succeeded":
            raise RuntimeError(f"task {task_uid} {done.status}: {done.error}")

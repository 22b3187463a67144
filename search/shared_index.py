"""One Meilisearch index for every worker: a lock, a look at the live index, a build only when needed.

Every gunicorn worker (and `flask content reload`) asks `SharedIndex.ensure` for the index of its content.
Under a file lock shared by the processes of one host, the first one that finds the live index stale
builds it (search.meili builds next to the live index and swaps); the others wait for the lock, then find
it current and only use it. "Current" means: the recorded fingerprint is this content's, the index exists,
holds one document per entry and has the embedder settings the vectors need. So a deleted, emptied or
half-set index is rebuilt by the next reload even when the content did not change.

The recorded version is the content's fingerprint and the settings' key (synonyms, stop words, embedder).
When only the content changed, and only a few entries (an editor saved one), `ensure` sends those alone:
each record carries the hash of the entry and vector it was made from (search.meili.entry_hash), so any
process (the one-off reload job too) can tell which records differ. Meilisearch updates one document in
about a second where a build copies all of them (bench.scale).

A process without the admin key (the web containers get a search-only key) never builds: a stale index
raises BackendUnavailable, the embedded backend answers, and the index is built by the reload job.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from search.backend import BackendUnavailable
from search.documents import Document
from search.fallback import MeiliVersion
from search.meili import MeiliBackend, entry_hash

log = logging.getLogger(__name__)

# Up to this many changed entries (or this share of all, when larger) are sent alone; more mean a build.
UPDATE_AT_MOST = 50
UPDATE_SHARE = 0.05
UPDATING = "updating"  # the recorded version while an update runs: a half update is never "current"


def changes(
    live: Mapping[str, str], docs: Sequence[Document], vectors: np.ndarray | None
) -> tuple[list[int], list[str]]:
    """(positions in `docs` of the entries whose record is missing or made from something else, slugs of
    the records whose entry is gone); `live` is slug -> entry_hash (MeiliBackend.hashes)."""
    changed = [
        i
        for i, doc in enumerate(docs)
        if live.get(doc.slug) != entry_hash(doc, None if vectors is None else vectors[i])
    ]
    now = {d.slug for d in docs}
    return changed, [slug for slug in live if slug not in now]


@contextmanager
def file_lock(path: Path, wait: float) -> Iterator[None]:
    """An exclusive fcntl lock on `path`, waited for at most `wait` seconds (BackendUnavailable after)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BackendUnavailable(f"another process holds {path} (waited {wait:.0f} s)") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class SharedIndex:
    def __init__(
        self,
        meili: MeiliBackend,
        version: MeiliVersion,
        wanted: str,
        lock_path: Path,
        *,
        can_build: bool = True,
        wait: float = 120.0,
    ) -> None:
        self.meili = meili
        self.version = version
        self.wanted = wanted
        self.lock_path = lock_path
        self.can_build = can_build
        self.wait = wait
        self.builds = 0  # by this object: what the tests count
        self.updates = 0

    def target(self, dimensions: int | None) -> str:
        """The version the live index must record: this content and these settings."""
        return f"{self.wanted}:{self.meili.settings_key(dimensions)}"

    def problem(self, documents: int, dimensions: int | None) -> str | None:
        """Why the live index is not the one for this content; None when it is."""
        live = self.meili.live()
        if live is None:
            return "no index"
        count, embedder = live
        if count != documents:
            return f"{count} documents in the index, {documents} in the content"
        if dimensions is not None and embedder != dimensions:
            return "no embedder settings" if embedder is None else f"embedder of {embedder} dimensions"
        if self.version.get() != self.target(dimensions):
            return "other content or settings"
        return None

    def ensure(self, docs: Sequence[Document], vectors: np.ndarray | None, *, force: bool = False) -> bool:
        """Make the live index this content's; True when this call built or updated it."""
        dimensions = None if vectors is None else int(np.asarray(vectors).shape[1])
        if not force and self.problem(len(docs), dimensions) is None:
            return False  # the common case, without waiting for the lock
        if not self.can_build:
            raise BackendUnavailable("the index is not current and this process may not build it")
        with file_lock(self.lock_path, self.wait):
            # Whoever held the lock before us may have built it already.
            reason = "forced" if force else self.problem(len(docs), dimensions)
            if reason is None:
                return False
            if not force and self._update(docs, vectors):
                return True
            log.info("meilisearch: building the index (%s)", reason)
            self.meili.index(docs, vectors)
            self.version.set(self.target(dimensions))
            self.builds += 1
            return True

    def _update(self, docs: Sequence[Document], vectors: np.ndarray | None) -> bool:
        """Send the changed entries alone when the live index has these settings and few entries differ;
        True if sent."""
        dimensions = None if vectors is None else int(np.asarray(vectors).shape[1])
        recorded = self.version.get() or ""
        if recorded.rpartition(":")[2] != self.meili.settings_key(dimensions):
            return False  # other settings (or a half update, or none recorded): a build writes them
        live = self.meili.live()
        if live is None or (dimensions is not None and live[1] != dimensions):
            return False
        hashes = self.meili.hashes()
        if "" in hashes.values():
            return False  # records from before entry hashes
        changed, removed = changes(hashes, docs, vectors)
        if len(changed) + len(removed) > max(UPDATE_AT_MOST, UPDATE_SHARE * len(docs)):
            return False
        log.info("meilisearch: updating %d entries, removing %d", len(changed), len(removed))
        self.version.set(UPDATING, strict=True)
        rows = None if vectors is None else np.asarray(vectors)[changed]
        self.meili.update([docs[i] for i in changed], rows, removed, len(docs))
        self.version.set(self.target(dimensions))
        self.updates += 1
        return True

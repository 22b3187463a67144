"""One Meilisearch index for every worker: a lock, a look at the live index, a build only when needed.

Every gunicorn worker (and `flask content reload`) asks `SharedIndex.ensure` for the index of its content.
Under a file lock shared by the processes of one host, the first one that finds the live index stale
builds it (search.meili builds next to the live index and swaps); the others wait for the lock, then find
it current and only use it. "Current" means: the recorded fingerprint is this content's, the index exists,
holds one document per entry and has the embedder settings the vectors need. So a deleted, emptied or
half-set index is rebuilt by the next reload even when the content did not change.

When the live index holds the content this process indexed before (its fingerprint is the recorded one) and
only a few entries changed (an editor saved one), `ensure` sends those alone: Meilisearch updates one
document in about a second where a build copies all of them (bench.scale).

A process without the admin key (the web containers get a search-only key) never builds: a stale index
raises BackendUnavailable, the embedded backend answers, and the index is built by the reload job.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.backend import BackendUnavailable
from search.documents import Document
from search.fallback import MeiliVersion
from search.meili import MeiliBackend

log = logging.getLogger(__name__)

# Up to this many changed entries (or this share of all, when larger) are sent alone; more mean a build.
UPDATE_AT_MOST = 50
UPDATE_SHARE = 0.05
UPDATING = "updating"  # the recorded fingerprint while an update runs: a half update is never "current"


@dataclass(frozen=True)
class Indexed:
    """What a process indexed last: its documents, their vectors and their fingerprint."""

    docs: Sequence[Document]
    vectors: np.ndarray | None
    fingerprint: str


def changes(
    before: Indexed, docs: Sequence[Document], vectors: np.ndarray | None
) -> tuple[list[int], list[str]]:
    """(positions in `docs` of the new or changed entries, slugs of the entries that are gone)."""
    position = {d.slug: i for i, d in enumerate(before.docs)}

    def same(i: int, j: int | None) -> bool:
        if j is None or before.docs[j] != docs[i]:
            return False
        if vectors is None:
            return True
        return before.vectors is not None and bool(np.array_equal(before.vectors[j], vectors[i]))

    changed = [i for i, doc in enumerate(docs) if not same(i, position.get(doc.slug))]
    now = {d.slug for d in docs}
    return changed, [slug for slug in position if slug not in now]


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
        if self.version.get() != self.wanted:
            return "other content"
        return None

    def ensure(
        self,
        docs: Sequence[Document],
        vectors: np.ndarray | None,
        *,
        force: bool = False,
        before: Indexed | None = None,
    ) -> bool:
        """Make the live index this content's; True when this call built or updated it. `before`: what this
        process indexed last, so that a few changed entries can be sent alone."""
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
            if not force and before is not None and self._update(before, docs, vectors):
                return True
            log.info("meilisearch: building the index (%s)", reason)
            self.meili.index(docs, vectors)
            self.version.set(self.wanted)
            self.builds += 1
            return True

    def _update(self, before: Indexed, docs: Sequence[Document], vectors: np.ndarray | None) -> bool:
        """Send the changed entries alone when the live index holds `before` and few changed; True if sent."""
        dimensions = None if vectors is None else int(np.asarray(vectors).shape[1])
        before_dimensions = None if before.vectors is None else int(np.asarray(before.vectors).shape[1])
        if dimensions != before_dimensions or self.version.get() != before.fingerprint:
            return False
        live = self.meili.live()
        if live is None or live[0] != len(before.docs) or (dimensions is not None and live[1] != dimensions):
            return False
        changed, removed = changes(before, docs, vectors)
        if len(changed) + len(removed) > max(UPDATE_AT_MOST, UPDATE_SHARE * len(docs)):
            return False
        log.info("meilisearch: updating %d entries, removing %d", len(changed), len(removed))
        self.version.set(UPDATING)
        rows = None if vectors is None else np.asarray(vectors)[changed]
        self.meili.update([docs[i] for i in changed], rows, removed, len(docs))
        self.version.set(self.wanted)
        self.updates += 1
        return True

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
under a second where a build copies all of them (bench.scale). The fingerprint and the entries' hashes
are made in one pass over the documents (`Content`): at 50,000 entries writing out the documents is most
of the time either takes. The live records' hashes come from the snapshot the last builder or updater
recorded with the version (MeiliVersion: one document of 2.5 MB at 50,000 entries), used only while the
index was not written since (its stamp, MeiliBackend.stamp) and that version is still the recorded one;
otherwise from the records themselves (two fields of every record: 0.4 to 1 s at 50,000).

A process without the admin key (the web containers get a search-only key) never builds: a stale index
raises BackendUnavailable, the embedded backend answers, and the index is built by the reload job.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.backend import BackendUnavailable
from search.documents import Document, document_bytes
from search.fallback import MeiliVersion, Snapshot
from search.meili import MeiliBackend, record_hash

log = logging.getLogger(__name__)

# Up to this many changed entries (or this share of all, when larger) are sent alone; more mean a build.
UPDATE_AT_MOST = 50
UPDATE_SHARE = 0.05
UPDATING = "updating"  # the recorded version while an update runs: a half update is never "current"


@dataclass(frozen=True)
class Content:
    """What an index is made from, hashed once: the fingerprint of the documents with the model of their
    vectors (what the recorded version names: the vectors themselves are left out, so a worker that
    embedded a passage again on another CPU still finds the index current), and each document's
    entry_hash with its vector (what its record carries), in the order of the documents."""

    fingerprint: str
    hashes: tuple[str, ...]

    @classmethod
    def of(cls, docs: Sequence[Document], vectors: np.ndarray | None, model_id: str) -> Content:
        """One pass: each document written out once (documents.document_bytes) serves both."""
        digest = hashlib.sha256(model_id.encode())
        rows = None if vectors is None else np.ascontiguousarray(vectors, dtype=np.float32)  # views of rows
        hashes = [""] * len(docs)
        for i in sorted(range(len(docs)), key=[d.slug for d in docs].__getitem__):
            text = document_bytes(docs[i])
            digest.update(text)
            hashes[i] = record_hash(text, None if rows is None else rows[i])
        return cls(digest.hexdigest(), tuple(hashes))


def changes(
    live: Mapping[str, str], docs: Sequence[Document], hashes: Sequence[str]
) -> tuple[list[int], list[str]]:
    """(positions in `docs` of the entries whose record is missing or made from something else, slugs of
    the records whose entry is gone); `live` is slug -> entry_hash (MeiliBackend.hashes), `hashes` the
    documents' own (Content.hashes)."""
    changed = [i for i, doc in enumerate(docs) if live.get(doc.slug) != hashes[i]]
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
        model_id: str,
        lock_path: Path,
        *,
        can_build: bool = True,
        wait: float = 120.0,
    ) -> None:
        """model_id: the model of the vectors ensure() gets ("none" without vectors)."""
        self.meili = meili
        self.version = version
        self.model_id = model_id
        self.lock_path = lock_path
        self.can_build = can_build
        self.wait = wait
        self.wanted: str | None = None  # the fingerprint of the content last ensured
        self.builds = 0  # by this object: what the tests count
        self.updates = 0
        self.records_read = 0  # the live records' hashes read from the records, not from a snapshot

    def content(self, docs: Sequence[Document], vectors: np.ndarray | None) -> Content:
        return Content.of(docs, vectors, self.model_id)

    def target(self, fingerprint: str, dimensions: int | None) -> str:
        """The version the live index must record: this content and these settings."""
        return f"{fingerprint}:{self.meili.settings_key(dimensions)}"

    def problem(self, docs: Sequence[Document], vectors: np.ndarray | None) -> str | None:
        """Why the live index is not the one for this content; None when it is."""
        return self._problem(self.content(docs, vectors), len(docs), _dimensions(vectors))

    def _problem(self, content: Content, documents: int, dimensions: int | None) -> str | None:
        live = self.meili.live()
        if live is None:
            return "no index"
        count, embedder = live
        if count != documents:
            return f"{count} documents in the index, {documents} in the content"
        if dimensions is not None and embedder != dimensions:
            return "no embedder settings" if embedder is None else f"embedder of {embedder} dimensions"
        if self.version.get() != self.target(content.fingerprint, dimensions):
            return "other content or settings"
        return None

    def ensure(self, docs: Sequence[Document], vectors: np.ndarray | None, *, force: bool = False) -> bool:
        """Make the live index this content's; True when this call built or updated it."""
        dimensions = _dimensions(vectors)
        content = self.content(docs, vectors)
        self.wanted = content.fingerprint
        if not force and self._problem(content, len(docs), dimensions) is None:
            return False  # the common case, without waiting for the lock
        if not self.can_build:
            raise BackendUnavailable("the index is not current and this process may not build it")
        with file_lock(self.lock_path, self.wait):
            # Whoever held the lock before us may have built it already.
            reason = "forced" if force else self._problem(content, len(docs), dimensions)
            if reason is None:
                return False
            if not force and self._update(docs, vectors, content):
                return True
            log.info("meilisearch: building the index (%s)", reason)
            self.meili.index(docs, vectors)
            self._record(docs, content, dimensions)
            self.builds += 1
            return True

    def _update(self, docs: Sequence[Document], vectors: np.ndarray | None, content: Content) -> bool:
        """Send the changed entries alone when the live index has these settings and few entries differ;
        True if sent."""
        dimensions = _dimensions(vectors)
        recorded = self.version.get() or ""
        if recorded.rpartition(":")[2] != self.meili.settings_key(dimensions):
            return False  # other settings (or a half update, or none recorded): a build writes them
        live = self.meili.live()
        if live is None or (dimensions is not None and live[1] != dimensions):
            return False
        hashes = self._live_hashes(recorded, live[0])
        if "" in hashes.values():
            return False  # records from before entry hashes
        changed, removed = changes(hashes, docs, content.hashes)
        if len(changed) + len(removed) > max(UPDATE_AT_MOST, UPDATE_SHARE * len(docs)):
            return False
        log.info("meilisearch: updating %d entries, removing %d", len(changed), len(removed))
        self.version.set(UPDATING, strict=True)
        rows = None if vectors is None else np.asarray(vectors)[changed]
        self.meili.update([docs[i] for i in changed], rows, removed, len(docs))
        self._record(docs, content, dimensions)
        self.updates += 1
        return True

    def _live_hashes(self, recorded: str, documents: int) -> dict[str, str]:
        """slug -> entry_hash of the live index's records: the recorded snapshot while it still holds."""
        snapshot = self.version.snapshot()
        if (
            snapshot is not None
            and snapshot.version == recorded
            and len(snapshot.hashes) == documents
            and snapshot.stamp == self.meili.stamp()
        ):
            return snapshot.hashes
        self.records_read += 1
        return self.meili.hashes()

    def _record(self, docs: Sequence[Document], content: Content, dimensions: int | None) -> None:
        """The version of this content, with the snapshot of the records just written when nothing was
        written to the index after them (MeiliBackend.last_stamp)."""
        target = self.target(content.fingerprint, dimensions)
        stamp = self.meili.last_stamp
        hashes = dict(zip((d.slug for d in docs), content.hashes, strict=True))
        self.version.set(target, snapshot=None if stamp is None else Snapshot(target, stamp, hashes))


def _dimensions(vectors: np.ndarray | None) -> int | None:
    return None if vectors is None else int(np.asarray(vectors).shape[1])

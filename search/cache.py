"""Vector caches: passage (and corpus question) vectors on disk, the residents' question vectors in memory.

`VectorCache` keeps what is embedded again and again across restarts (the entries, the category needs, the
triage corpus) as files keyed by model and text. `CachedEmbedder` wraps an embedder with an LRU of question
vectors: residents ask the same questions, and the matcher asks "... in Oss" and "... in Uden" as one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from search.embedder import Embedder, embed_queries

Progress = Callable[[int, int], None]  # (done, total): how long work reports how far it is
CHUNK = 128  # texts embedded between two progress reports


class VectorCache:
    """Passage vectors on disk, one .npy per sha256(model_id + NUL + text), sharded by prefix."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(model_id: str, text: str) -> str:
        return hashlib.sha256(f"{model_id}\0{text}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.npy"

    def _load(self, key: str, dim: int) -> np.ndarray | None:
        path = self._path(key)
        try:
            vec = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        if vec.shape != (dim,) or vec.dtype != np.float32:
            return None
        return vec

    def _store(self, key: str, vec: np.ndarray) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npy")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.save(fh, np.asarray(vec, dtype=np.float32), allow_pickle=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def lookup(self, embedder: Embedder, text: str) -> np.ndarray | None:
        """The passage vector of text when it is on disk, without embedding it."""
        return self._load(self.key(embedder.model_id, text), embedder.dim)

    def get_or_embed(
        self,
        embedder: Embedder,
        texts: Sequence[str],
        kind: str = "passage",
        progress: Progress | None = None,
    ) -> np.ndarray:
        """Vectors for texts, embedded as passages (default) or as queries, from disk where known.
        `progress(done, total)` is called as the texts not on disk yet are embedded (not when none is)."""
        out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        tag = "" if kind == "passage" else f"{kind}\0"
        keys = [self.key(embedder.model_id, tag + t) for t in texts]
        missing: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            vec = self._load(key, embedder.dim)
            if vec is None:
                missing.setdefault(key, []).append(i)
            else:
                out[i] = vec
                self.hits += 1
        if missing:
            self._embed_missing(embedder, texts, kind, missing, out, progress)
        return out

    def _embed_missing(
        self,
        embedder: Embedder,
        texts: Sequence[str],
        kind: str,
        missing: dict[str, list[int]],
        out: np.ndarray,
        progress: Progress | None,
    ) -> None:
        """Embed what is not on disk in chunks, each stored at once (an interrupted run keeps its work)."""
        todo = list(missing)
        if progress is not None:
            progress(0, len(todo))
        for start in range(0, len(todo), CHUNK):
            keys = todo[start : start + CHUNK]
            part = [texts[missing[k][0]] for k in keys]
            vectors = embed_queries(embedder, part) if kind == "query" else embedder.embed_passages(part)
            for key, vec in zip(keys, vectors, strict=True):
                self._store(key, vec)
                for i in missing[key]:
                    out[i] = vec
            self.misses += len(keys)
            if progress is not None:
                progress(start + len(keys), len(todo))


def normalise_question(text: str) -> str:
    """The cache key of a question: NFC, whitespace collapsed (the model sees the same tokens)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


class CachedEmbedder:
    """An Embedder with an LRU of `size` question vectors keyed by the normalised question (0: no cache).

    Questions handed to keep() (the site's example tiles, in every language) are embedded once and then kept
    outside the LRU: a stream of new questions never evicts them, so a tile never pays the model twice.
    """

    def __init__(self, inner: Embedder, size: int) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._kept: dict[str, np.ndarray | None] = {}  # kept questions -> vector (None until first asked)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def embed_query(self, text: str) -> np.ndarray:
        key = normalise_question(text)
        if self.size <= 0:
            return np.asarray(self.inner.embed_query(key))
        with self._lock:
            vector = self._kept.get(key)
            if vector is None:
                vector = self._cache.get(key)
                if vector is not None:
                    self._cache.move_to_end(key)
            if vector is not None:
                self.hits += 1
                return vector.copy()
        vector = np.asarray(self.inner.embed_query(key))
        with self._lock:
            self.misses += 1
            if key in self._kept:
                self._kept[key] = vector
            else:
                self._cache[key] = vector
                while len(self._cache) > self.size:
                    self._cache.popitem(last=False)
        return vector.copy()

    def keep(self, texts: Sequence[str]) -> None:
        """Keep these questions' vectors outside the LRU once they are asked (never evicted)."""
        with self._lock:
            for text in texts:
                self._kept.setdefault(normalise_question(text), None)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Many questions in one batch (the triage corpus): past the LRU, VectorCache keeps those."""
        return embed_queries(self.inner, texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def clear(self) -> None:
        """Forget the cached question vectors (the kept questions stay kept, their vectors go)."""
        with self._lock:
            self._cache.clear()
            self._kept = dict.fromkeys(self._kept)

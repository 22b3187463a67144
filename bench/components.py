"""Per-question cost of the parts around the model, against the bare embedding, in one process.

    python -m bench.components [--n 300]

Each figure is the median (and p95) over the same n resident questions (bench.latency.new_questions:
the evaluation files' questions, each once), after a warm-up of 20:
- embed: the bare ONNX question embedding (the yardstick);
- router: search.triage.Triage.classify on that vector (fold, letters, regression, neighbour vote, rules);
  once in a row (warm caches) and once right after each question's embedding, as in the app;
- language: search.langid.detect_language (uncached);
- places: the gazetteer's find_all (ours, other scripts, the rest of the Netherlands);
- embedded search: EmbeddedBackend.search on the demo content with the vector and a gemeente filter;
- the router's share of a whole answer: Matcher.ask (a fresh embedding each time) with the router, less the
  same ask with a stand-in that returns the router's own answer at once; per question, both in turn, the
  median of the differences. This is what the router adds to an answer: the code that runs first after the
  embedding pays for the caches the model left cold, with or without the router.
The last column is each part's median as a share of the embedding's. Figures are from one run; the
machine's noise is in them (the load average is printed).
"""

from __future__ import annotations

import argparse
import copy
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench.latency import new_questions
from bench.servers import ROUTER_DIR, ensure_model


def timed(fn: Callable[[int], object], n: int) -> list[float]:
    for i in range(min(20, n)):
        fn(i)
    out = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1000)
    return sorted(out)


def timed_after(before: Callable[[int], object], fn: Callable[[int], object], n: int) -> list[float]:
    """fn's times, each right after an untimed before(i): the caches as the app leaves them."""
    out = []
    for i in range(n):
        before(i)
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1000)
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    from search.embedder import load_embedder
    from search.langid import detect_language, model
    from search.question import Meaning
    from search.triage import Triage
    from search.triage.router import load_router
    from tests.conftest import demo_config
    from webapp import create_app
    from webapp.searching import search_service

    folder = ensure_model()
    embedder = load_embedder(f"onnx:{folder}")
    questions = (new_questions() * 3)[: args.n]
    n = len(questions)
    vectors = np.stack([embedder.embed_query(q) for q in questions])
    triage = Triage(embedder.model_id, load_router(ROUTER_DIR))
    model()  # trained once, before the clock runs
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(demo_config(Path(tmp), EMBEDDER=f"onnx:{folder}"))
        with app.app_context():
            matcher = search_service().matcher()
        backend = matcher.backend
        rows = {
            "embed": timed(lambda i: embedder.embed_query(questions[i] + " "), n),
            "router": timed(lambda i: triage.classify(Meaning.of(questions[i], vectors[i])), n),
            "router, after an embedding": timed_after(
                lambda i: embedder.embed_query(questions[i] + " "),
                lambda i: triage.classify(Meaning.of(questions[i], vectors[i])),
                n,
            ),
            "language": timed(lambda i: detect_language.__wrapped__(questions[i]), n),
            "places": timed(lambda i: matcher.gazetteer.find_all(questions[i]), n),
            "embedded search": timed(
                lambda i: backend.search(questions[i], gemeente="oss", limit=30, vector=vectors[i]), n
            ),
        }
        added = router_share(matcher, embedder, triage, questions)
    base = statistics.median(rows["embed"])
    print(f"{n} questions, load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print("| part | median ms | p95 ms | median / embedding |")
    print("|---|---|---|---|")
    for name, times in rows.items():
        median = statistics.median(times)
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"| {name} | {median:.3f} | {p95:.3f} | {median / base:.3f} |")
    share = "router, its share of an answer (median of paired differences)"
    print(f"| {share} | {added:.3f} | | {added / base:.3f} |")
    return 0


class Replay:
    """A triage that answers what the router answered before, at once (a dict lookup)."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers

    def classify(self, meaning: Any) -> Any:
        return self.answers[meaning.text]


def router_share(matcher: Any, embedder: Any, triage: Any, questions: list[str]) -> float:
    """Median over questions of ask() with the router less ask() with Replay: both embed afresh."""
    from search.question import Meaning, read

    with_router, replayed = copy.copy(matcher), copy.copy(matcher)
    with_router.embedder = replayed.embedder = embedder  # no question cache: every ask embeds
    with_router.triage = triage
    answers = {}
    for text in questions:
        meaning = read(text, matcher.gazetteer).meaning.text
        answers[meaning] = triage.classify(Meaning.of(meaning, embedder.embed_query(meaning)))
    replayed.triage = Replay(answers)
    differences = []
    for i, text in enumerate(questions):
        times = {}
        for name, variant in (("router", with_router), ("replay", replayed))[:: 1 if i % 2 else -1]:
            start = time.perf_counter()
            variant.ask(text)
            times[name] = (time.perf_counter() - start) * 1000
        differences.append(times["router"] - times["replay"])
    return statistics.median(differences)


if __name__ == "__main__":
    sys.exit(main())

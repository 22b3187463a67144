"""Latency of GET /api/v1/ask in-process: warm p50/p95, cold start, and RSS.

    python -m bench.latency [--backend embedded|meilisearch] [--n 500] [--answers 0] [--ahead 0]

Prints one line with two warm figures:
- mixed: n questions from bench/questions.py (26 needs x 9 places, repeats like tiles and examples do);
- new: every resident question of the evaluation files (dev, eigen, toets; longer, 23 tokens on average),
  each asked once, none seen before, so each one pays the model.
Each pass starts with an empty question cache; each figure is the median over --repeat passes. A second line
gives the bare embedding of the same new questions in the same run (the model alone), the ratio of the two
p95s, and the 1-minute load average before and after (the machine is shared: compare ratios, not ms).
The cold start is measured in a fresh Python process: import, app factory, content load, model load,
index build and the first answer.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any
from urllib.parse import urlencode

from bench.embedders import loadavg
from bench.questions import questions
from bench.servers import ROOT, SHARED_EVAL, app_config, meilisearch

EVAL_FILES = (
    SHARED_EVAL / "vragen-dev.jsonl",
    ROOT / "bench" / "vragen-eigen.jsonl",
    ROOT / "bench" / "vragen-toets.jsonl",
)


def new_questions() -> list[str]:
    seen: dict[str, None] = {}
    for path in EVAL_FILES:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    seen.setdefault(json.loads(line)["q"], None)
    return list(seen)


def _timed(client: Any, qs: list[str]) -> list[float]:
    times = []
    for q in qs:
        t = time.perf_counter()
        r = client.get("/api/v1/ask?" + urlencode({"q": q}))
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (q, r.status_code)
    return sorted(times)


def _p(times: list[float], q: float) -> float:
    return times[int(q * (len(times) - 1))] if times else float("nan")


def _median_of(runs: list[list[float]], q: float) -> float:
    return statistics.median(_p(times, q) for times in runs)


def _embedding(app: Any, qs: list[str]) -> list[float]:
    """The bare embedding of the same questions (the model alone, past the question cache), in this run:
    what the new-question latency is compared with."""
    from search.question import analyse

    with app.app_context():
        from webapp.searching import search_service

        service = search_service()
        matcher, embedder = service.matcher(), service.embedder
        if embedder is None:
            return []
        inner = getattr(embedder, "inner", embedder)
        meanings = [analyse(q, matcher.gazetteer, lambda _: None).meaning.text for q in qs]
    times = []
    for text in meanings:
        t = time.perf_counter()
        inner.embed_query(text)
        times.append((time.perf_counter() - t) * 1000)
    return sorted(times)


def _answers(app: Any) -> Any:
    """The Meilisearch backend's kept keyword answers (search.meili_answers), None on the embedded backend."""
    with app.app_context():
        from webapp.searching import search_service

        backend = search_service().search_backend()
    return getattr(getattr(backend, "primary", backend), "answers", None)


def _start_afresh(app: Any) -> None:
    """The Meilisearch backend as a worker's is after a start: no keyword answers but those it asks ahead
    (MEILI_PREPARE_WORDS, webapp.searching.prepare_answers), here before the pass instead of beside it."""
    import threading

    from webapp.catalog import content_service
    from webapp.searching import prepare_answers, search_service

    for thread in threading.enumerate():
        if thread.name == "meili-prepare":
            thread.join()
    with app.app_context():
        meili: Any = getattr(search_service().search_backend(), "primary", None)
        meili.answers.clear()
        prepare_answers(meili, sorted(content_service().catalog.gemeenten), app.config["MEILI_PREPARE_WORDS"])


def warm(config: dict, n: int, repeat: int = 3) -> dict:
    """Warm figures; each is the median over `repeat` passes (this machine's timings wander by a few ms)."""
    from webapp import create_app

    t0 = time.perf_counter()
    app = create_app(config)
    client = app.test_client()
    first = client.get("/api/v1/ask?" + urlencode({"q": "buurthuis"}))
    assert first.status_code == 200, first.data
    cold = time.perf_counter() - t0
    mixed_runs, fresh_runs, embed_runs = [], [], []
    kept_hits = kept_asked = 0
    novel = [q for q in new_questions() if q not in set(questions(n + 30))]
    for _ in range(repeat):
        # Each pass starts with an empty question cache: the same hits and misses every time.
        with app.app_context():
            from webapp.searching import search_service

            embedder = search_service().embedder
            if embedder is not None and hasattr(embedder, "clear"):
                embedder.clear()
        answers = _answers(app)
        if answers is not None:  # and with no keyword answers: words are new to each pass too
            _start_afresh(app)
        for q in questions(30):  # warm-up
            client.get("/api/v1/ask?" + urlencode({"q": q}))
        mixed_runs.append(_timed(client, questions(n)))
        before = (answers.hits, answers.misses) if answers is not None else (0, 0)
        fresh_runs.append(_timed(client, novel))
        if answers is not None:
            kept_hits += answers.hits - before[0]
            kept_asked += answers.hits + answers.misses - sum(before)
        embed_runs.append(_embedding(app, novel))
    import resource

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "p50": _median_of(mixed_runs, 0.5),
        "p95": _median_of(mixed_runs, 0.95),
        "p95_range": (min(_p(t, 0.95) for t in mixed_runs), max(_p(t, 0.95) for t in mixed_runs)),
        "new_n": len(novel),
        "new_p50": _median_of(fresh_runs, 0.5),
        "new_p95": _median_of(fresh_runs, 0.95),
        "new_p95_range": (min(_p(t, 0.95) for t in fresh_runs), max(_p(t, 0.95) for t in fresh_runs)),
        "embed_p50": _median_of(embed_runs, 0.5),
        "embed_p95": _median_of(embed_runs, 0.95),
        "cold_in_process": cold,
        "rss_mb": rss_mb,
        "kept_share": kept_hits / kept_asked if kept_asked else None,
    }


def cold_start(config: dict) -> float:
    """Wall time of a fresh process from start to the first answer."""
    code = (
        "import json,sys,logging; logging.disable(logging.WARNING); from webapp import create_app; "
        "app=create_app(json.loads(sys.argv[1])); "
        "r=app.test_client().get('/api/v1/ask?q=buurthuis'); assert r.status_code==200"
    )
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, json.dumps(config)], check=True)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["embedded", "meilisearch"], default="embedded")
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="passes; each figure is their median")
    parser.add_argument(
        "--answers",
        type=int,
        default=None,
        help="MEILI_ANSWERS: keyword answers a worker keeps (0: ask every query; default: the setting's)",
    )
    parser.add_argument(
        "--ahead",
        type=int,
        default=None,
        help="MEILI_PREPARE_WORDS: words whose answers a worker asks ahead (default: the setting's)",
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    load_before = loadavg()
    with tempfile.TemporaryDirectory() as tmp:
        meili = meilisearch() if args.backend == "meilisearch" else contextlib.nullcontext(("", ""))
        with meili as (url, key):
            extra: dict[str, Any] = {"MEILI_URL": url, "MEILI_MASTER_KEY": key} if url else {}
            if args.answers is not None:
                extra["MEILI_ANSWERS"] = args.answers
            if args.ahead is not None:
                extra["MEILI_PREPARE_WORDS"] = args.ahead
            config = app_config(tmp, args.backend, **extra)
            cold = cold_start({**config, "DATABASE_URL": f"sqlite:///{tmp}/cold.db"})
            result = warm(config, args.n, args.repeat)
    print(
        f"{args.backend}: /api/v1/ask warm p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms "
        f"({args.n} mixed questions; p95 {result['p95_range'][0]:.1f}-{result['p95_range'][1]:.1f}); "
        f"new questions p50 {result['new_p50']:.1f} ms, p95 {result['new_p95']:.1f} ms "
        f"({result['new_n']} never seen; "
        f"p95 {result['new_p95_range'][0]:.1f}-{result['new_p95_range'][1]:.1f}); "
        f"medians of {args.repeat} passes; cold start {cold:.1f} s, RSS {result['rss_mb']:.0f} MB"
    )
    print(
        f"bare embedding of the same new questions p50 {result['embed_p50']:.1f} ms, "
        f"p95 {result['embed_p95']:.1f} ms; new-question p95 / embedding p95 = "
        f"{result['new_p95'] / result['embed_p95']:.2f}x; "
        f"load average {load_before:.2f} -> {loadavg():.2f} ({os.cpu_count()} cores)"
    )
    if result["kept_share"] is not None and args.answers != 0:
        print(
            f"keyword queries of the new questions answered from the worker's kept answers: "
            f"{result['kept_share']:.0%} (each pass starts as a worker does: those of the words residents "
            f"write most asked ahead, then {args.n + 30} mixed questions)"
        )


if __name__ == "__main__":
    main()

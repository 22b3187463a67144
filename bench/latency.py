"""Latency of GET /api/v1/ask in-process: warm p50/p95 over 500 questions, cold start, and RSS.

    python -m bench.latency [--backend embedded|meilisearch] [--n 500]

Prints one line. The cold start is measured in a fresh Python process: import, app factory, content load,
model load, index build and the first answer.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlencode

from bench.questions import questions
from bench.servers import app_config, meilisearch


def warm(config: dict, n: int) -> dict:
    from webapp import create_app

    t0 = time.perf_counter()
    app = create_app(config)
    client = app.test_client()
    first = client.get("/api/v1/ask?" + urlencode({"q": "buurthuis"}))
    assert first.status_code == 200, first.data
    cold = time.perf_counter() - t0
    for q in questions(30):  # warm-up
        client.get("/api/v1/ask?" + urlencode({"q": q}))
    times = []
    for q in questions(n):
        t = time.perf_counter()
        r = client.get("/api/v1/ask?" + urlencode({"q": q}))
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (q, r.status_code)
    times.sort()
    import resource

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "p50": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "cold_in_process": cold,
        "rss_mb": rss_mb,
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
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        meili = meilisearch() if args.backend == "meilisearch" else contextlib.nullcontext(("", ""))
        with meili as (url, key):
            extra = {"MEILI_URL": url, "MEILI_MASTER_KEY": key} if url else {}
            config = app_config(tmp, args.backend, **extra)
            cold = cold_start({**config, "DATABASE_URL": f"sqlite:///{tmp}/cold.db"})
            result = warm(config, args.n)
    print(
        f"{args.backend}: /api/v1/ask warm p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms "
        f"({args.n} questions), cold start {cold:.1f} s, RSS {result['rss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()

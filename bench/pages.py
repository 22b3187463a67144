"""Server time for the resident pages, in-process (Flask test client): p50/p95 over warm requests.

    python -m bench.pages [--n 200]

One line per page; the target is p95 <= 50 ms. No model (EMBEDDER none) and no tiles, as in the browser
tests; the search index and the content are built before the clock starts.
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
]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=200, help="warm requests per page")
    args = parser.parse_args()
    logging.disable(logging.INFO)

    from tests.browser.conftest import browser_config
    from webapp import create_app

    slow = False
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(browser_config(Path(tmp)))
        client = app.test_client()
        for name, path in PAGES:
            for _ in range(10):  # warm-up: content, index, templates
                assert client.get(path).status_code == 200, path
            times = []
            for _ in range(args.n):
                start = time.perf_counter()
                response = client.get(path)
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

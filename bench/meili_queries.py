"""The Meilisearch backend query by query: which requests one new question sends, and how long each takes.

    python -m bench.meili_queries [--repeat 3] [--cpu-passes 5] [--cpu-only]

Starts a throwaway Meilisearch, builds the app on it and analyses every new question of bench.latency once
(place, keywords, vector). Then, per question, it times each request of MeiliBackend.requests() on its own
(a multi-search with that one query), the whole multi-search as search() sends it, the backend's search()
and the bare embedding of the same question. Prints p50/p95 per kind (client wall time and Meilisearch's
own processingTimeMs), and the 1-minute load average before and after.

Then the keyword half alone (--cpu-only: only that), as begin() sends it, in passes over the questions:
Meilisearch's own CPU time per question (utime + stime of its process, /proc/<pid>/stat), keyword queries
per question and the client's wall time of the multi-search, once with every word asked and once with the
words search.meili_words leaves out, alternately. It also asks each left-out word on its own: any that
finds something is counted (it must be 0).
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from collections import defaultdict
from typing import Any

from bench.embedders import loadavg
from bench.latency import new_questions
from bench.servers import app_config, meilisearch_process
from search.documents import ELSEWHERE
from search.question import analyse


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))] if ordered else float("nan")


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def keyword_cpu(meili: Any, asked: list[tuple[str, str | None]], pid: int, passes: int) -> None:
    """Meilisearch's CPU per question for the keyword half, every word asked against words left out."""

    def every_word(words: list[str], **_: Any) -> list[str]:
        return words

    def halves(pick: Any) -> list[list[dict[str, Any]]]:
        meili.may_match = pick  # the instance's, for requests()
        try:
            return [
                [q for k, q in meili.requests(kw, gemeente=where) if k == "keyword"] for kw, where in asked
            ]
        finally:
            del meili.may_match

    kinds = {"every word": halves(every_word), "left out": halves(meili.may_match)}
    wrong = 0
    for every, kept in zip(kinds["every word"], kinds["left out"], strict=True):
        out = [q for q in every if q["q"] not in {k["q"] for k in kept}]
        wrong += sum(1 for r in (meili._multi_search(out) if out else []) if r["estimatedTotalHits"])
    cpu: dict[str, float] = defaultdict(float)
    wall: dict[str, list[float]] = defaultdict(list)
    for half in kinds.values():  # warm up
        for queries in half[:30]:
            meili._multi_search(queries)
    for _ in range(passes):
        for kind, half in kinds.items():
            before = _cpu_seconds(pid)
            for queries in half:
                t = time.perf_counter()
                if queries:
                    meili._multi_search(queries)
                wall[kind].append((time.perf_counter() - t) * 1000)
            cpu[kind] += _cpu_seconds(pid) - before
    for kind, half in kinds.items():
        per_question = sum(len(q) for q in half) / len(half)
        print(
            f"keyword half, {kind:<10}: {per_question:.2f} queries/question, meilisearch cpu "
            f"{1000 * cpu[kind] / (passes * len(half)):.2f} ms/question, "
            f"wall p50 {_p(wall[kind], 0.5):.2f} ms p95 {_p(wall[kind], 0.95):.2f} ms"
        )
    vocabulary = meili.vocabulary()
    print(
        f"words left out that Meilisearch finds: {wrong} (table words: "
        f"{len(vocabulary[1]) if vocabulary else 'no table'}); {passes} passes of {len(asked)} questions"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cpu-passes", type=int, default=5)
    parser.add_argument("--cpu-only", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from webapp import create_app

    before = loadavg()
    wall: dict[str, list[float]] = defaultdict(list)
    server: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp, meilisearch_process() as (url, key, pid):
        app = create_app(app_config(tmp, "meilisearch", MEILI_URL=url, MEILI_MASTER_KEY=key))
        with app.app_context():
            from webapp.searching import search_service

            service = search_service()
            matcher = service.matcher()
            meili: Any = matcher.backend.primary  # type: ignore[attr-defined]
            embedder: Any = service.embedder
            inner = embedder.inner
            asked = []
            for text in new_questions():
                question = analyse(text, matcher.gazetteer, embedder.embed_query)
                where = question.place.gemeente if question.place else None
                where = where or (ELSEWHERE if question.elsewhere else None)
                asked.append((question.meaning.text, question.keywords, where, question.meaning.vector))
            keyword_cpu(meili, [(kw, where) for _, kw, where, _ in asked], pid, args.cpu_passes)
            if args.cpu_only:
                return
            for _ in range(args.repeat):
                for meaning, keywords, where, vector in asked:
                    t = time.perf_counter()
                    inner.embed_query(meaning)
                    wall["embedding"].append((time.perf_counter() - t) * 1000)
                    requests = meili.requests(keywords, gemeente=where, limit=30, vector=vector)
                    for kind, query in requests:
                        t = time.perf_counter()
                        (result,) = meili._multi_search([query])
                        wall[kind].append((time.perf_counter() - t) * 1000)
                        server[kind].append(float(result.get("processingTimeMs", 0)))
                    t = time.perf_counter()
                    results = meili._multi_search([q for _, q in requests])
                    wall["multi-search"].append((time.perf_counter() - t) * 1000)
                    server["multi-search"].append(sum(float(r.get("processingTimeMs", 0)) for r in results))
                    t = time.perf_counter()
                    meili.search(keywords, gemeente=where, limit=30, vector=vector)
                    wall["search()"].append((time.perf_counter() - t) * 1000)
    per_question = {k: len(v) / (args.repeat * len(asked)) for k, v in wall.items()}
    for kind, times in wall.items():
        srv = server.get(kind)
        line = f"{kind:<13} {per_question[kind]:.1f}/question"
        line += f"  p50 {_p(times, 0.5):5.2f} ms  p95 {_p(times, 0.95):5.2f} ms"
        if srv:
            line += f"  (meilisearch p50 {_p(srv, 0.5):.0f} ms, p95 {_p(srv, 0.95):.0f} ms)"
        print(line)
    print(
        f"{len(asked)} new questions x {args.repeat}; load average {before:.2f} -> {loadavg():.2f} (2 cores)"
    )


if __name__ == "__main__":
    main()

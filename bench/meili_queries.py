"""The Meilisearch backend query by query: which requests one new question sends, and how long each takes.

    python -m bench.meili_queries [--repeat 3]

Starts a throwaway Meilisearch, builds the app on it and analyses every new question of bench.latency once
(place, keywords, vector). Then, per question, it times each request of MeiliBackend.requests() on its own
(a multi-search with that one query), the whole multi-search as search() sends it, the backend's search()
and the bare embedding of the same question. Prints p50/p95 per kind (client wall time and Meilisearch's
own processingTimeMs), and the 1-minute load average before and after.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from collections import defaultdict
from typing import Any

from bench.embedders import loadavg
from bench.latency import new_questions
from bench.servers import app_config, meilisearch
from search.documents import ELSEWHERE
from search.question import analyse


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from webapp import create_app

    before = loadavg()
    wall: dict[str, list[float]] = defaultdict(list)
    server: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp, meilisearch() as (url, key):
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

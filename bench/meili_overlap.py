"""Would sending the keyword queries during the embedding help the Meilisearch backend? Measured, not built.

    python -m bench.meili_overlap [--repeat 3]

Starts a throwaway Meilisearch, builds the app on it and reads every new question of bench.latency once
(place, keywords; no vector). Then, per question: the bare embedding; the order search() uses today (embed,
then one multi-search with the keyword queries and the vector query); and the overlapped order (the keyword
multi-search sent from a thread while the model embeds, then the vector query alone). Prints p50/p95 of each
and the p95 ratios to the bare embedding, with the 1-minute load average before and after.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.embedders import loadavg
from bench.latency import new_questions
from bench.meili_queries import _p
from bench.servers import app_config, meilisearch
from search.documents import ELSEWHERE
from search.question import analyse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from webapp import create_app

    before = loadavg()
    times: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp, meilisearch() as (url, key):
        app = create_app(app_config(tmp, "meilisearch", MEILI_URL=url, MEILI_MASTER_KEY=key))
        with app.app_context():
            from webapp.searching import search_service

            service = search_service()
            matcher = service.matcher()
            meili: Any = matcher.backend.primary  # type: ignore[attr-defined]
            model: Any = service.embedder.inner  # type: ignore[union-attr]
            asked = []
            for text in new_questions():
                question = analyse(text, matcher.gazetteer, lambda _: None)
                where = question.place.gemeente if question.place else None
                asked.append(
                    (
                        question.meaning.text,
                        question.keywords,
                        where or (ELSEWHERE if question.elsewhere else None),
                    )
                )
            pool = ThreadPoolExecutor(1)
            for _ in range(args.repeat):
                for meaning, keywords, where in asked:
                    start = time.perf_counter()
                    model.embed_query(meaning)
                    times["bare embedding"].append(time.perf_counter() - start)

                    start = time.perf_counter()
                    vector = model.embed_query(meaning)
                    requests = meili.requests(keywords, gemeente=where, limit=20, vector=vector)
                    meili._multi_search([q for _, q in requests])
                    times["embed, then one multi-search (today)"].append(time.perf_counter() - start)

                    start = time.perf_counter()
                    keyword = [q for _, q in meili.requests(keywords, gemeente=where, limit=20)]
                    pending = pool.submit(meili._multi_search, keyword) if keyword else None
                    vector = model.embed_query(meaning)
                    semantic = meili.requests("", gemeente=where, limit=20, vector=vector)
                    meili._multi_search([q for kind, q in semantic if kind == "vector"])
                    if pending is not None:
                        pending.result()
                    times["keywords during the embedding"].append(time.perf_counter() - start)
            pool.shutdown()
    bare = _p(times["bare embedding"], 0.95)
    for name, values in times.items():
        p95 = _p(values, 0.95)
        print(
            f"{name:38s} p50 {1000 * _p(values, 0.5):5.1f} ms  p95 {1000 * p95:5.1f} ms  "
            f"p95 / bare {p95 / bare:.2f}x  (n={len(values)})"
        )
    print(f"load average {before:.2f} -> {loadavg():.2f} (2 cores)")


if __name__ == "__main__":
    main()

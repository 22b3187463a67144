"""Meilisearch's two halves against the model: does the keyword half hide behind the embedding?

    python -m bench.meili_overlap [--repeat 2]

Starts a throwaway Meilisearch, builds the app on it and reads every new question of bench.latency once
(search.question.read: place, keywords; no vector). Then, per question:
- the bare embedding;
- the keyword half alone (MeiliBackend.begin, waited for at once);
- the embedding while the keyword half runs (begin, then embed: what the matcher does);
- how long the answer then still waits for the keyword half;
- the rest of the search once the vector exists (MeiliSearch.hits: the vector half and the blend).
Prints p50/p95 of each and the 1-minute load average before and after. When the keyword half is done before
the embedding ends but the embedding itself slows, the cost is the cores the two share, not the wait.
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
from bench.meili_queries import _p
from bench.servers import app_config, meilisearch
from search.question import read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2)
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
            table = meili.table is not None and meili.table.has_vectors
            questions = [read(text, matcher.gazetteer) for text in new_questions()]
            for _ in range(args.repeat):
                for question in questions:
                    meaning, keywords = question.meaning.text, question.keywords
                    start = time.perf_counter()
                    model.embed_query(meaning + " ")
                    times["bare embedding"].append(time.perf_counter() - start)

                    start = time.perf_counter()
                    alone = meili.begin(keywords)
                    if alone.keyword is not None:
                        alone.keyword.result()
                    times["keyword half alone"].append(time.perf_counter() - start)

                    start = time.perf_counter()
                    pending = meili.begin(keywords)
                    vector = model.embed_query(meaning)
                    embedded = time.perf_counter()
                    if pending.keyword is not None:
                        pending.keyword.result()
                    waited = time.perf_counter()
                    pending.hits(vector, 30)
                    done = time.perf_counter()
                    times["embedding while the keyword half runs"].append(embedded - start)
                    times["then waiting for the keyword half"].append(waited - embedded)
                    times["then the vector half and the blend"].append(done - waited)
    print(f"vector half from the worker's table: {table}")
    for name, values in times.items():
        print(f"{name:40s} p50 {1000 * _p(values, 0.5):6.2f} ms  p95 {1000 * _p(values, 0.95):6.2f} ms")
    print(f"load average {before:.2f} -> {loadavg():.2f} (2 cores)")


if __name__ == "__main__":
    main()

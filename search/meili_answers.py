"""Meilisearch's answers to single keyword queries, kept by the worker that asked them.

A keyword query of the keyword half (search.meili) is one word or synonym phrase under the question's
filters. Its answer depends on that query and on the index alone, not on the rest of the question, and
residents' questions share most of their words: "hulp", "moeder", "Oss". So a worker asks Meilisearch each
query once per content version and answers it from here the next time, the same hits and scores.

The answers belong to one content version, the one the worker serves: a content change gives every worker a
new search.meili.MeiliBackend (webapp.searching, webapp.production.reloading), with no answers, and a backend
forgets its answers when it writes the index itself (index(), update()). Between a change stored by another
process and the worker's next look (CONTENT_POLL_SECONDS) the worker answers from its own content, as its
catalog and vector half do. Bounded: the least recently asked query goes first.
"""

from __future__ import annotations

import json
import sys
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any, Final

ANSWERS: Final = 8192  # queries kept; each answer is at most TERM_FETCH slugs with their scores

# One keyword query's answer, as the blend needs it: how many documents it found (the idf's n) and its
# hits, (slug, ranking score) best first. Some 1 kB for ten hits, a third of Meilisearch's JSON as dicts.
Answer = tuple[float, tuple[tuple[str, float], ...]]


def answer_of(result: Mapping[str, Any]) -> Answer:
    """Meilisearch's result of one query of a multi-search as an Answer (slugs interned: one copy each)."""
    hits = tuple((sys.intern(str(h["slug"])), float(h.get("_rankingScore") or 0.0)) for h in result["hits"])
    return float(result.get("estimatedTotalHits") or len(hits)), hits


def query_key(query: Mapping[str, Any]) -> str:
    """One string for a query's parameters: equal queries, equal keys."""
    return json.dumps(query, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class AnswerCache:
    """Thread-safe LRU of query key -> Meilisearch's result for that query; counts hits and misses."""

    def __init__(self, size: int = ANSWERS) -> None:
        self.size = size
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        # Counts clear(): an answer asked before a clear() is not kept after it (it may be the old index's).
        self.generation = 0

    def __len__(self) -> int:
        return len(self._answers)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
            self.generation += 1

    def known(self, keys: Sequence[str], *, count: bool = True) -> list[Answer | None]:
        """The kept result of each key, None where there is none; `count` False: not a question's lookup
        (not in hits and misses, the order of use unchanged)."""
        out: list[Answer | None] = []
        with self._lock:
            for key in keys:
                answer = self._answers.get(key)
                if count:
                    if answer is None:
                        self.misses += 1
                    else:
                        self._answers.move_to_end(key)
                        self.hits += 1
                out.append(answer)
        return out

    def keep(self, keys: Sequence[str], answers: Sequence[Answer], generation: int) -> None:
        """Keep the answers asked since `generation` (read before asking): none when clear() came between."""
        if self.size <= 0:
            return
        with self._lock:
            if generation != self.generation:
                return
            for key, answer in zip(keys, answers, strict=True):
                self._answers[key] = answer
                self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

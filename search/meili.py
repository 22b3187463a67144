"""Search backend on a Meilisearch (1.21) server, with the same contract and scoring as the embedded one.

Queries are analysed like in the embedded backend (folded, stop words removed, Dutch stems) and matched
against the original fields plus a `stems` field, so stemming works the same way. Synonyms are installed as
Meilisearch synonyms on that analysed form. With a query vector, one multi-search request runs the keyword
query and a pure vector query (hybrid, semanticRatio 1.0); search.backend.rank_hits blends both scores.
"""

from __future__ import annotations

import http.client
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any, Final, cast

import meilisearch
import numpy as np
import requests
from meilisearch.errors import MeilisearchApiError, MeilisearchError

from search.backend import BackendUnavailable, rank_hits
from search.documents import Document, Hit
from search.language import fold
from search.meili_http import KeepAlive
from search.ranking import STOPWORDS, stems
from search.synonyms import DEFAULT_SYNONYMS_PATH, Group, load_synonyms, meili_synonyms

log = logging.getLogger(__name__)

LANDELIJK: Final = "landelijk"
EMBEDDER: Final = "default"
MIN_FETCH: Final = 50  # hits fetched per side before blending
MAX_TERM_QUERIES: Final = 6  # per-word keyword queries (OR semantics) per question
TERM_FETCH: Final = 20  # hits per per-word query
TERM_WEIGHT = 1.0  # weight of the per-word queries together, relative to the whole question
_NETWORK_ERRORS: Final = (
    MeilisearchError,
    requests.RequestException,
    http.client.HTTPException,
    OSError,
    ValueError,
)

BATCH = 1000  # documents a request when indexing (about 8 MB of JSON with their vectors)


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


class MeiliBackend:
    name = "meilisearch"

    def __init__(
        self,
        url: str,
        api_key: str | None,
        index_name: str = "voorzieningen",
        timeout: float = 0.3,
        *,
        synonyms: Sequence[Group] | None = None,
        index_timeout: float = 60.0,
    ) -> None:
        self.url = url
        self.index_name = index_name
        self.timeout = timeout
        self.index_timeout = index_timeout
        # The client annotates timeout as int, but passes it straight to requests (seconds, float is fine).
        self._client = meilisearch.Client(url, api_key, timeout=cast(Any, timeout))
        self._admin = meilisearch.Client(url, api_key, timeout=cast(Any, index_timeout))
        self._http = KeepAlive(url, api_key, timeout)  # the hot path: one multi-search per question
        if synonyms is None:
            synonyms = load_synonyms(DEFAULT_SYNONYMS_PATH) if DEFAULT_SYNONYMS_PATH.exists() else []
        self._synonyms = list(synonyms)

    # ------------------------------------------------------------------ health
    def healthy(self) -> bool:
        try:
            return self._client.health().get("status") == "available"
        except _NETWORK_ERRORS:
            return False

    # ------------------------------------------------------------------ indexing
    def settings(self, dimensions: int | None) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "searchableAttributes": ["title", "keywords", "summary", "body", "stems"],
            "filterableAttributes": [
                "gemeente",
                "categories",
                "kernen",
                "free",
                "walk_in",
                "wheelchair",
                "_geo",
            ],
            "sortableAttributes": ["_geo"],
            "displayedAttributes": ["slug", "title", "gemeente", "categories", "kernen"],
            "typoTolerance": {"enabled": True},
            "stopWords": sorted(STOPWORDS),
            "synonyms": meili_synonyms(self._synonyms),
        }
        if dimensions is not None:
            settings["embedders"] = {EMBEDDER: {"source": "userProvided", "dimensions": dimensions}}
        return settings

    @staticmethod
    def to_meili(doc: Document, vector: np.ndarray | None, with_vectors: bool) -> dict[str, Any]:
        text = " ".join((doc.title, " ; ".join(doc.keywords), doc.summary, doc.body))
        record: dict[str, Any] = {
            "slug": doc.slug,
            "title": doc.title,
            "keywords": list(doc.keywords),
            "summary": doc.summary,
            "body": doc.body,
            "stems": " ".join(dict.fromkeys(stems(text))),
            "gemeente": fold(doc.gemeente) if doc.gemeente else LANDELIJK,
            "categories": list(doc.categories),
            "kernen": [fold(k).strip() for k in doc.kernen],
            "free": doc.free,
            "walk_in": doc.walk_in,
            "wheelchair": doc.wheelchair,
        }
        if doc.lat is not None and doc.lon is not None:
            record["_geo"] = {"lat": doc.lat, "lng": doc.lon}
        if with_vectors:
            record["_vectors"] = {EMBEDDER: None if vector is None else [float(x) for x in vector]}
        return record

    def index(self, docs: Sequence[Document], vectors: np.ndarray | None) -> None:
        """Build a fresh index next to the live one, then swap them (searches never see a half index)."""
        docs = list(docs)
        if vectors is not None:
            vectors = np.asarray(vectors, dtype=np.float32)
            if vectors.ndim != 2 or vectors.shape[0] != len(docs):
                raise ValueError(f"vectors must have shape (len(docs), dim), got {vectors.shape}")
        records = [
            self.to_meili(d, None if vectors is None else vectors[i], vectors is not None)
            for i, d in enumerate(docs)
        ]
        building = f"{self.index_name}__building"
        try:
            self._wait(self._admin.delete_index(building).task_uid, allow_fail=True)
            self._wait(self._admin.create_index(building, {"primaryKey": "slug"}).task_uid)
            new = self._admin.index(building)
            self._wait(
                new.update_settings(self.settings(None if vectors is None else vectors.shape[1])).task_uid
            )
            if records:
                # In batches: 50k entries with their vectors are some 400 MB of JSON, four times the
                # largest request Meilisearch takes (its 100 MB payload limit): a single request of them did not get through.
                for task in new.add_documents_in_batches(records, BATCH, primary_key="slug"):
                    self._wait(task.task_uid)
            self._wait(
                self._admin.create_index(self.index_name, {"primaryKey": "slug"}).task_uid, allow_fail=True
            )
            self._wait(self._admin.swap_indexes([{"indexes": [self.index_name, building]}]).task_uid)
            self._wait(self._admin.delete_index(building).task_uid, allow_fail=True)
        except BackendUnavailable:
            raise
        except _NETWORK_ERRORS as exc:
            raise BackendUnavailable(f"meilisearch at {self.url}: indexing failed: {exc}") from exc

    def _wait(self, task_uid: int, *, allow_fail: bool = False) -> None:
        task = self._admin.wait_for_task(
            task_uid, timeout_in_ms=int(self.index_timeout * 1000), interval_in_ms=20
        )
        if task.status != "succeeded" and not allow_fail:
            raise BackendUnavailable(f"meilisearch task {task_uid} ({task.type}) {task.status}: {task.error}")

    # ------------------------------------------------------------------ searching
    @staticmethod
    def filter_expression(
        gemeente: str | None, categories: Sequence[str] | None, kern: str | None
    ) -> str | None:
        parts: list[str] = []
        if gemeente:
            parts.append(f"gemeente IN [{_quote(fold(gemeente))}, {_quote(LANDELIJK)}]")
        if categories:
            parts.append(f"categories IN [{', '.join(_quote(c) for c in categories)}]")
        if kern:
            parts.append(f"(kernen = {_quote(fold(kern).strip())} OR kernen IS EMPTY)")
        return " AND ".join(parts) or None

    def search(
        self,
        query: str,
        *,
        gemeente: str | None = None,
        categories: Sequence[str] | None = None,
        kern: str | None = None,
        limit: int = 20,
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        if limit <= 0:
            return []
        q = " ".join(stems(query))
        if not q and vector is None:
            return []
        params: dict[str, Any] = {
            "limit": max(limit, MIN_FETCH),
            "showRankingScore": True,
            "showRankingScoreDetails": True,
            "matchingStrategy": "frequency",
            "attributesToRetrieve": ["slug"],
        }
        flt = self.filter_expression(gemeente, categories, kern)
        if flt:
            params["filter"] = flt
        terms = list(dict.fromkeys(q.split()))[:MAX_TERM_QUERIES] if q else []
        try:
            keyword_results, semantic_hits = self._multi(q, terms, params, vector)
        except _NETWORK_ERRORS as exc:
            raise BackendUnavailable(f"meilisearch at {self.url}: {exc}") from exc

        # Keyword evidence: the whole question, plus each word on its own. Meilisearch drops words from a
        # long question until something matches, so a document that matches only a common word ("eten")
        # would be lost; the per-word queries give OR semantics, like the embedded backend's coverage.
        scores: dict[str, list[float]] = {}
        for i, hits in enumerate(keyword_results):
            weight = 1.0 if i == 0 else TERM_WEIGHT / max(len(terms), 1)
            for hit in hits:
                scores.setdefault(hit["slug"], [0.0, 0.0])[0] += weight * float(
                    hit.get("_rankingScore") or 0.0
                )
        for hit in semantic_hits or ():
            scores.setdefault(hit["slug"], [0.0, 0.0])[1] = self._cosine(hit)
        slugs = list(scores)
        table = np.array([scores[s] for s in slugs], dtype=np.float64).reshape(-1, 2)
        return rank_hits(slugs, table[:, 0], None if semantic_hits is None else table[:, 1], limit)

    def _multi(
        self, q: str, terms: list[str], params: dict[str, Any], vector: np.ndarray | None
    ) -> tuple[list[list[Mapping[str, Any]]], list[Mapping[str, Any]] | None]:
        """One multi-search: the keyword query, per-word queries (when several words) and the vector query."""
        plain = {k: v for k, v in params.items() if k != "showRankingScoreDetails"}  # the score is enough
        keyword = [{**plain, "indexUid": self.index_name, "q": q}] if q else []
        if len(terms) > 1:
            per_word = {**plain, "limit": TERM_FETCH}
            keyword += [{**per_word, "indexUid": self.index_name, "q": t} for t in terms]
        queries = list(keyword)
        if vector is not None:
            queries.append(
                {
                    **params,
                    "indexUid": self.index_name,
                    "q": "",
                    "vector": [float(x) for x in np.asarray(vector, dtype=np.float32).reshape(-1)],
                    "hybrid": {"embedder": EMBEDDER, "semanticRatio": 1.0},
                }
            )
        if not queries:
            return [], None
        try:
            results = self._multi_search(queries)
        except MeilisearchApiError as exc:
            if vector is None or ("embedder" not in (exc.code or "") and "vector" not in (exc.code or "")):
                raise
            # The index has no (matching) vectors: degrade to keyword only, like the embedded backend.
            log.warning("meilisearch: semantic search unavailable (%s), keyword only", exc.code)
            results = self._multi_search(keyword) if keyword else []
            return [r["hits"] for r in results], None
        hits = [r["hits"] for r in results]
        if vector is None:
            return hits, None
        return hits[:-1], hits[-1]

    def _multi_search(self, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = self._http.post("/multi-search", {"queries": queries})["results"]
        return results

    @staticmethod
    def _cosine(hit: Mapping[str, Any]) -> float:
        """Meilisearch reports vector similarity as (1 + cosine) / 2."""
        details = hit.get("_rankingScoreDetails") or {}
        similarity = (details.get("vectorSort") or {}).get("similarity", hit.get("_rankingScore"))
        if similarity is None:
            return 0.0
        return max(0.0, 2.0 * float(similarity) - 1.0)

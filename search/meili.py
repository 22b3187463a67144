"""Search backend on a Meilisearch (1.21) server, with the same contract and scoring as the embedded one.

Queries are analysed like in the embedded backend (folded, stop words removed, Dutch stems) and matched
against the original fields plus a `stems` field, so stemming works the same way. Synonyms are installed as
Meilisearch synonyms on that analysed form. A question is two halves, blended by search.backend.rank_hits:
- the keyword half: one multi-search with a keyword query per word (and per synonym phrase) of the
  question, but for the words no document the filters keep could match (search.meili_words, from the
  worker's table). `begin()` sends it from a thread as soon as the question is read, so it runs while the
  model embeds the question (search.backend.begin; bench.meili_overlap measures both halves against the
  model);
- the vector half, once the vector exists: from the worker's own DocumentTable when it keeps one (no
  request at all; webapp.searching keeps one below search.lazy.LAZY_FROM entries), else a pure vector query
  (hybrid, semanticRatio 1.0, with the userProvided vector).
bench.meili_queries times each query.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import math
import os
import re
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, Final, cast

import meilisearch
import numpy as np
import requests
from meilisearch.errors import MeilisearchApiError, MeilisearchError

from search.backend import KEYWORD_WEIGHT, BackendUnavailable, rank_hits
from search.documents import Document, Hit, document_bytes
from search.language import fold
from search.meili_answers import ANSWERS, Answer, AnswerCache, answer_of, query_key
from search.meili_http import KeepAlive
from search.meili_words import Vocabulary, bits, document_words
from search.ranking import STOPWORDS, stems
from search.synonyms import (
    DEFAULT_SYNONYMS_PATH,
    Group,
    SynonymExpander,
    load_synonyms,
    meili_synonyms,
)
from search.table import DocumentTable

log = logging.getLogger(__name__)

LANDELIJK: Final = "landelijk"
EMBEDDER: Final = "default"
MIN_FETCH: Final = 50  # hits of the vector query
MAX_TERM_QUERIES: Final = 16  # keyword queries per question, one per word (OR semantics)
TERM_FETCH: Final = 20  # hits per keyword query
BUILDING: Final = "__building_"  # + a random suffix per build
STALE_BUILDING_SECONDS: Final = 3600.0
_NETWORK_ERRORS: Final = (
    MeilisearchError,
    requests.RequestException,
    http.client.HTTPException,
    OSError,
    ValueError,
)

BATCH = 1000  # documents a request when indexing (about 8 MB of JSON with their vectors)
HASH_PAGE = 100_000  # records a request when reading their hashes (about 7 MB of JSON)
# Keyword halves in flight at once in a process: more than a worker's request threads (GUNICORN_THREADS), so
# one never queues behind another. Idle threads cost nothing.
KEYWORD_THREADS: Final = 16
# Meilisearch's estimatedTotalHits never exceeds its pagination.maxTotalHits (default 1000, not changed by
# settings()): the vector half from the worker's table counts its documents the same way, so both paths give
# the keyword idf the same N.
MAX_TOTAL_HITS: Final = 1000
PREPARE: Final = 6000  # keyword queries prepare() asks at most (a content change: every worker asks them)
PREPARE_BATCH: Final = 100  # queries a multi-search when preparing
KEPT_FILTERS: Final = 1024  # filters whose rows the vocabulary check keeps (a gemeente each, mostly)

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _keyword_pool() -> ThreadPoolExecutor:
    """The threads that send keyword halves; made at first use, and again in a forked child (its parent's
    threads do not exist there)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(KEYWORD_THREADS, thread_name_prefix="meili-keywords")
        return _pool


def _forget_pool() -> None:
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_pool)


def _instant(moment: str | datetime | None) -> datetime | None:
    """Meilisearch's RFC 3339 time (nanoseconds), or its client's reading of one, as a naive UTC datetime
    (microseconds)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", moment).replace("Z", "+00:00"))
    if moment is not None and moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def entry_hash(doc: Document, vector: np.ndarray | None) -> str:
    """What one record in the index was made from: the document (every field, documents.document_bytes)
    and its vector. Kept in the record, so a later reload sends only the entries whose hash changed."""
    return record_hash(document_bytes(doc), vector)


def record_hash(doc_bytes: bytes, vector: np.ndarray | None) -> str:
    """entry_hash from the document's bytes (search.shared_index.Content has them already)."""
    digest = hashlib.sha256(doc_bytes)
    if vector is not None:
        digest.update(np.ascontiguousarray(vector, dtype=np.float32).data)
    return digest.hexdigest()[:32]


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
        admin_key: str | None = None,
        table: DocumentTable | None = None,
        answers: int = ANSWERS,
    ) -> None:
        """api_key answers the searches (a search-only key is enough); admin_key, when given, builds the
        index (without it api_key is used, as with a master key in development). table: the worker's own
        copy of the documents' filters and vectors, for the vector half (None: Meilisearch's vector query);
        index() and update() keep it equal to the index. answers: keyword queries whose answers the
        worker keeps (search.meili_answers; 0: ask every query every time)."""
        self.url = url
        self.index_name = index_name
        self.timeout = timeout
        self.index_timeout = index_timeout
        # The client annotates timeout as int, but passes it straight to requests (seconds, float is fine).
        self._client = meilisearch.Client(url, api_key, timeout=cast(Any, timeout))
        self._admin = meilisearch.Client(url, admin_key or api_key, timeout=cast(Any, index_timeout))
        self._http = KeepAlive(url, api_key, timeout)  # the hot path: one multi-search per question
        if synonyms is None:
            synonyms = load_synonyms(DEFAULT_SYNONYMS_PATH) if DEFAULT_SYNONYMS_PATH.exists() else []
        self._synonyms = list(synonyms)
        self._expander = SynonymExpander(self._synonyms)
        self._documents: int | None = None  # documents in the index: the N of the keyword idf
        self._last_write: datetime | None = None  # when the last task this backend waited for finished
        # The live index's stamp right after this backend's last build or update, when no other write came
        # after it (search.shared_index records it with the records' hashes); None otherwise.
        self.last_stamp: tuple[str, str] | None = None
        self.table = table
        self._table_shared = False
        # The table's words (search.meili_words), to leave out the words no document has; made again when
        # the table is another one.
        # With the rows each filter keeps (bits), asked before: filters -> rows.
        self._vocabulary: tuple[DocumentTable, Vocabulary, dict[tuple[Any, ...], int | None]] | None = None
        self._vocabulary_lock = threading.Lock()
        self.answers = AnswerCache(answers)
        self._always_asked = frozenset(STOPWORDS) | frozenset(
            key for key in meili_synonyms(self._synonyms) if " " not in key
        )

    def share_table(self, table: DocumentTable) -> None:
        """Answer the vector half from `table`, kept current by its owner (the worker's embedded fallback,
        built from the same documents): index() and update() leave it alone, so it is never copied."""
        self.table = table
        self._table_shared = True
        self.vocabulary()

    # ------------------------------------------------------------------ health
    def healthy(self) -> bool:
        try:
            return self._client.health().get("status") == "available"
        except _NETWORK_ERRORS:
            return False

    def live(self) -> tuple[int, int | None] | None:
        """The live index as searches see it: (documents, the embedder's dimensions or None); None when
        there is no index. Raises BackendUnavailable when Meilisearch cannot tell."""
        index = self._client.index(self.index_name)
        try:
            documents = index.get_stats().number_of_documents
            embedders = index.get_embedders()
        except MeilisearchApiError as exc:
            if exc.code == "index_not_found":
                return None
            raise BackendUnavailable(f"meilisearch at {self.url}: {exc}") from exc
        except _NETWORK_ERRORS as exc:
            raise BackendUnavailable(f"meilisearch at {self.url}: {exc}") from exc
        embedder = (embedders.embedders if embedders is not None else {}).get(EMBEDDER)
        dimensions = getattr(embedder, "dimensions", None) if embedder is not None else None
        return documents, dimensions

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
            ],
            # No "_geo" here: no search filters or sorts by place. Filterable, Meilisearch rebuilds its geo
            # index at every write: 0.4 to 0.7 s of a one-entry update at 50,000 entries (bench.scale). The
            # records keep their _geo.
            "sortableAttributes": [],
            "displayedAttributes": ["slug", "title", "gemeente", "categories", "kernen"],
            "typoTolerance": {"enabled": True},
            "stopWords": sorted(STOPWORDS),
            "synonyms": meili_synonyms(self._synonyms),
        }
        if dimensions is not None:
            settings["embedders"] = {EMBEDDER: {"source": "userProvided", "dimensions": dimensions}}
        return settings

    @staticmethod
    def searchable_text(doc: Document) -> str:
        """The document's searchable fields but `stems`, as one text; `stems` holds its stems."""
        return " ".join((doc.title, " ; ".join(doc.keywords), doc.summary, doc.body))

    @classmethod
    def to_meili(cls, doc: Document, vector: np.ndarray | None, with_vectors: bool) -> dict[str, Any]:
        record: dict[str, Any] = {
            "slug": doc.slug,
            "title": doc.title,
            "keywords": list(doc.keywords),
            "summary": doc.summary,
            "body": doc.body,
            "stems": " ".join(dict.fromkeys(stems(cls.searchable_text(doc)))),
            "gemeente": fold(doc.gemeente) if doc.gemeente else LANDELIJK,
            "categories": list(doc.categories),
            "kernen": [fold(k).strip() for k in doc.kernen],
            "free": doc.free,
            "walk_in": doc.walk_in,
            "wheelchair": doc.wheelchair,
        }
        if doc.lat is not None and doc.lon is not None:
            record["_geo"] = {"lat": doc.lat, "lng": doc.lon}
        record["hash"] = entry_hash(doc, vector if with_vectors else None)
        if with_vectors:
            record["_vectors"] = {EMBEDDER: None if vector is None else [float(x) for x in vector]}
        return record

    def index(self, docs: Sequence[Document], vectors: np.ndarray | None) -> None:
        """Build a fresh index next to the live one, settings first, then swap them: searches never see a
        half index or one without its settings. The building index has a name of its own, so a builder on
        another host never deletes it half-way (search.shared_index keeps builders on one host apart)."""
        docs = list(docs)
        if vectors is not None:
            vectors = np.asarray(vectors, dtype=np.float32)
            if vectors.ndim != 2 or vectors.shape[0] != len(docs):
                raise ValueError(f"vectors must have shape (len(docs), dim), got {vectors.shape}")
        records = [
            self.to_meili(d, None if vectors is None else vectors[i], vectors is not None)
            for i, d in enumerate(docs)
        ]
        building = f"{self.index_name}{BUILDING}{uuid.uuid4().hex[:12]}"
        try:
            self._remove_stale_buildings()
            self._wait(self._admin.create_index(building, {"primaryKey": "slug"}).task_uid)
            new = self._admin.index(building)
            self._wait(
                new.update_settings(self.settings(None if vectors is None else vectors.shape[1])).task_uid
            )
            if records:
                # In batches: 50k entries with their vectors are some 400 MB of JSON, four times the
                # largest request Meilisearch takes (its 100 MB payload limit).
                for task in new.add_documents_in_batches(records, BATCH, primary_key="slug"):
                    self._wait(task.task_uid)
                if vectors is not None:
                    self._settle(new, records[-1])
            self.last_stamp = None
            self._swap_in(building)
            self.last_stamp = self._own_stamp()
            self._wait(self._admin.delete_index(building).task_uid, allow_fail=True)
            self._documents = len(records)
            self.answers.clear()
            if self.table is not None and not self._table_shared:
                self.table = DocumentTable(docs, vectors)
            self.vocabulary()
        except BackendUnavailable:
            raise
        except _NETWORK_ERRORS as exc:
            raise BackendUnavailable(f"meilisearch at {self.url}: indexing failed: {exc}") from exc

    def _settle(self, building: Any, record: dict[str, Any]) -> None:
        """One record written again, unchanged, before the swap. After a load in batches Meilisearch's
        vector store (arroy) adds the trees its forest still lacks at the next write of any document:
        5 to 9 s at 50,000 entries (bench.scale), which the first editor's change would otherwise wait
        for. Written here, the build pays it and searches see the full forest from the swap on."""
        self._wait(building.add_documents([record], primary_key="slug").task_uid)

    def hashes(self, page: int = HASH_PAGE) -> dict[str, str]:
        """slug -> entry_hash of every record in the live index ("" for a record written without one).
        These two fields alone, as plain JSON, in one request up to `page` records (Meilisearch skips an
        offset record by record): 0.3 s at 50,000 entries, where pages of 5,000 as the client's Document
        objects took 0.5 to 1.6 s."""
        path = f"indexes/{self.index_name}/documents/fetch"
        out: dict[str, str] = {}
        try:
            while True:
                body = {"fields": ["slug", "hash"], "limit": page, "offset": len(out)}
                batch = self._admin.http.post(path, body)
                for record in batch["results"]:
                    out[str(record["slug"])] = str(record.get("hash") or "")
                if not batch["results"] or len(out) >= int(batch["total"]):
                    return out
        except MeilisearchApiError as exc:
            raise BackendUnavailable(f"meilisearch at {self.url}: {exc}") from exc
        except (*_NETWORK_ERRORS, KeyError, TypeError) as exc:
            raise BackendUnavailable(f"meilisearch at {self.url}: {exc}") from exc

    def stamp(self) -> tuple[str, str]:
        """When the live index was made and last written, by Meilisearch's clock: the same stamp before and
        after reading its records means no record changed in between (a swap brings another index)."""
        try:
            index = self._admin.get_raw_index(self.index_name)
            return str(index["createdAt"]), str(index["updatedAt"])
        except MeilisearchApiError as exc:
            raise BackendUnavailable(f"meilisearch at {self.url}: {exc}") from exc
        except (*_NETWORK_ERRORS, KeyError, TypeError) as exc:
            raise BackendUnavailable(f"meilisearch at {self.url}: {exc}") from exc

    def _own_stamp(self) -> tuple[str, str] | None:
        """The live index's stamp if its last write is the last task this backend waited for: tasks on an
        index run one after another, so a later writer's would be stamped after that task finished."""
        stamp = self.stamp()
        written = _instant(stamp[1])
        if self._last_write is None or written is None or written > self._last_write:
            return None
        return stamp

    def settings_key(self, dimensions: int | None) -> str:
        """A short hash of the settings a build writes (synonyms, stop words, the embedder)."""
        text = json.dumps(self.settings(dimensions), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def update(
        self, changed: Sequence[Document], vectors: np.ndarray | None, removed: Sequence[str], total: int
    ) -> None:
        """Change the live index in place: `changed` added or replaced (with their vectors, row by row),
        `removed` (slugs) deleted; `total` documents afterwards. For a few changed entries, where a build
        would copy them all (search.shared_index decides)."""
        index = self._admin.index(self.index_name)
        self.last_stamp = None
        try:
            if changed:
                records = [
                    self.to_meili(d, None if vectors is None else vectors[i], vectors is not None)
                    for i, d in enumerate(changed)
                ]
                self._wait(index.add_documents(records, primary_key="slug").task_uid)
            for task in [index.delete_document(slug) for slug in removed]:  # one batch on the server
                self._wait(task.task_uid)
            self.last_stamp = self._own_stamp()
            self._documents = total
            self.answers.clear()
            if self.table is not None and not self._table_shared:
                self.table = self.table.replaced(changed, vectors, removed)
            self.vocabulary()
        except BackendUnavailable:
            raise
        except _NETWORK_ERRORS as exc:
            raise BackendUnavailable(f"meilisearch at {self.url}: updating failed: {exc}") from exc

    def _remove_stale_buildings(self) -> None:
        """Building indexes left by a builder that died (older than STALE_BUILDING_SECONDS)."""
        now = time.time()
        listing: Any = self._admin.get_raw_indexes({"limit": 1000})  # annotated as a list, is a page
        for index in listing["results"]:
            uid = str(index.get("uid", ""))
            if not uid.startswith(self.index_name + BUILDING):
                continue
            updated = index.get("updatedAt") or index.get("createdAt") or ""
            try:
                age = now - datetime.fromisoformat(str(updated).replace("Z", "+00:00")).timestamp()
            except ValueError:
                continue
            if age > STALE_BUILDING_SECONDS:
                log.warning("meilisearch: removing %s, left by a builder that stopped", uid)
                self._wait(self._admin.delete_index(uid).task_uid, allow_fail=True)

    def _swap_in(self, building: str) -> None:
        """Swap the built index in; the first time, when there is no live index, it takes the live name
        (never an empty live index without settings in between)."""
        swap: Any = [{"indexes": [self.index_name, building]}]
        if self._wait(self._admin.swap_indexes(swap).task_uid, allow_fail=True):
            return
        rename: Any = [{"indexes": [building, self.index_name], "rename": True}]  # Meilisearch >= 1.18
        if self._wait(self._admin.swap_indexes(rename).task_uid, allow_fail=True):
            return
        self._wait(self._admin.swap_indexes(swap).task_uid)  # another builder named it first

    def _wait(self, task_uid: int, *, allow_fail: bool = False) -> bool:
        """Wait for a task; True when it succeeded. A failure raises unless allow_fail."""
        task = self._admin.wait_for_task(
            task_uid, timeout_in_ms=int(self.index_timeout * 1000), interval_in_ms=20
        )
        if task.status != "succeeded" and not allow_fail:
            raise BackendUnavailable(f"meilisearch task {task_uid} ({task.type}) {task.status}: {task.error}")
        self._last_write = _instant(task.finished_at)
        return task.status == "succeeded"

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

    def requests(
        self,
        query: str,
        *,
        gemeente: str | None = None,
        categories: Sequence[str] | None = None,
        kern: str | None = None,
        limit: int = 20,
        vector: np.ndarray | None = None,
    ) -> list[tuple[str, dict[str, Any]]]:
        """The queries of one multi-search for a question, each with its kind: "keyword" (one per word of
        the question, at most MAX_TERM_QUERIES) and "vector" (when there is a question vector)."""
        params = self._params(gemeente, categories, kern)
        words = stems(query)
        terms = self.may_match(
            list(dict.fromkeys(words))[:MAX_TERM_QUERIES], gemeente=gemeente, categories=categories, kern=kern
        )
        # A synonym phrase of several words ("krap bij kas") is asked as one query, all its words required:
        # Meilisearch's synonyms then find its group's other phrases ("schulden").
        phrases = [" ".join(words[a:b]) for a, b, _ in self._expander.expand_spans(words) if b - a > 1]
        out: list[tuple[str, dict[str, Any]]] = [
            ("keyword", {**params, "limit": TERM_FETCH, "q": p, "matchingStrategy": "all"})
            for p in dict.fromkeys(phrases)
        ]
        out += [("keyword", self._word_query(params, t)) for t in terms]
        if vector is not None:
            vec = [float(x) for x in np.asarray(vector, dtype=np.float32).reshape(-1)]
            semantic = {"embedder": EMBEDDER, "semanticRatio": 1.0}
            out.append(
                ("vector", {**params, "limit": max(limit, MIN_FETCH), "vector": vec, "hybrid": semantic})
            )
        return out

    def _params(
        self, gemeente: str | None, categories: Sequence[str] | None, kern: str | None
    ) -> dict[str, Any]:
        """What every query of a question shares: the index, the filters, what comes back."""
        params: dict[str, Any] = {
            "indexUid": self.index_name,
            "showRankingScore": True,
            "attributesToRetrieve": ["slug"],
        }
        flt = self.filter_expression(gemeente, categories, kern)
        if flt:
            params["filter"] = flt
        return params

    @staticmethod
    def _word_query(params: dict[str, Any], word: str) -> dict[str, Any]:
        return {**params, "limit": TERM_FETCH, "q": word}

    def prepare(
        self, words: Sequence[str], gemeenten: Sequence[str | None], per_filter: int, budget: int = PREPARE
    ) -> int:
        """Ask the keyword queries of the first `per_filter` of `words` (stems, the most common first) that
        a document under each gemeente's filter may match, before any resident does, at most `budget` in
        all, so that questions after a start or a content change find their common words' answers kept
        (search.meili_answers). Returns the queries asked."""
        if self.answers.size <= 0 or per_filter <= 0:
            return 0
        generation = self.answers.generation
        asked = 0
        for gemeente in gemeenten:
            params = self._params(gemeente, None, None)
            terms = self.may_match(list(words), gemeente=gemeente)[:per_filter]
            queries = [self._word_query(params, w) for w in terms]
            keys = [query_key(q) for q in queries]
            kept = self.answers.known(keys, count=False)
            todo = [(k, q) for k, q, known in zip(keys, queries, kept, strict=True) if known is None]
            todo = todo[: max(0, min(budget, self.answers.size) - asked)]
            for start in range(0, len(todo), PREPARE_BATCH):
                batch = todo[start : start + PREPARE_BATCH]
                found = [answer_of(r) for r in self._multi_search([q for _, q in batch])]
                self.answers.keep([k for k, _ in batch], found, generation)
                asked += len(batch)
        return asked

    def vocabulary(self) -> tuple[DocumentTable, Vocabulary, dict[tuple[Any, ...], int | None]] | None:
        """The table, its words and the rows (bits) of the filters asked so far, when the table has the
        index's documents (index() and update() make it right away, so no question waits for it); None
        without a table. The table is this worker's: when another host changes the shared index, its words
        (like the vector half) stay those of this worker's content until the worker builds its matcher
        again, which it does at every content change it loads."""
        table = self.table
        if table is None or not len(table) or (self._documents is not None and self._documents != len(table)):
            return None
        known = self._vocabulary
        if known is not None and known[0] is table:
            return known
        with self._vocabulary_lock:
            known = self._vocabulary
            if known is None or known[0] is not table:
                words = []
                for doc in table.docs:
                    text = self.searchable_text(doc)
                    words.append(document_words(text, stems(text)))
                known = self._vocabulary = (table, Vocabulary(words), {})
        return known

    def may_match(
        self,
        words: list[str],
        *,
        gemeente: str | None = None,
        categories: Sequence[str] | None = None,
        kern: str | None = None,
    ) -> list[str]:
        """`words` without those Meilisearch cannot match in any document the filters keep (by the table's
        words, search.meili_words): their queries would find nothing. All of them without a table."""
        known = self.vocabulary() if words else None
        if known is None:
            return words
        table, vocabulary, kept = known
        filters = (gemeente, tuple(categories or ()), kern)
        # One lookup, and a local value: another keyword thread may clear `kept` meanwhile.
        keep = kept.get(filters, -1)
        if keep == -1:
            keep = bits(table.mask(gemeente, categories, kern))
            if len(kept) >= KEPT_FILTERS:
                kept.clear()
            kept[filters] = keep
        return [w for w in words if vocabulary.may_match(w, keep, self._always_asked)]

    def search(
        self,
        query: str,
        *,
        gemeente: str | None = None,
        categories: Sequence[str] | None = None,
        kern: str | None = None,
        limit: int = 20,
        vector: np.ndarray | None = None,
        keyword_weight: float = KEYWORD_WEIGHT,
    ) -> list[Hit]:
        if limit <= 0:
            return []
        pending = self.begin(query, gemeente=gemeente, categories=categories, kern=kern)
        return pending.hits(vector, limit, keyword_weight)

    def begin(
        self,
        query: str,
        *,
        gemeente: str | None = None,
        categories: Sequence[str] | None = None,
        kern: str | None = None,
    ) -> MeiliSearch:
        """Send the keyword half now (from a thread, which also picks its queries); the vector half follows
        at hits()."""
        # The thread analyses the words too (requests()): the question's stems are made once, off this thread.
        pending = None
        if query.strip():
            pending = _keyword_pool().submit(self._keyword_half, query, gemeente, categories, kern)
        return MeiliSearch(self, pending, gemeente, categories, kern)

    def _keyword_half(
        self, query: str, gemeente: str | None, categories: Sequence[str] | None, kern: str | None
    ) -> list[Answer]:
        keyword = [q for _, q in self.requests(query, gemeente=gemeente, categories=categories, kern=kern)]
        if not keyword:
            return []
        keys = [query_key(q) for q in keyword]
        generation = self.answers.generation
        answers = self.answers.known(keys)
        missing = [i for i, answer in enumerate(answers) if answer is None]
        if missing:
            found = [answer_of(r) for r in self._multi_search([keyword[i] for i in missing])]
            self.answers.keep([keys[i] for i in missing], found, generation)
            for i, answer in zip(missing, found, strict=True):
                answers[i] = answer
        return [answer for answer in answers if answer is not None]

    def vector_half(
        self,
        vector: np.ndarray,
        gemeente: str | None,
        categories: Sequence[str] | None,
        kern: str | None,
        limit: int,
    ) -> tuple[list[tuple[str, float]], int] | None:
        """(slug, cosine) of the closest documents the filters keep, best first, and how many documents
        the filters keep; None when there is no semantic search (the index has no vectors)."""
        fetch = max(limit, MIN_FETCH)
        table = self.table  # once: update() may swap it meanwhile
        if table is not None and table.has_vectors:
            near = table.nearest(vector, table.mask(gemeente, categories, kern), fetch)
            return None if near is None else (near[0], min(near[1], MAX_TOTAL_HITS))
        query = self.requests(
            "", gemeente=gemeente, categories=categories, kern=kern, limit=fetch, vector=vector
        )
        try:
            result = self._multi_search([q for _, q in query])[0]
        except MeilisearchApiError as exc:
            if "embedder" not in (exc.code or "") and "vector" not in (exc.code or ""):
                raise
            # The index has no (matching) vectors: degrade to keyword only, like the embedded backend.
            log.warning("meilisearch: semantic search unavailable (%s), keyword only", exc.code)
            return None
        found = [(str(hit["slug"]), self._cosine(hit)) for hit in result["hits"]]
        return found, int(result.get("estimatedTotalHits") or 0)

    def blend(
        self,
        keyword_results: Sequence[Answer],
        semantic: tuple[list[tuple[str, float]], int] | None,
        limit: int,
        keyword_weight: float = KEYWORD_WEIGHT,
    ) -> list[Hit]:
        """Both halves as one ranking (search.backend.rank_hits)."""
        # Keyword evidence: each word of the question on its own (OR semantics, like the embedded backend's
        # coverage: a document matching more of the words scores higher), weighted by the word's BM25 idf
        # (a rare word says more than "hulp"). One query for the whole question costs Meilisearch more than
        # all single words together (bench.meili_queries) and drops words until something matches.
        documents = float(semantic[1]) if semantic is not None else float(self._size())
        scores: dict[str, list[float]] = {}
        for found, hits in keyword_results:
            weight = math.log(1.0 + max(documents - found + 0.5, 0.5) / (found + 0.5))
            for slug, score in hits:
                scores.setdefault(slug, [0.0, 0.0])[0] += weight * score
        for slug, cosine in semantic[0] if semantic is not None else ():
            scores.setdefault(slug, [0.0, 0.0])[1] = cosine
        slugs = list(scores)
        table = np.array([scores[s] for s in slugs], dtype=np.float64).reshape(-1, 2)
        return rank_hits(slugs, table[:, 0], None if semantic is None else table[:, 1], limit, keyword_weight)

    def _size(self) -> int:
        """Documents in the index (asked once per process when this process did not build the index)."""
        if self._documents is None:
            self._documents = int(self._client.index(self.index_name).get_stats().number_of_documents)
        return self._documents

    def _multi_search(self, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = self._http.post("/multi-search", {"queries": queries})["results"]
        return results

    @staticmethod
    def _cosine(hit: Mapping[str, Any]) -> float:
        """Meilisearch reports vector similarity as (1 + cosine) / 2: the ranking score of a purely semantic
        query (its details, when asked for, say the same)."""
        details = hit.get("_rankingScoreDetails") or {}
        similarity = (details.get("vectorSort") or {}).get("similarity", hit.get("_rankingScore"))
        if similarity is None:
            return 0.0
        return max(0.0, 2.0 * float(similarity) - 1.0)


class MeiliSearch:
    """One question's search on Meilisearch, begun: its keyword half on its way (MeiliBackend.begin)."""

    def __init__(
        self,
        backend: MeiliBackend,
        keyword: Future[list[Answer]] | None,
        gemeente: str | None,
        categories: Sequence[str] | None,
        kern: str | None,
    ) -> None:
        self.backend = backend
        self.keyword = keyword
        self.filters = (gemeente, categories, kern)

    def hits(
        self, vector: np.ndarray | None, limit: int, keyword_weight: float = KEYWORD_WEIGHT
    ) -> list[Hit]:
        """The vector half (while the keyword half may still be on its way), then both blended. Raises
        BackendUnavailable when Meilisearch cannot answer either."""
        if limit <= 0:
            return []
        try:
            semantic = None if vector is None else self.backend.vector_half(vector, *self.filters, limit)
            # A bound on the wait too: the request has its own timeout, this covers a stuck queue.
            wait = 2 * self.backend.timeout + 1.0
            keyword = self.keyword.result(timeout=wait) if self.keyword is not None else []
            return self.backend.blend(keyword, semantic, limit, keyword_weight)
        except _NETWORK_ERRORS as exc:
            raise BackendUnavailable(f"meilisearch at {self.backend.url}: {exc}") from exc

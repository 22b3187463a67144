"""/healthz (the process answers) and /readyz (this worker can answer, and what each dependency says).

/readyz probes the dependencies itself, cheaply, at most once per CACHE_SECONDS per worker: storage with
one small query, Meilisearch (when it is the backend) with /health and the index's document count; whether
the model loaded is read fresh (the worker holds it). Each probe gets PROBE_SECONDS; a hanging dependency
reads "timeout" and never holds the request longer (a probe still hanging is not started again). The body
names every part:

    {"status": "ok" | "degraded" | "unavailable", "content": <entries>, "search": <backend answering>,
     "model": <id>, "checks": {"storage": "ok", "meilisearch": "ok", "model": "ok"}}

503 ("unavailable") when this worker cannot answer at all: no content or no question matcher. A failing
dependency with a fallback (Meilisearch -> the embedded backend, the model -> keyword search, storage ->
the catalog in memory) gives 200 "degraded" with that part's check saying why: every web container shares
the same Meilisearch and database, so a 503 there would take all of them out of the load balancer at once
while they can still answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any
from urllib.parse import quote

import requests
from flask import Blueprint, Flask, current_app, jsonify

from .. import storage
from ..catalog import content_service
from ..searching import search_service

bp = Blueprint("health", __name__)
CACHE_SECONDS = 1.5
PROBE_SECONDS = 1.0
OK = "ok"


def probe_storage(engine: Any) -> str:
    storage.last_load(engine)
    return OK


def probe_meilisearch(url: str, key: str, index: str, expected: int, timeout: float) -> str:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    health = requests.get(f"{url}/health", timeout=timeout)
    if health.status_code != 200 or health.json().get("status") != "available":
        return f"failed: health {health.status_code}"
    stats = requests.get(f"{url}/indexes/{quote(index, safe='')}/stats", headers=headers, timeout=timeout)
    if stats.status_code == 404:
        return "failed: no index"
    if stats.status_code != 200:
        return f"failed: index stats {stats.status_code}"
    documents = int(stats.json().get("numberOfDocuments", -1))
    if documents != expected:
        return f"failed: {documents} documents in the index, {expected} in the content"
    return OK


def model_check(service: Any) -> str:
    if service.config["EMBEDDER"] == "none":
        return "off"
    service.embedder  # noqa: B018 - loads it when no question did yet
    return "failed" if service.model_failed else OK


class Readiness:
    """The dependency probes of this worker, renewed when older than CACHE_SECONDS; what the worker itself
    holds (content, backend, model) is read fresh on every request, it costs nothing."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._checks: dict[str, str] | None = None
        self._at = 0.0
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readyz")
        self._running: dict[str, Future[str]] = {}

    def report(self) -> tuple[int, dict[str, Any]]:
        body: dict[str, Any] = {"status": "unavailable", "content": 0, "search": "", "model": ""}
        body["checks"] = {}
        try:
            entries = len(content_service().catalog.entries)
            service = search_service()
            service.matcher()
            body.update(service.readiness())
            body["content"] = entries
            body["checks"] = {**self.checks(entries), "model": model_check(service)}
        except Exception as exc:  # noqa: BLE001 - readiness reports, it never raises
            body["error"] = type(exc).__name__
        degraded = bool(body.pop("degraded", False))
        if not body["content"] or "error" in body:
            return 503, body
        failing = any(v not in (OK, "off") for v in body["checks"].values())
        body["status"] = "degraded" if degraded or failing else "ok"
        return 200, body

    def checks(self, entries: int) -> dict[str, str]:
        with self._lock:  # concurrent /readyz requests share one round of probes
            if self._checks is None or self.clock() - self._at >= CACHE_SECONDS:
                self._checks = self._probe_all(entries)
                self._at = self.clock()
            return dict(self._checks)

    def _probe_all(self, entries: int) -> dict[str, str]:
        config = current_app.config
        futures = {"storage": self._probe("storage", probe_storage, content_service().engine)}
        if config["SEARCH_BACKEND"] == "meilisearch":
            timeout = min(config["MEILI_TIMEOUT"] * 3, PROBE_SECONDS)
            key = search_service().meili_keys()[0]
            args = (config["MEILI_URL"], key, config["MEILI_INDEX"], entries, timeout)
            futures["meilisearch"] = self._probe("meilisearch", probe_meilisearch, *args)
        deadline = time.monotonic() + PROBE_SECONDS
        return {name: self._result(future, deadline) for name, future in futures.items()}

    def _probe(self, name: str, fn: Callable[..., str], *args: Any) -> Future[str]:
        running = self._running.get(name)
        if running is not None and not running.done():
            return running  # still hanging from the last round: not a second thread for it
        future = self._pool.submit(fn, *args)
        self._running[name] = future
        return future

    @staticmethod
    def _result(future: Future[str], deadline: float) -> str:
        try:
            return future.result(timeout=max(deadline - time.monotonic(), 0.0))
        except FutureTimeout:
            return "timeout"
        except Exception as exc:  # noqa: BLE001 - a probe reports what failed, it never raises
            return f"failed: {type(exc).__name__}"


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness: no dependencies, so a slow database or Meilisearch never gets the process restarted."""
    response = jsonify({"status": "ok"})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/readyz")
def readyz() -> Any:
    readiness: Readiness = current_app.extensions["dichtbij.readiness"]
    status, body = readiness.report()
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.extensions["dichtbij.readiness"] = Readiness()
    app.register_blueprint(bp)

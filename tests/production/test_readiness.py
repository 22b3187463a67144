"""/readyz probes storage, Meilisearch and the model itself, at most once per CACHE_SECONDS (a fake clock
here), names the part that fails, and never hangs on a hanging dependency."""

from __future__ import annotations

import signal
import threading
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from webapp.production import health

from .test_faults import meili_app


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def with_clock(app: Any, clock: Clock) -> Any:
    app.extensions["dichtbij.readiness"] = health.Readiness(clock)
    return app.test_client()


def ready(client: Any) -> tuple[int, dict]:
    response = client.get("/readyz")
    assert response.headers["Cache-Control"] == "no-store"
    return response.status_code, response.get_json()


def counting_storage_probe(monkeypatch, outcome: Any = None) -> list[int]:
    calls: list[int] = []
    original = health.probe_storage

    def probe(engine: Any) -> str:
        calls.append(1)
        if callable(outcome):
            return outcome()
        return original(engine)

    monkeypatch.setattr(health, "probe_storage", probe)
    return calls


def test_all_parts_ok(make_app, clock) -> None:
    status, body = ready(with_clock(make_app(), clock))
    assert status == 200 and body["status"] == "ok"
    assert body["checks"] == {"storage": "ok", "model": "off"}


def test_probes_are_cached_for_a_moment(make_app, clock, monkeypatch) -> None:
    calls = counting_storage_probe(monkeypatch)
    client = with_clock(make_app(), clock)
    ready(client)
    clock.now += health.CACHE_SECONDS / 2
    ready(client)
    assert len(calls) == 1
    clock.now += health.CACHE_SECONDS
    ready(client)
    assert len(calls) == 2


def test_storage_failing_is_named(make_app, clock, monkeypatch) -> None:
    def broken() -> str:
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    counting_storage_probe(monkeypatch, broken)
    status, body = ready(with_clock(make_app(), clock))
    # the catalog in memory still answers: degraded, not out of the load balancer
    assert status == 200 and body["status"] == "degraded"
    assert body["checks"]["storage"] == "failed: OperationalError"


def test_a_hanging_storage_reads_timeout_and_gets_one_thread(make_app, clock, monkeypatch) -> None:
    release = threading.Event()
    calls = counting_storage_probe(monkeypatch, lambda: "ok" if release.wait(30) else "never")
    client = with_clock(make_app(), clock)
    try:
        status, body = ready(client)
        assert status == 200 and body["checks"]["storage"] == "timeout"
        clock.now += 2 * health.CACHE_SECONDS
        assert ready(client)[1]["checks"]["storage"] == "timeout"
        assert len(calls) == 1  # the hanging probe is waited for again, not started twice
    finally:
        release.set()


def test_no_content_is_unavailable_with_the_reason(make_app, clock, tmp_path) -> None:
    empty = tmp_path / "leeg"
    (empty / "voorzieningen").mkdir(parents=True)
    status, body = ready(with_clock(make_app(CONTENT_DIR=str(empty)), clock))
    assert status == 503 and body["status"] == "unavailable" and body["content"] == 0


@pytest.mark.meili
def test_meilisearch_is_probed_health_and_index(make_app, meili_process, clock) -> None:
    meili_process.start()
    app = meili_app(make_app, meili_process)
    client = with_clock(app, clock)
    status, body = ready(client)
    assert status == 200 and body["checks"]["meilisearch"] == "ok", body
    assert body["status"] == "ok"

    # the index gone: /readyz says so by itself, before any question fails
    import meilisearch

    admin = meilisearch.Client(meili_process.url, meili_process.key)
    admin.wait_for_task(admin.delete_index(app.config["MEILI_INDEX"]).task_uid)
    clock.now += 2 * health.CACHE_SECONDS
    status, body = ready(client)
    assert (status, body["status"], body["checks"]["meilisearch"]) == (200, "degraded", "failed: no index")

    # hanging (stopped, the port still accepts): a timeout within the probe's time, not "ok"
    assert meili_process.proc is not None
    meili_process.proc.send_signal(signal.SIGSTOP)
    try:
        clock.now += 2 * health.CACHE_SECONDS
        status, body = ready(client)
        assert body["checks"]["meilisearch"] in ("timeout", "failed: ReadTimeout"), body
        assert body["status"] == "degraded"
    finally:
        meili_process.proc.send_signal(signal.SIGCONT)

    meili_process.kill()
    clock.now += 2 * health.CACHE_SECONDS
    status, body = ready(client)
    assert body["checks"]["meilisearch"] == "failed: ConnectionError" and body["status"] == "degraded"

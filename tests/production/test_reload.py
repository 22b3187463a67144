"""Content updates: `flask content reload`, a broken update changes nothing, workers pick up new loads."""

from __future__ import annotations

from pathlib import Path

from webapp.searching import search_service


def entry_count(client) -> int:
    return int(client.get("/readyz").get_json()["content"])


def test_reload_stores_and_indexes(make_app, content_dir: Path, write_entry):
    app = make_app(CONTENT_DIR=str(content_dir))
    assert entry_count(app.test_client()) == 1
    write_entry("oss-tweede", replace={"titel: Taalcafé in de bibliotheek": "titel: Buurtkamer koffie"})
    result = app.test_cli_runner().invoke(args=["content", "reload"])
    assert result.exit_code == 0, result.output
    assert "Opgeslagen en geïndexeerd: 2 voorzieningen, zoeken met embedded" in result.output
    client = app.test_client()
    assert entry_count(client) == 2
    body = client.get("/api/v1/ask", query_string={"q": "buurtkamer koffie", "gemeente": "oss"}).get_json()
    assert "oss-tweede" in [s["slug"] for s in body["services"]]


def test_a_broken_update_leaves_the_previous_content(make_app, content_dir: Path, write_entry):
    app = make_app(CONTENT_DIR=str(content_dir))
    client = app.test_client()
    assert entry_count(client) == 1
    write_entry("oss-tweede", replace={"titel: Taalcafé in de bibliotheek": "titel: Buurtkamer"})
    write_entry("oss-kapot", replace={"gemeente: oss": "gemeente: atlantis"})
    result = app.test_cli_runner().invoke(args=["content", "reload"])
    assert result.exit_code == 1
    assert "oss-kapot" in result.output
    assert "De vorige inhoud blijft staan" in result.output
    assert entry_count(client) == 1
    # Another worker starting now reads storage: still the previous content.
    fresh = make_app(CONTENT_DIR=str(content_dir), LOAD_ON_START=False)
    assert entry_count(fresh.test_client()) == 1


def test_a_worker_picks_up_a_reload_done_elsewhere(make_app, content_dir: Path, write_entry):
    worker = make_app(CONTENT_DIR=str(content_dir), LOAD_ON_START=False, CONTENT_POLL_SECONDS=30)
    operator = make_app(CONTENT_DIR=str(content_dir))
    assert entry_count(operator.test_client()) == 1
    client = worker.test_client()
    assert entry_count(client) == 1
    write_entry("oss-tweede", replace={"titel: Taalcafé in de bibliotheek": "titel: Buurtkamer koffie"})
    assert operator.test_cli_runner().invoke(args=["content", "reload"]).exit_code == 0
    watcher = worker.extensions["dichtbij.watcher"]
    with worker.app_context():
        old_matcher = search_service().matcher()
    assert watcher.check_now() is True
    assert entry_count(client) == 2
    with worker.app_context():
        assert search_service().matcher() is not old_matcher
        assert "oss-tweede" in search_service().matcher().documents
    assert watcher.check_now() is False  # nothing newer


def test_the_check_runs_in_the_background_when_due(make_app, content_dir: Path, write_entry):
    import time

    operator = make_app(CONTENT_DIR=str(content_dir))
    assert entry_count(operator.test_client()) == 1
    worker = make_app(CONTENT_DIR=str(content_dir), LOAD_ON_START=False, CONTENT_POLL_SECONDS=0.2)
    client = worker.test_client()
    assert entry_count(client) == 1
    write_entry("oss-tweede", replace={"titel: Taalcafé in de bibliotheek": "titel: Buurtkamer koffie"})
    assert operator.test_cli_runner().invoke(args=["content", "reload"]).exit_code == 0
    deadline = time.monotonic() + 10
    while entry_count(client) != 2 and time.monotonic() < deadline:
        time.sleep(0.25)
    assert entry_count(client) == 2

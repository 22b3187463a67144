"""Privacy-safe counts: numbers per day, gemeente, kern, route and category; never the question or an address.
Nothing on the request path waits for a count; "Was dit wat je zocht?" counts its clicks."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from datetime import date

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError

from webapp import storage
from webapp.production import counts
from webapp.production.counts import counter, total_questions, totals

SECRET_QUESTIONS = [
    "Mijn buurvrouw Jannie de Vries slaat haar kinderen xq7zt",
    "ik heb 4000 euro schulden bij de bank vb9kw",
    "waar is een taalcafe in Veghel pl3mn",
    "mijn rijbewijs verlengen rr8ty",
]


def all_database_text(engine) -> str:
    """Every value in every table, as text."""
    parts = []
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                parts.extend(str(v) for v in row)
    return "\n".join(parts)


def test_counts_are_kept_without_the_question(make_app, route_as):
    route_as(SECRET_QUESTIONS[3], "onbekend")
    app = make_app(COUNTS_FLUSH_SECONDS=3600)
    client = app.test_client()
    for q in SECRET_QUESTIONS:
        assert client.get("/api/v1/ask", query_string={"q": q, "gemeente": "meierijstad"}).status_code == 200
    assert client.get("/vraag", query_string={"q": SECRET_QUESTIONS[0], "gemeente": "oss"}).status_code == 200
    environ = {"REMOTE_ADDR": "203.0.113.77"}
    client.get("/api/v1/ask", query_string={"q": SECRET_QUESTIONS[1]}, environ_base=environ)
    with app.app_context():
        counter().flush()
        engine = app.extensions["dichtbij.content"].engine
        assert total_questions(engine) == 6
        rows = totals(engine)
        assert {r.gemeente for r in rows} == {"meierijstad", "oss", ""}
        assert sum(r.onbekend for r in rows) >= 1  # the rijbewijs question
        dump = all_database_text(engine)
    for q in SECRET_QUESTIONS:
        for word in q.split():
            if len(word) >= 5 and word.isalpha() is False:  # the unique markers like xq7zt
                assert word not in dump
        assert q not in dump
    for marker in ("xq7zt", "vb9kw", "pl3mn", "rr8ty", "Jannie", "203.0.113.77"):
        assert marker not in dump


def test_counts_add_up_across_flushes_and_workers(make_app):
    app = make_app(COUNTS_FLUSH_SECONDS=3600)
    other = make_app(COUNTS_FLUSH_SECONDS=3600)  # a second worker on the same database
    for a in (app, other, app):
        a.test_client().get("/api/v1/ask", query_string={"q": "ik zoek een buurthuis", "gemeente": "oss"})
        with a.app_context():
            counter().flush()
    with app.app_context():
        rows = [r for r in totals(app.extensions["dichtbij.content"].engine) if r.gemeente == "oss"]
    assert sum(r.questions for r in rows) == 3
    assert len(rows) == 1  # one row per (day, gemeente, route, category), incremented


def test_bad_questions_are_not_counted(make_app):
    app = make_app(COUNTS_FLUSH_SECONDS=3600)
    app.test_client().get("/api/v1/ask", query_string={"q": ""})
    with app.app_context():
        counter().flush()
        assert total_questions(app.extensions["dichtbij.content"].engine) == 0


def test_flask_counts_prints_the_numbers(make_app):
    app = make_app(COUNTS_FLUSH_SECONDS=0)
    app.test_client().get("/api/v1/ask", query_string={"q": "ik zoek een buurthuis", "gemeente": "oss"})
    with app.app_context():
        counter().flush()
    result = app.test_cli_runner().invoke(args=["counts"])
    assert result.exit_code == 0, result.output
    assert "oss" in result.output
    assert "totaal: 1 vragen" in result.output
    assert "buurthuis" not in result.output


# --- nothing on the request path waits for a count ----------------------------------------------------

QUESTION = "waar kan ik koffie drinken met anderen in de Ruwaard"  # voorziening, oss, kern Oss (de Ruwaard)


def engine_of(app):
    return app.extensions["dichtbij.content"].engine


class HeldWriter:
    """Stands in for counts.upsert: records which thread writes, and holds every write until released."""

    def __init__(self, real) -> None:
        self.real = real
        self.entered = threading.Event()
        self.release = threading.Event()
        self.threads: list[str] = []

    def __call__(self, engine, rows) -> None:
        self.threads.append(threading.current_thread().name)
        self.entered.set()
        assert self.release.wait(30), "the test never released the writer"
        self.real(engine, rows)


def test_questions_answer_while_the_writer_is_held(make_app, monkeypatch):
    held = HeldWriter(counts.upsert)
    monkeypatch.setattr(counts, "upsert", held)
    app = make_app(COUNTS_FLUSH_SECONDS=0)
    client = app.test_client()
    assert client.get("/api/v1/ask", query_string={"q": QUESTION, "gemeente": "oss"}).status_code == 200
    assert held.entered.wait(30)  # the background thread is now stuck in the write
    for _ in range(4):  # a write inside the request would hang here until the 30 s assert above fails
        assert client.post("/vraag", data={"q": QUESTION, "gemeente": "oss"}).status_code == 200
    assert not held.release.is_set()
    assert total_questions(engine_of(app)) == 0  # nothing written yet: every answer came first
    held.release.set()
    with app.app_context():
        counter().flush()
    assert total_questions(engine_of(app)) == 5
    assert set(held.threads) <= {"counts-flush", threading.current_thread().name}
    assert held.threads[0] == "counts-flush"


def test_a_locked_database_holds_no_question(make_app):
    """An exclusive SQLite lock from another connection: the questions answer, the counts land after."""
    app = make_app(COUNTS_FLUSH_SECONDS=0)
    client = app.test_client()
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    # the content is loaded (and stored) by the first question, before the lock
    assert client.get("/api/v1/ask", query_string={"q": QUESTION, "gemeente": "oss"}).status_code == 200
    with app.app_context():
        counter().flush()
    assert total_questions(engine_of(app)) == 1
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        for _ in range(3):
            response = client.get("/api/v1/ask", query_string={"q": QUESTION, "gemeente": "oss"})
            assert response.status_code == 200
        assert client.post("/vraag", data={"q": QUESTION, "gemeente": "oss"}).status_code == 200
        assert locker.execute("SELECT COALESCE(SUM(questions), 0) FROM question_count").fetchone() == (1,)
    finally:
        locker.execute("COMMIT")
        locker.close()
    with app.app_context():
        counter().flush()
    assert total_questions(engine_of(app)) == 5


def test_a_full_queue_drops_the_count_and_counts_the_drop(tmp_path, monkeypatch):
    held = HeldWriter(counts.upsert)
    monkeypatch.setattr(counts, "upsert", held)
    engine = storage.make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    c = counts.Counter(engine, flush_every=0, queue_size=2)
    key = (date(2026, 11, 2), "oss", "Berghem", "voorziening", "geld")
    one: counts.Values = (1, 0, 0, 1, 0, 0)
    c.add(key, one)
    assert held.entered.wait(30)  # the thread took the first count and is stuck writing it
    for _ in range(5):
        c.add(key, one)  # 2 fit in the queue, 3 are dropped; none of them waits
    assert c.dropped == 3
    held.release.set()
    c.close()
    assert not c.running
    assert total_questions(engine) == 3


def test_counts_wait_in_memory_while_storage_fails_and_land_later(tmp_path, monkeypatch):
    engine = storage.make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    c = counts.Counter(engine, flush_every=3600)
    key = (date(2026, 11, 2), "oss", "", "wijkteam", "")

    def broken(engine, rows):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    c.add(key, (1, 0, 0, 1, 0, 0))
    with monkeypatch.context() as m:
        m.setattr(counts, "upsert", broken)
        assert c.flush() == 0
    c.add(key, (1, 0, 0, 1, 0, 0))
    assert c.flush() == 1
    assert total_questions(engine) == 2
    c.close()


def test_flush_zero_writes_soon_after_each_count_by_itself(make_app):
    app = make_app(COUNTS_FLUSH_SECONDS=0)
    with app.app_context():
        before = counter().flushes
    assert app.test_client().get("/api/v1/ask?q=buurthuis").status_code == 200
    with app.app_context():
        assert counter().wait_for_flush(before)  # the thread wrote it; nobody called flush
    assert total_questions(engine_of(app)) == 1


def test_threads_stop_and_start_again(tmp_path):
    engine = storage.make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    c = counts.Counter(engine, flush_every=3600)
    assert not c.running  # no thread until the first count
    key = (date(2026, 11, 2), "oss", "", "spoed", "")
    c.add(key, (1, 0, 0, 1, 0, 0))
    assert c.running
    counts.close_all()  # what the tests' fixture and the exit do: stop, and write what is left
    assert not c.running
    assert total_questions(engine) == 1
    assert "counts-flush" not in {t.name for t in threading.enumerate()}
    c.add(key, (1, 0, 0, 1, 0, 0))
    assert c.running
    c.close()
    assert total_questions(engine) == 2


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_worker_writes_its_own_counts_once(tmp_path):
    """As a gunicorn worker forked from a process that already counted: the child starts its own thread
    and never writes the parent's pending counts a second time."""
    engine = storage.make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    c = counts.Counter(engine, flush_every=3600)
    key = (date(2026, 11, 2), "maashorst", "Uden", "voorziening", "geld")
    c.add(key, (1, 0, 0, 1, 0, 0))  # pending in the parent at the fork
    pid = os.fork()
    if pid == 0:  # the child: exit codes say what went wrong
        code = 0
        try:
            engine.dispose(close=False)  # never use the parent's connections
            code = 3 if c.running else 0
            c.add(key, (1, 0, 0, 1, 0, 0))
            if not code:
                code = 0 if c.running and c.flush() == 1 else 4
        except BaseException:  # noqa: BLE001 - report through the exit code
            code = 5
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert total_questions(engine) == 1  # the child's count
    c.close()
    assert total_questions(engine) == 2  # and the parent's, once


# --- "Was dit wat je zocht?" ----------------------------------------------------------------------------


def found_form(html: str) -> dict[str, str]:
    """The hidden fields of the "Was dit wat je zocht?" form, as a browser without JavaScript sends them."""
    match = re.search(r'<form class="choice"[^>]*>(.*?)</form>', html, re.S)
    assert match, "no Was dit wat je zocht? form"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', match.group(1)))
    buttons = re.findall(r'name="vervolg" value="(\w+)"', match.group(1))
    assert buttons == ["ja", "nee"]
    return fields


@pytest.mark.parametrize(("button", "column"), [("ja", "found_yes"), ("nee", "found_no")])
def test_was_this_what_you_looked_for_is_counted_with_its_answer(make_app, button, column):
    app = make_app(COUNTS_FLUSH_SECONDS=3600)
    client = app.test_client()
    page = client.post("/vraag", data={"q": QUESTION, "gemeente": "oss"})
    assert page.status_code == 200
    fields = found_form(page.get_data(as_text=True))
    assert set(fields) <= {"q", "gemeente", "onderwerp"}  # no identifier of any kind
    clicked = client.post("/vraag", data={**fields, "vervolg": button})
    assert clicked.status_code == 200
    assert "Set-Cookie" not in clicked.headers and "Set-Cookie" not in page.headers
    with app.app_context():
        counter().flush()
        rows = totals(engine_of(app))
    assert [(r.gemeente, r.kern, r.route, r.category) for r in rows] == [
        ("oss", "Oss", "voorziening", "ontmoeting")
    ]
    (row,) = rows
    assert row.questions == 1  # the click is not a second question
    assert (row.found_yes, row.found_no) == ((1, 0) if button == "ja" else (0, 1))
    assert getattr(row, column) == 1
    assert QUESTION not in all_database_text(engine_of(app))


def test_a_click_by_link_counts_nothing(make_app):
    app = make_app(COUNTS_FLUSH_SECONDS=3600)
    client = app.test_client()
    assert (
        client.get("/vraag", query_string={"q": QUESTION, "gemeente": "oss", "vervolg": "ja"}).status_code
        == 200
    )
    with app.app_context():
        counter().flush()
    assert totals(engine_of(app)) == []


def test_the_gemeente_and_onderwerp_follow_ups_count_no_second_question(make_app):
    app = make_app(COUNTS_FLUSH_SECONDS=3600)
    client = app.test_client()
    page = client.post("/vraag", data={"q": "ik voel me alleen"}).get_data(as_text=True)
    assert 'name="vervolg" value="gemeente"' in page and 'name="vervolg" value="onderwerp"' in page
    # the gemeente form, then the onderwerp form, as the page sends them
    assert (
        client.post(
            "/vraag", data={"q": "ik voel me alleen", "vervolg": "gemeente", "gemeente": "oss"}
        ).status_code
        == 200
    )
    refined = {"q": "ik voel me alleen", "vervolg": "onderwerp", "gemeente": "oss", "onderwerp": "alleen"}
    topics = re.findall(r'name="onderwerp" value="([\w-]+)" required', page)
    assert topics
    refined["onderwerp"] = topics[0]
    assert client.post("/vraag", data=refined).status_code == 200
    with app.app_context():
        counter().flush()
    assert total_questions(engine_of(app)) == 1
    # a new question from the form on the same page does count
    assert client.post("/vraag", data={"q": QUESTION, "gemeente": "oss"}).status_code == 200
    with app.app_context():
        counter().flush()
    assert total_questions(engine_of(app)) == 2


def test_an_app_on_a_database_of_the_old_schema_keeps_every_count(make_app, tmp_path):
    from .test_storage_backends import old_schema

    engine = storage.make_engine(f"sqlite:///{tmp_path / 'dichtbij.db'}")  # the path make_app uses
    old_schema(engine)
    engine.dispose()
    app = make_app(COUNTS_FLUSH_SECONDS=3600)
    assert app.test_client().post("/vraag", data={"q": QUESTION, "gemeente": "oss"}).status_code == 200
    with app.app_context():
        counter().flush()
        rows = totals(engine_of(app))
    assert total_questions(engine_of(app)) == 12 + 4 + 1
    assert {(r.day.isoformat(), r.gemeente, r.kern, r.questions) for r in rows} >= {
        ("2026-10-30", "oss", "", 12),
        ("2026-10-30", "", "", 4),
    }
    assert [r.kern for r in rows if r.day != date(2026, 10, 30)] == ["Oss"]

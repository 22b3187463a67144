"""Privacy-safe question counts: per day, gemeente, kern, route and category, how many questions, how many
ended `onbekend`, how many got no good match (and how many did), and the yes / no clicks on "Was dit wat je
zocht?". Numbers only: never the question, an address, an identifier or a time of day.

Nothing on the request path waits for a count. A request puts its count on a bounded in-memory queue
(`put_nowait`: when the queue is full the count is dropped and the drop is counted, it never blocks). One
daemon thread per process adds the queue up and writes every COUNTS_FLUSH_SECONDS (and at exit) with one
INSERT ... ON CONFLICT DO UPDATE per key, so many workers and containers can share one table. A locked or
slow database only holds that thread; its counts stay pending for the next try. The thread starts on the
first count of each process, so a forked gunicorn worker starts its own.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import weakref
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Integer, MetaData, String, func, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import CreateTable
from sqlmodel import Field, Session, SQLModel, col

from .. import storage

log = logging.getLogger(__name__)

# Below this blended score the best voorziening is a weak fit: counted as "no good match".
GOOD_SCORE = 0.5
# At most this many different keys wait in memory while storage is down; counts for new keys beyond it are
# dropped (and counted as dropped). A day has far fewer keys than this.
MAX_PENDING_KEYS = 50_000


class QuestionCount(SQLModel, table=True):
    __tablename__ = "question_count"

    day: date = Field(primary_key=True)
    gemeente: str = Field(primary_key=True, sa_type=String(40))  # "" when unknown
    kern: str = Field(default="", primary_key=True, sa_type=String(80))  # "" when unknown
    route: str = Field(primary_key=True, sa_type=String(20))
    category: str = Field(primary_key=True, sa_type=String(40))  # of the best match; "" when none
    questions: int = Field(default=0, sa_type=Integer)
    onbekend: int = Field(default=0, sa_type=Integer)
    no_match: int = Field(default=0, sa_type=Integer)
    good_match: int = Field(default=0, sa_type=Integer)
    found_yes: int = Field(default=0, sa_type=Integer)  # "Was dit wat je zocht?": ja
    found_no: int = Field(default=0, sa_type=Integer)  # "Was dit wat je zocht?": nee


KEY_COLUMNS = ("day", "gemeente", "kern", "route", "category")
VALUE_COLUMNS = ("questions", "onbekend", "no_match", "good_match", "found_yes", "found_no")
Key = tuple[date, str, str, str, str]
Values = tuple[int, int, int, int, int, int]

QUESTION = "question"
FOUND_YES = "found_yes"
FOUND_NO = "found_no"


def answer_key(result: Any, body: dict[str, Any]) -> Key:
    """Where one answer is counted: today, its gemeente, the kern the question names (when it lies in that
    gemeente), its route and the category of its best match. No text of the question."""
    route = str(body.get("route") or "")
    services = body.get("services") or []
    category = ""
    if services:
        categories = services[0].get("categories") or []
        category = str(categories[0]) if categories else ""
    gemeente = str(body.get("gemeente") or "")
    return (datetime.now(UTC).date(), gemeente, kern_of(result, gemeente), route, category)


def kern_of(result: Any, gemeente: str) -> str:
    """The kern the question names: a kern itself, or the kern of a wijk; "" when none or elsewhere."""
    question = getattr(result, "question", None)
    place = getattr(question, "place", None)
    if place is None or not gemeente or place.gemeente != gemeente:
        return ""
    if place.kind == "kern":
        return str(place.name)
    if place.kind == "wijk":
        return str(place.kern or "")
    return ""


def tally(result: Any, body: dict[str, Any], what: str = QUESTION) -> tuple[Key, Values]:
    """What one answered question (or one click on "Was dit wat je zocht?") adds, and where."""
    key = answer_key(result, body)
    if what == FOUND_YES:
        return key, (0, 0, 0, 0, 1, 0)
    if what == FOUND_NO:
        return key, (0, 0, 0, 0, 0, 1)
    route = key[3]
    best = max((m.hit.score for m in getattr(result, "matches", ())), default=0.0)
    # onbekend includes "looked for a voorziening, found none"; a weak best fit counts as no good match too.
    no_match = route == "onbekend" or (route == "voorziening" and best < GOOD_SCORE)
    return key, (1, int(route == "onbekend"), int(no_match), int(not no_match), 0, 0)


def _add(into: dict[Key, list[int]], key: Key, values: Iterable[int]) -> bool:
    """Add values to into[key]; False (nothing added) when key is new and `into` is full."""
    row = into.get(key)
    if row is None:
        if len(into) >= MAX_PENDING_KEYS:
            return False
        row = into[key] = [0] * len(VALUE_COLUMNS)
    for i, v in enumerate(values):
        row[i] += v
    return True


class Counter:
    """The counts of one process: `add` never blocks; a background thread writes them."""

    def __init__(self, engine: Engine, flush_every: float = 10.0, queue_size: int = 10_000) -> None:
        self.engine = engine
        self.flush_every = flush_every
        self.queue_size = queue_size
        self._reset()
        _live.add(self)

    def _reset(self) -> None:
        """Fresh state, also in a forked child (new locks, no thread; the parent writes its own counts)."""
        self._flush_lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._drop_lock = threading.Lock()
        self._queue: queue.Queue[tuple[Key, Values]] = queue.Queue(maxsize=max(1, self.queue_size))
        self._pending: dict[Key, list[int]] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.dropped = 0  # counts lost because the queue (or the pending keys) were full
        self._dropped_logged = 0
        self.flushes = 0  # successful writes, for tests and logs
        self._flushed = threading.Condition()

    # --- the request path -----------------------------------------------------------------------------

    def add(self, key: Key, values: Values) -> None:
        """Queue one count. Never waits for storage; a full queue drops the count (and counts the drop)."""
        if self._thread is None:
            self._start()
        try:
            self._queue.put_nowait((key, values))
        except queue.Full:
            self._dropped()
            return
        if self.flush_every <= 0:
            self._wake.set()

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is not None:
                return
            self._stop.clear()
            thread = threading.Thread(target=self._run, name="counts-flush", daemon=True)
            self._thread = thread
            thread.start()

    # --- the background thread ------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.flush_every if self.flush_every > 0 else None)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.flush()
            except Exception:  # never let the thread die: the next round tries again
                log.exception("counts: flushing failed")

    def _drain(self) -> None:
        while True:
            try:
                key, values = self._queue.get_nowait()
            except queue.Empty:
                return
            if not _add(self._pending, key, values):
                self._dropped()

    def _dropped(self) -> None:
        with self._drop_lock:  # held for one addition, never around storage
            self.dropped += 1

    def flush(self) -> int:
        """Write what is queued and pending; on failure it stays pending for the next try. Returns the
        number of rows written. Waits for a flush already under way (then writes what is left)."""
        with self._flush_lock:
            self._drain()
            if self.dropped > self._dropped_logged:
                log.warning("counts: %d counts dropped so far (queue full)", self.dropped)
                self._dropped_logged = self.dropped
            if not self._pending:
                return 0
            pending = dict(self._pending)
            try:
                upsert(self.engine, pending.items())
            except SQLAlchemyError as exc:  # storage down or busy: the counts wait for the next flush
                log.warning("counts: writing failed (%s); will retry", type(exc).__name__)
                return 0
            self._pending.clear()
            with self._flushed:
                self.flushes += 1
                self._flushed.notify_all()
            return len(pending)

    def wait_for_flush(self, after: int, timeout: float = 30.0) -> bool:
        """Wait until more than `after` flushes have written (tests); False when the timeout passed."""
        with self._flushed:
            return self._flushed.wait_for(lambda: self.flushes > after, timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Stop the thread and write what is left (at exit, and between tests). A later `add` starts a new
        thread."""
        thread = self._thread
        if thread is not None:
            self._stop.set()
            self._wake.set()
            thread.join(timeout)
            self._thread = None
        try:
            self.flush()
        except Exception:  # at exit: nothing more to do
            log.warning("counts: the last flush failed", exc_info=True)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


_live: weakref.WeakSet[Counter] = weakref.WeakSet()


def close_all() -> None:
    """Stop every counter's thread and write its counts (at exit; tests call it after each test)."""
    for c in list(_live):
        c.close()


def _after_fork() -> None:
    for c in list(_live):
        c._reset()


atexit.register(close_all)
os.register_at_fork(after_in_child=_after_fork)  # a forked worker starts its own thread on its first count


# --- storage -------------------------------------------------------------------------------------------


def upsert(engine: Engine, rows: Iterable[tuple[Key, list[int]]]) -> None:
    table = QuestionCount.__table__  # type: ignore[attr-defined]
    values = [dict(zip(KEY_COLUMNS + VALUE_COLUMNS, (*k, *v), strict=True)) for k, v in rows]
    dialect = engine.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(table)
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table)
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"counts: unsupported database {dialect}")
    stmt = stmt.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={name: table.c[name] + stmt.excluded[name] for name in VALUE_COLUMNS},
    )
    with engine.begin() as conn:
        conn.execute(stmt, values)


def migrate(engine: Engine) -> bool:
    """Bring an older question_count table up to this schema, keeping every row. Returns True when it
    changed something.

    - No kern column (the key was day, gemeente, route, category): the table is rebuilt with kern in the
      key; old rows get kern "" and good_match = questions - no_match (the same rule as `tally`).
    - A missing count column: added with default 0.
    One process migrates at a time (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock); the others see
    the result and do nothing."""
    if not _needs_migration(engine):
        return False
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.execute(text("SELECT pg_advisory_xact_lock(161616)"))
        changed = _migrate_locked(conn)
        conn.commit()
    return changed


def _columns(conn_or_engine: Engine | Connection) -> set[str]:
    inspector = inspect(conn_or_engine)
    if not inspector.has_table("question_count"):
        return set()
    return {c["name"] for c in inspector.get_columns("question_count")}


def _needs_migration(engine: Engine) -> bool:
    columns = _columns(engine)
    return bool(columns) and not set(KEY_COLUMNS + VALUE_COLUMNS) <= columns


def _migrate_locked(conn: Connection) -> bool:
    columns = _columns(conn)
    if not columns or set(KEY_COLUMNS + VALUE_COLUMNS) <= columns:
        return False  # another process did it meanwhile
    table = QuestionCount.__table__  # type: ignore[attr-defined]
    if "kern" not in columns:
        new = table.to_metadata(MetaData(), name="question_count_new")
        conn.execute(CreateTable(new))
        copied = [c for c in VALUE_COLUMNS if c in columns]
        names = ["day", "gemeente", "route", "category", *copied]
        extra = {"kern": "''"}
        for name in VALUE_COLUMNS:
            if name not in columns:
                extra[name] = "0"
        if "good_match" not in columns and {"questions", "no_match"} <= columns:
            extra["good_match"] = "questions - no_match"
        target = ", ".join([*names, *extra])
        source = ", ".join([*names, *extra.values()])
        conn.execute(text(f"INSERT INTO question_count_new ({target}) SELECT {source} FROM question_count"))
        conn.execute(text("DROP TABLE question_count"))
        conn.execute(text("ALTER TABLE question_count_new RENAME TO question_count"))
        log.warning("counts: question_count rebuilt with kern in the key; every row kept")
        return True
    for name in VALUE_COLUMNS:
        if name not in columns:
            conn.execute(text(f"ALTER TABLE question_count ADD COLUMN {name} INTEGER NOT NULL DEFAULT 0"))
            log.warning("counts: column %s added to question_count", name)
    return True


def totals(engine: Engine, since: date | None = None, until: date | None = None) -> list[QuestionCount]:
    with Session(engine) as session:
        query = select(QuestionCount)
        if since is not None:
            query = query.where(col(QuestionCount.day) >= since)
        if until is not None:
            query = query.where(col(QuestionCount.day) <= until)
        query = query.order_by(*(col(getattr(QuestionCount, name)) for name in KEY_COLUMNS))
        return list(session.scalars(query))


def total_questions(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.coalesce(func.sum(QuestionCount.questions), 0))) or 0)


# --- the app -------------------------------------------------------------------------------------------


def record(result: Any, body: dict[str, Any], what: str = QUESTION) -> None:
    """Count one answered question, or one click on "Was dit wat je zocht?" (`what`: QUESTION, FOUND_YES or
    FOUND_NO). Only queues: never waits for storage, never raises."""
    c: Counter | None = current_app.extensions.get("dichtbij.counts")
    if c is None:
        return
    try:
        c.add(*tally(result, body, what))
    except Exception:  # counting must never break an answer
        log.warning("counts: could not count", exc_info=True)


def counter() -> Counter:
    c: Counter = current_app.extensions["dichtbij.counts"]
    return c


def init_app(app: Flask) -> None:
    content = app.extensions["dichtbij.content"]
    engine: Engine = content.engine
    storage.create_tables(engine, [QuestionCount.__table__])  # type: ignore[attr-defined]
    migrate(engine)
    app.extensions["dichtbij.counts"] = Counter(
        engine, app.config["COUNTS_FLUSH_SECONDS"], app.config["COUNTS_QUEUE_SIZE"]
    )

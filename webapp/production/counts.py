"""Privacy-safe question counts: per day, gemeente, route and category, how many questions, how many ended
`onbekend`, and how many got no good match. Numbers only: never the question, an address or a time of day.

Each worker adds up in memory and writes every COUNTS_FLUSH_SECONDS (and at exit) with one
INSERT ... ON CONFLICT DO UPDATE per key, so many workers and containers can share one table.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Integer, String, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Field, Session, SQLModel, col

log = logging.getLogger(__name__)

# Below this blended score the best voorziening is a weak fit: counted as "no good match".
GOOD_SCORE = 0.5


class QuestionCount(SQLModel, table=True):
    __tablename__ = "question_count"

    day: date = Field(primary_key=True)
    gemeente: str = Field(primary_key=True, sa_type=String(40))  # "" when unknown
    route: str = Field(primary_key=True, sa_type=String(20))
    category: str = Field(primary_key=True, sa_type=String(40))  # of the best match; "" when none
    questions: int = Field(default=0, sa_type=Integer)
    onbekend: int = Field(default=0, sa_type=Integer)
    no_match: int = Field(default=0, sa_type=Integer)


Key = tuple[date, str, str, str]


def tally(result: Any, body: dict[str, Any]) -> tuple[Key, tuple[int, int, int]]:
    """What one answered question adds, and where: (key, (questions, onbekend, no_match)); no text of the
    question."""
    route = str(body.get("route") or "")
    services = body.get("services") or []
    category = ""
    if services:
        categories = services[0].get("categories") or []
        category = str(categories[0]) if categories else ""
    best = max((m.hit.score for m in getattr(result, "matches", ())), default=0.0)
    # onbekend includes "looked for a voorziening, found none"; a weak best fit counts as no good match too.
    no_match = route == "onbekend" or (route == "voorziening" and best < GOOD_SCORE)
    key = (datetime.now(UTC).date(), str(body.get("gemeente") or ""), route, category)
    return key, (1, int(route == "onbekend"), int(no_match))


class Counter:
    def __init__(self, engine: Engine, flush_every: float = 10.0) -> None:
        self.engine = engine
        self.flush_every = flush_every
        self._pending: dict[Key, list[int]] = {}
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._last_flush = time.monotonic()

    def add(self, key: Key, values: tuple[int, int, int]) -> None:
        with self._lock:
            row = self._pending.setdefault(key, [0, 0, 0])
            for i, v in enumerate(values):
                row[i] += v
        if time.monotonic() - self._last_flush >= self.flush_every:
            self.flush()

    def flush(self) -> int:
        """Write the pending counts; on failure they stay pending for the next try. Returns rows written."""
        if not self._flush_lock.acquire(blocking=False):
            return 0
        try:
            self._last_flush = time.monotonic()
            with self._lock:
                pending, self._pending = self._pending, {}
            if not pending:
                return 0
            try:
                upsert(self.engine, pending.items())
            except SQLAlchemyError as exc:  # storage down or busy: the counts wait for the next flush
                log.warning("counts: writing failed (%s); will retry", type(exc).__name__)
                with self._lock:
                    for key, values in pending.items():
                        row = self._pending.setdefault(key, [0, 0, 0])
                        for i, v in enumerate(values):
                            row[i] += v
                return 0
            return len(pending)
        finally:
            self._flush_lock.release()


def upsert(engine: Engine, rows: Iterable[tuple[Key, list[int]]]) -> None:
    table = QuestionCount.__table__  # type: ignore[attr-defined]
    values = [
        {
            "day": k[0],
            "gemeente": k[1],
            "route": k[2],
            "category": k[3],
            "questions": v[0],
            "onbekend": v[1],
            "no_match": v[2],
        }
        for k, v in rows
    ]
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
        index_elements=["day", "gemeente", "route", "category"],
        set_={
            "questions": table.c.questions + stmt.excluded.questions,
            "onbekend": table.c.onbekend + stmt.excluded.onbekend,
            "no_match": table.c.no_match + stmt.excluded.no_match,
        },
    )
    with engine.begin() as conn:
        conn.execute(stmt, values)


def totals(engine: Engine, since: date | None = None) -> list[QuestionCount]:
    with Session(engine) as session:
        query = select(QuestionCount)
        if since is not None:
            query = query.where(col(QuestionCount.day) >= since)
        query = query.order_by(
            col(QuestionCount.day),
            col(QuestionCount.gemeente),
            col(QuestionCount.route),
            col(QuestionCount.category),
        )
        return list(session.scalars(query))


def total_questions(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.coalesce(func.sum(QuestionCount.questions), 0))) or 0)


def record(result: Any, body: dict[str, Any]) -> None:
    """Count one answered question (called by the question routes)."""
    counter: Counter | None = current_app.extensions.get("dichtbij.counts")
    if counter is None:
        return
    try:
        counter.add(*tally(result, body))
    except Exception:  # counting must never break an answer
        log.warning("counts: could not count a question", exc_info=True)


def counter() -> Counter:
    c: Counter = current_app.extensions["dichtbij.counts"]
    return c


def init_app(app: Flask) -> None:
    content = app.extensions["dichtbij.content"]
    engine: Engine = content.engine
    SQLModel.metadata.create_all(engine, tables=[QuestionCount.__table__])  # type: ignore[attr-defined]
    c = Counter(engine, app.config["COUNTS_FLUSH_SECONDS"])
    app.extensions["dichtbij.counts"] = c
    atexit.register(c.flush)

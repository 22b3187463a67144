"""gunicorn's workers start together on a fresh database: two processes creating the tables at the same
moment both boot (before, the second failed with "table voorziening already exists")."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from sqlalchemy import inspect


def create_in_a_process(url: str, start, out) -> None:  # type: ignore[no-untyped-def]
    from webapp import storage
    from webapp.production.counts import QuestionCount

    start.wait(60)
    try:
        engine = storage.make_engine(url)
        storage.create_tables(engine, [QuestionCount.__table__])  # type: ignore[attr-defined]
        out.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        out.put(f"{type(exc).__name__}: {exc}"[:200])


def test_two_processes_create_the_tables_of_a_fresh_sqlite_database(tmp_path: Path):
    ctx = multiprocessing.get_context("spawn")
    results: list[str] = []
    for round_ in range(5):  # the race showed in about half the rounds before the lock
        url = f"sqlite:///{tmp_path / f'round{round_}' / 'dichtbij.db'}"
        start, out = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=create_in_a_process, args=(url, start, out)) for _ in range(2)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        assert [p.exitcode for p in procs] == [0, 0]
        results += [out.get(timeout=5) for _ in procs]
        from sqlalchemy import create_engine

        tables = set(inspect(create_engine(url)).get_table_names())
        assert {"voorziening", "gemeente", "contentload", "question_count"} <= tables
    assert results == ["ok"] * 10

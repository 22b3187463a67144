"""Storage on SQLite and on PostgreSQL: load, read back, and an atomic replace that keeps the old data
when it fails. PostgreSQL comes from scripts/postgres.sh (on CI it must run; locally it may skip)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, create_engine, text

from webapp import storage
from webapp.content import load_content
from webapp.production.counts import QuestionCount, migrate, total_questions, totals, upsert

from ..conftest import ROOT


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path: Path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        base = request.getfixturevalue("postgres_url")
        # A fresh database per test on the session's server.
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = base.rsplit("/", 1)[0] + "/" + name
    eng = storage.make_engine(url)
    QuestionCount.metadata.create_all(eng, tables=[QuestionCount.__table__])  # type: ignore[attr-defined]
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def demo():
    content = load_content(ROOT / "content")
    assert content.entries
    return content


def test_load_and_read_back(engine, demo):
    storage.replace_content(engine, demo)
    back = storage.read_content(engine)
    assert sorted(e.slug for e in back.entries) == sorted(e.slug for e in demo.entries)
    by_slug = {e.slug: e for e in back.entries}
    for entry in demo.entries:
        assert by_slug[entry.slug] == entry  # every field survives the round trip
    assert set(back.gemeenten) == set(demo.gemeenten)
    for slug, info in demo.gemeenten.items():
        assert back.gemeenten[slug] == info
    last = storage.last_load(engine)
    assert last is not None and last.entries == len(demo.entries)


def test_replace_is_atomic_and_keeps_old_data_on_failure(engine, demo):
    storage.replace_content(engine, demo)
    first_load = storage.last_load(engine)
    broken_entry = dataclasses.replace(demo.entries[0], slug=demo.entries[1].slug)  # duplicate primary key
    broken = dataclasses.replace(demo, entries=[*demo.entries[2:], demo.entries[1], broken_entry])
    with pytest.raises(Exception):  # noqa: B017 - the database's own integrity error, any driver
        storage.replace_content(engine, broken)
    back = storage.read_content(engine)
    assert sorted(e.slug for e in back.entries) == sorted(e.slug for e in demo.entries)
    last = storage.last_load(engine)
    assert last is not None and first_load is not None and last.id == first_load.id


def test_a_second_replace_swaps_everything(engine, demo):
    storage.replace_content(engine, demo)
    smaller = dataclasses.replace(demo, entries=demo.entries[:3])
    storage.replace_content(engine, smaller)
    assert sorted(e.slug for e in storage.read_content(engine).entries) == sorted(
        e.slug for e in demo.entries[:3]
    )


def test_counts_upsert_on_both_databases(engine):
    key = (date(2026, 11, 1), "oss", "Berghem", "voorziening", "geld")
    upsert(engine, [(key, [2, 0, 1, 1, 1, 0])])
    upsert(
        engine,
        [
            (key, [3, 1, 0, 3, 0, 2]),
            ((date(2026, 11, 1), "oss", "", "voorziening", "geld"), [1, 0, 0, 1, 0, 0]),  # another kern
            ((date(2026, 11, 1), "", "", "spoed", ""), [1, 0, 0, 1, 0, 0]),
        ],
    )
    assert total_questions(engine) == 7
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT questions, onbekend, no_match, good_match, found_yes, found_no FROM question_count "
                "WHERE gemeente = 'oss' AND kern = 'Berghem'"
            )
        ).one()
    assert tuple(row) == (5, 1, 1, 4, 1, 2)


def old_schema(engine) -> None:
    """question_count as the first version created it: no kern, no good_match, no clicks."""
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS question_count"))
    old = Table(
        "question_count",
        MetaData(),
        Column("day", Date, primary_key=True),
        Column("gemeente", String(40), primary_key=True),
        Column("route", String(20), primary_key=True),
        Column("category", String(40), primary_key=True),
        Column("questions", Integer, nullable=False),
        Column("onbekend", Integer, nullable=False),
        Column("no_match", Integer, nullable=False),
    )
    old.create(engine)
    with engine.begin() as conn:
        conn.execute(
            old.insert(),
            [
                {
                    "day": date(2026, 10, 30),
                    "gemeente": "oss",
                    "route": "voorziening",
                    "category": "geld",
                    "questions": 12,
                    "onbekend": 0,
                    "no_match": 3,
                },
                {
                    "day": date(2026, 10, 30),
                    "gemeente": "",
                    "route": "onbekend",
                    "category": "",
                    "questions": 4,
                    "onbekend": 4,
                    "no_match": 4,
                },
            ],
        )


def test_an_old_counts_table_keeps_its_rows(engine):
    old_schema(engine)
    assert migrate(engine) is True
    assert migrate(engine) is False  # once
    rows = {(r.gemeente, r.route): r for r in totals(engine)}
    assert set(rows) == {("oss", "voorziening"), ("", "onbekend")}
    oss = rows["oss", "voorziening"]
    assert (oss.kern, oss.questions, oss.onbekend, oss.no_match) == ("", 12, 0, 3)
    assert (oss.good_match, oss.found_yes, oss.found_no) == (9, 0, 0)  # good = questions - no match
    assert rows["", "onbekend"].good_match == 0
    # the new key: a kern next to the old row of the same day, gemeente, route and category
    upsert(engine, [((date(2026, 10, 30), "oss", "Lith", "voorziening", "geld"), [1, 0, 0, 1, 1, 0])])
    upsert(engine, [((date(2026, 10, 30), "oss", "", "voorziening", "geld"), [1, 0, 0, 1, 0, 1])])
    assert total_questions(engine) == 18
    assert {(r.kern, r.questions, r.found_no) for r in totals(engine) if r.gemeente == "oss"} == {
        ("", 13, 1),
        ("Lith", 1, 0),
    }


def test_a_missing_count_column_is_added(engine):
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE question_count"))
        conn.execute(
            text(
                "CREATE TABLE question_count (day DATE NOT NULL, gemeente VARCHAR(40) NOT NULL, "
                "kern VARCHAR(80) NOT NULL, route VARCHAR(20) NOT NULL, category VARCHAR(40) NOT NULL, "
                "questions INTEGER NOT NULL, onbekend INTEGER NOT NULL, no_match INTEGER NOT NULL, "
                "good_match INTEGER NOT NULL, PRIMARY KEY (day, gemeente, kern, route, category))"
            )
        )
        conn.execute(
            text("INSERT INTO question_count VALUES ('2026-10-30', 'oss', 'Oss', 'spoed', '', 2, 0, 0, 2)")
        )
    assert migrate(engine) is True
    upsert(engine, [((date(2026, 10, 30), "oss", "Oss", "spoed", ""), [1, 0, 0, 1, 0, 1])])
    (row,) = totals(engine)
    assert (row.questions, row.good_match, row.found_yes, row.found_no) == (3, 3, 0, 1)

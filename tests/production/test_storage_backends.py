"""Storage on SQLite and on PostgreSQL: load, read back, and an atomic replace that keeps the old data
when it fails. PostgreSQL comes from scripts/postgres.sh (on CI it must run; locally it may skip)."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from webapp import storage
from webapp.content import load_content
from webapp.production.counts import QuestionCount, total_questions, upsert

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
    from datetime import date

    key = (date(2026, 11, 1), "oss", "voorziening", "geld")
    upsert(engine, [(key, [2, 0, 1])])
    upsert(engine, [(key, [3, 1, 0]), ((date(2026, 11, 1), "", "spoed", ""), [1, 0, 0])])
    assert total_questions(engine) == 6
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT questions, onbekend, no_match FROM question_count WHERE gemeente = 'oss'")
        ).one()
    assert tuple(row) == (5, 1, 1)

"""SQLModel storage: the validated content, replaced atomically on every load.

The web tier keeps no state of its own: every worker reads the same database (SQLite by default,
PostgreSQL in production via DATABASE_URL).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column, text
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, create_engine, delete, select

from .content.loader import ContentSet
from .content.models import (
    Entry,
    GemeenteInfo,
    Kern,
    Kosten,
    Opening,
    Openingstijden,
    Wijk,
    Wijkteam,
)


class Voorziening(SQLModel, table=True):
    slug: str = Field(primary_key=True)
    gemeente: str = Field(index=True)
    titel: str
    samenvatting: str
    categorieen: list[str] = Field(sa_column=Column(JSON, nullable=False))
    laatst_gecontroleerd: date
    voorbeeld: bool
    content_hash: str
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class Gemeente(SQLModel, table=True):
    slug: str = Field(primary_key=True)
    naam: str
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class ContentLoad(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    loaded_at: datetime
    entries: int
    gemeenten: int
    problems: int


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    create_tables(engine)
    return engine


def create_tables(engine: Engine, tables: list[Any] | None = None) -> None:
    """CREATE the missing tables, one process at a time: gunicorn's workers start together on a fresh
    database, and without the lock two of them both find a table missing and the second CREATE fails
    ("table voorziening already exists": Worker failed to boot). SQLite: BEGIN IMMEDIATE (the second
    waits for the first, then finds the tables); PostgreSQL: an advisory lock for the transaction."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(161615)"))
        SQLModel.metadata.create_all(conn, tables=tables)
        conn.commit()


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple | list):
        return [_plain(x) for x in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    return dict(_plain(entry))


def entry_from_dict(data: dict[str, Any]) -> Entry:
    d: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    hours = data["openingstijden"]
    d["kosten"] = Kosten(**data["kosten"])
    d["laatst_gecontroleerd"] = date.fromisoformat(data["laatst_gecontroleerd"])
    d["openingstijden"] = Openingstijden(tuple(Opening(**o) for o in hours["tijden"]), hours["notitie"])
    return Entry(**d)


def gemeente_from_dict(data: dict[str, Any]) -> GemeenteInfo:
    d = dict(data)
    kernen = tuple(
        Kern(k["naam"], k["lat"], k["lon"], tuple(Wijk(**w) for w in k["wijken"]), tuple(k.get("ook", ())))
        for k in d.pop("kernen")
    )
    return GemeenteInfo(
        **{k: v for k, v in d.items() if k not in {"wijkteam", "laatst_gecontroleerd", "ook"}},
        ook=tuple(d.get("ook", ())),
        wijkteam=Wijkteam(**d["wijkteam"]),
        kernen=kernen,
        laatst_gecontroleerd=date.fromisoformat(d["laatst_gecontroleerd"]),
    )


def content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def replace_content(engine: Engine, content: ContentSet) -> None:
    """Replace all stored content in one transaction; on any failure the previous content stays."""
    with Session(engine) as session, session.begin():
        session.exec(delete(Voorziening))
        session.exec(delete(Gemeente))
        for entry in content.entries:
            data = entry_to_dict(entry)
            session.add(
                Voorziening(
                    slug=entry.slug,
                    gemeente=entry.gemeente,
                    titel=entry.titel,
                    samenvatting=entry.samenvatting,
                    categorieen=list(entry.categorieen),
                    laatst_gecontroleerd=entry.laatst_gecontroleerd,
                    voorbeeld=entry.voorbeeld,
                    content_hash=content_hash(data),
                    data=data,
                )
            )
        for info in content.gemeenten.values():
            session.add(Gemeente(slug=info.slug, naam=info.naam, data=_plain(info)))
        session.add(
            ContentLoad(
                loaded_at=datetime.now(UTC),
                entries=len(content.entries),
                gemeenten=len(content.gemeenten),
                problems=len(content.errors),
            )
        )


def read_content(engine: Engine) -> ContentSet:
    """Everything stored, as a ContentSet (no problems: those were reported when it was loaded)."""
    with Session(engine) as session:
        entries = [
            entry_from_dict(row.data) for row in session.exec(select(Voorziening).order_by(Voorziening.slug))
        ]
        gemeenten = {row.slug: gemeente_from_dict(row.data) for row in session.exec(select(Gemeente))}
    return ContentSet(entries=entries, gemeenten=gemeenten)


def last_load(engine: Engine) -> ContentLoad | None:
    with Session(engine) as session:
        return session.exec(select(ContentLoad).order_by(ContentLoad.id.desc())).first()  # type: ignore[union-attr]

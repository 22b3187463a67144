"""The content the app serves: read from storage, held in memory per worker, swapped in one step."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.engine import Engine

from . import storage
from .content import ContentSet, Entry, GemeenteInfo, load_content
from .content.taxonomy import CATEGORY_SLUGS

log = logging.getLogger(__name__)


@dataclass
class Catalog:
    """An immutable-by-convention snapshot; reload builds a new one and swaps the reference."""

    entries: dict[str, Entry] = field(default_factory=dict)
    gemeenten: dict[str, GemeenteInfo] = field(default_factory=dict)

    @classmethod
    def from_content(cls, content: ContentSet) -> Catalog:
        return cls({e.slug: e for e in content.entries}, dict(content.gemeenten))

    def in_gemeente(self, gemeente: str | None) -> list[Entry]:
        """Entries serving a gemeente (its own plus landelijk), or all when gemeente is None."""
        return [e for e in self.entries.values() if gemeente is None or e.gemeente in (gemeente, "landelijk")]

    def in_category(self, slug: str, gemeente: str | None = None) -> list[Entry]:
        return sorted(
            (e for e in self.in_gemeente(gemeente) if slug in e.categorieen),
            key=lambda e: (e.landelijk, e.categorieen.index(slug), e.titel),
        )

    def counts(self) -> dict[str, dict[str, int]]:
        """{gemeente: {category: number of entries}}."""
        out: dict[str, dict[str, int]] = {}
        for e in self.entries.values():
            row = out.setdefault(e.gemeente, dict.fromkeys(CATEGORY_SLUGS, 0))
            for c in e.categorieen:
                row[c] += 1
        return out


@dataclass
class LoadReport:
    content: ContentSet
    stored: bool
    error: str = ""


class ContentService:
    """Validates content from disk, stores it atomically and serves the snapshot."""

    def __init__(self, engine: Engine, content_dir: Path) -> None:
        self.engine = engine
        self.content_dir = content_dir
        self._catalog: Catalog | None = None
        self._lock = threading.Lock()
        self.load_on_first_use = True
        self.listeners: list[Callable[[Catalog], None]] = []

    @property
    def catalog(self) -> Catalog:
        """The snapshot; the first use loads it (from disk, or from storage when the app says so)."""
        if self._catalog is None:
            with self._lock:
                if self._catalog is None:
                    if self.load_on_first_use:
                        self.load_from_disk()
                    if self._catalog is None:
                        self.refresh()
        assert self._catalog is not None
        return self._catalog

    def load_from_disk(
        self, today: date | None = None, progress: Callable[[int, int], None] | None = None
    ) -> LoadReport:
        """Validate and store; a broken file keeps the stored version of its entry or gemeente.
        `progress(done, total)` follows the entry files read."""
        previous = storage.read_content(self.engine)
        content = load_content(self.content_dir, today=today, previous=previous, progress=progress)
        for problem in content.errors:
            log.warning("content: %s", problem)
        if not content.entries:
            msg = "geen enkele geldige voorziening gevonden; de vorige inhoud blijft staan"
            log.error("content: %s", msg)
            return LoadReport(content, stored=False, error=msg)
        try:
            storage.replace_content(self.engine, content)
        except Exception as exc:  # the previous content stays in the database and in memory
            log.exception("content: storing failed")
            return LoadReport(content, stored=False, error=f"opslaan mislukt: {exc}")
        self.refresh()
        return LoadReport(content, stored=True)

    def refresh(self) -> Catalog:
        catalog = Catalog.from_content(storage.read_content(self.engine))
        self._catalog = catalog
        for listener in self.listeners:
            listener(catalog)
        return catalog


def init_app(app: Flask) -> None:
    engine = storage.make_engine(app.config["DATABASE_URL"])
    service = ContentService(engine, Path(app.config["CONTENT_DIR"]))
    service.load_on_first_use = app.config["LOAD_ON_START"]
    app.extensions["dichtbij.content"] = service


def content_service() -> ContentService:
    service: ContentService = current_app.extensions["dichtbij.content"]
    return service


def catalog() -> Catalog:
    return content_service().catalog

"""Content updates without an admin UI and without state in the web tier.

`flask content reload` (run anywhere with the same DATABASE_URL) validates, stores and re-indexes. Every
worker of every web container notices the new ContentLoad row within CONTENT_POLL_SECONDS and swaps in the
new catalog and question matcher, built in a background thread while the old ones keep answering.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from .. import storage
from ..catalog import Catalog, ContentService
from ..searching import SearchService

log = logging.getLogger(__name__)


class ContentWatcher:
    def __init__(self, content: ContentService, search: SearchService, every: float) -> None:
        self.content = content
        self.search = search
        self.every = every
        self.seen: int | None = None
        self._next = 0.0
        self._lock = threading.Lock()
        self._running = False

    def latest(self) -> int | None:
        row = storage.last_load(self.content.engine)
        return row.id if row is not None else None

    def remember_current(self) -> None:
        try:
            self.seen = self.latest()
        except SQLAlchemyError:  # storage down: the next check tries again
            log.warning("content: cannot read the load history", exc_info=True)

    def maybe_check(self) -> None:
        """Cheap, called on every request: starts a background check when one is due."""
        if self.every <= 0:
            return
        now = time.monotonic()
        if now < self._next:
            return
        with self._lock:
            if self._running or now < self._next:
                return
            self._next = now + self.every
            self._running = True
        threading.Thread(target=self._check, name="content-watch", daemon=True).start()

    def _check(self) -> None:
        try:
            self.check_now()
        except Exception:  # building the new content or engine failed: keep serving what we have
            log.exception("content: refreshing from storage failed; the previous content stays")
        finally:
            with self._lock:
                self._running = False

    def check_now(self) -> bool:
        """Swap in the stored content when a newer load exists. Returns True when it did."""
        latest = self.latest()
        if latest is None or latest == self.seen:
            return False
        catalog = Catalog.from_content(storage.read_content(self.content.engine))
        if not catalog.entries:
            log.error("content: load %s has no entries; the previous content stays", latest)
            self.seen = latest
            return False
        matcher = self.search.build(catalog)
        # Swap both references together (the old ones kept answering while the new matcher was built).
        self.search._matcher = matcher
        self.content._catalog = catalog
        for listener in self.content.listeners:
            if listener != self.search.on_catalog:
                listener(catalog)
        self.seen = latest
        log.info("content: now serving load %s (%d voorzieningen)", latest, len(catalog.entries))
        return True


def init_app(app: Flask) -> None:
    content: ContentService = app.extensions["dichtbij.content"]
    search: SearchService = app.extensions["dichtbij.search"]
    watcher = ContentWatcher(content, search, app.config["CONTENT_POLL_SECONDS"])
    app.extensions["dichtbij.watcher"] = watcher

    # Whatever this process loads itself counts as seen; loads elsewhere are picked up by the checks.
    def on_catalog(_catalog: Catalog) -> None:
        watcher.remember_current()

    content.listeners.append(on_catalog)

    @app.before_request
    def check_content() -> Any:
        if content._catalog is not None:
            watcher.maybe_check()
        return None

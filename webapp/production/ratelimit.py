"""Per-client rate limit on the question routes (/api/v1/ask and /vraag), in memory, per worker.

A fixed one-minute window per client. The client is identified by a salted hash of its address (the
salt is random per process), so not even the limiter's memory holds an IP address. The state is per
worker process: with W workers a client may get up to W times the limit in the worst case, which is
fine for its purpose (keeping one client from hogging the CPU) and keeps the web tier stateless.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
import time
from collections.abc import Callable

from flask import Flask, request
from werkzeug.exceptions import TooManyRequests

LIMITED_ENDPOINTS = frozenset({"api.ask.index", "vraag.index"})
WINDOW = 60.0
MAX_CLIENTS = 100_000  # prune expired windows when more clients than this are tracked


class RateLimiter:
    def __init__(self, per_window: int, window: float = WINDOW, clock: Callable[[], float] = time.monotonic):
        self.per_window = per_window
        self.window = window
        self.clock = clock
        self._salt = secrets.token_bytes(16)
        self._lock = threading.Lock()
        self._windows: dict[bytes, tuple[float, int]] = {}

    def key(self, client: str) -> bytes:
        return hashlib.blake2b(client.encode(), key=self._salt, digest_size=12).digest()

    def hit(self, client: str) -> float:
        """Count one request; return 0 when allowed, else the seconds until the client may ask again."""
        if self.per_window <= 0:
            return 0.0
        now = self.clock()
        key = self.key(client)
        with self._lock:
            start, count = self._windows.get(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            if count >= self.per_window:
                return max(start + self.window - now, 1.0)
            self._windows[key] = (start, count + 1)
            if len(self._windows) > MAX_CLIENTS:
                self._prune(now)
        return 0.0

    def _prune(self, now: float) -> None:
        self._windows = {k: v for k, v in self._windows.items() if now - v[0] < self.window}


def init_app(app: Flask) -> None:
    limiter = RateLimiter(app.config["RATE_LIMIT_PER_MINUTE"])
    exempt = {a.strip() for a in app.config["RATE_LIMIT_EXEMPT"].split(",") if a.strip()}
    app.extensions["dichtbij.ratelimit"] = limiter

    @app.before_request
    def limit_questions() -> None:
        if request.endpoint not in LIMITED_ENDPOINTS or request.remote_addr in exempt:
            return
        wait = limiter.hit(request.remote_addr or "-")
        if wait:
            raise TooManyRequests(retry_after=math.ceil(wait))

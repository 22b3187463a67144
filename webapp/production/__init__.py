"""Production plumbing: security headers and limits, trusted proxies, the rate limit, privacy-safe counts,
content refresh across workers, and the health checks. Nothing a resident sees; all of it keeps the site up
and private."""

from __future__ import annotations

from flask import Flask

from . import counts, health, proxy, ratelimit, reloading, security


def init_app(app: Flask) -> None:
    security.init_app(app)
    proxy.init_app(app)
    ratelimit.init_app(app)
    counts.init_app(app)
    reloading.init_app(app)
    health.init_app(app)

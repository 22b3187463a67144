"""Behind reverse proxies: trust PROXY_COUNT hops of X-Forwarded-For and X-Forwarded-Proto, so the rate limit
sees the resident's address instead of the proxy's, and external URLs get the public scheme. 0 trusts none."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    hops = app.config["PROXY_COUNT"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

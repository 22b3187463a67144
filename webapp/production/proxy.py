"""Behind reverse proxies: trust exactly PROXY_COUNT hops of X-Forwarded-For, -Proto and -Host, so the rate
limit sees the resident's address instead of the proxy's. 0 trusts none. With one proxy that sets (not
appends) X-Forwarded-For, as deploy/nginx does, a client's own X-Forwarded-For changes nothing. Links to
this site never come from these headers or the Host header: they use PUBLIC_URL (site/helpers.py)."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    hops = app.config["PROXY_COUNT"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

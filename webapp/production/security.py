"""HTTP hardening: security headers, request size limits, no cookies, and privacy-safe request logs.

- A strict Content-Security-Policy (no inline script or style; map tiles only from the configured host).
- HSTS, nosniff, no referrer, a minimal Permissions-Policy on every response.
- Requests with an over-long URL (414), too many parameters (400) or a too-large body (413) are refused;
  webapp/errors.py answers them with a short B1 message, as JSON under /api/ and as a page elsewhere.
- No response ever sets a cookie (residents are not tracked; the site keeps no session).
- No log line carries a question, a client address or a control character: webapp/logs.py, installed by
  create_app and named by gunicorn.conf.py.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge, RequestURITooLarge

from ..errors import BadInput

log = logging.getLogger(__name__)

MAX_PARAMETERS = 30  # values in the query string, repeated names counted

PERMISSIONS_POLICY = (
    "geolocation=(), camera=(), microphone=(), payment=(), usb=(), interest-cohort=(), "
    "browsing-topics=(), accelerometer=(), gyroscope=(), magnetometer=()"
)


def tile_source(tile_url: str) -> str:
    """The CSP source for a tile URL template: its origin, with {s} subdomains as a wildcard."""
    if not tile_url:
        return ""
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    host = parts.netloc
    if "{" in host:
        # "{s}.tile.openstreetmap.org" -> "*.tile.openstreetmap.org"; any other placeholder the same way
        host = re.sub(r"^\{[^}]*\}\.", "*.", host)
        if "{" in host:
            return ""
    return f"{parts.scheme}://{host}"


def content_security_policy(tile_url: str) -> str:
    images = " ".join(filter(None, ("'self'", "data:", tile_source(tile_url))))
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src {images}",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        # form-action does not fall back to default-src: name it. mailto: keeps the prepared e-mail to
        # the wijkteam working should it ever be sent from a form.
        "form-action 'self' mailto:",
        "manifest-src 'self'",
        "worker-src 'none'",
    ]
    return "; ".join(directives)


def init_app(app: Flask) -> None:
    csp = content_security_policy(app.config["TILE_URL"])
    hsts = app.config["HSTS_SECONDS"]
    max_query = app.config["MAX_QUERY_LENGTH"]  # 0: no limit of our own (gunicorn's still applies)
    max_body = app.config["MAX_CONTENT_LENGTH"]

    @app.before_request
    def limit_request_size() -> None:
        if (request.content_length or 0) > max_body:
            raise RequestEntityTooLarge()
        query = request.query_string
        if max_query and (len(query) > max_query or len(request.path) > max_query):
            raise RequestURITooLarge()
        if sum(1 for _item in request.args.items(multi=True)) > MAX_PARAMETERS:
            raise BadInput(
                _("Er staat te veel in het adres van deze pagina. Begin opnieuw op de beginpagina.")
            )

    @app.after_request
    def headers(response: Response) -> Response:
        h = response.headers
        h.setdefault("Content-Security-Policy", csp)
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "no-referrer"
        h["Permissions-Policy"] = PERMISSIONS_POLICY
        h["X-Frame-Options"] = "DENY"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        h["Cross-Origin-Resource-Policy"] = "same-origin"
        if hsts:
            h["Strict-Transport-Security"] = f"max-age={hsts}; includeSubDomains"
        # Residents are never tracked: whatever set a cookie, it does not leave the server.
        if "Set-Cookie" in h:
            log.warning("dropped a Set-Cookie header on %s", request.path)
            del h["Set-Cookie"]
        return response

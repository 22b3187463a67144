"""HTTP hardening: security headers, request size limits, no cookies, and privacy-safe request logs.

- A strict Content-Security-Policy (no inline script or style; map tiles only from the configured host).
- HSTS, nosniff, no referrer, a minimal Permissions-Policy on every response.
- Requests with an over-long URL (414), too many parameters (400) or a too-large body (413) get a short
  B1 message, as JSON under /api/ and as a page elsewhere.
- No response ever sets a cookie (residents are not tracked; the site keeps no session).
- The werkzeug development server's request log loses the client address and the query string, so a
  resident's question never lands in a log (gunicorn gets the same from gunicorn.conf.py).
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, jsonify, render_template_string, request
from flask_babel import gettext as _
from markupsafe import escape
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

log = logging.getLogger(__name__)

MAX_PARAMETERS = 30  # values in the query string, repeated names counted

PERMISSIONS_POLICY = (
    "geolocation=(), camera=(), microphone=(), payment=(), usb=(), interest-cohort=(), "
    "browsing-topics=(), accelerometer=(), gyroscope=(), magnetometer=()"
)

ERROR_PAGE = """{% extends "base.html" %}
{% block title %}{{ heading }}{% endblock %}
{% block content %}
<h1 class="utrecht-heading-1">{{ heading }}</h1>
<p>{{ message }}</p>
{% endblock %}
"""

PLAIN_PAGE = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>{heading} - Dichtbij</title></head><body><main><h1>{heading}</h1><p>{message}</p>"
    '<p><a href="/">Dichtbij</a></p></main></body></html>'
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


def error_response(
    status: int, heading: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    """A short B1 message: JSON for the API, a page for everything else."""
    if request.path.startswith("/api/"):
        response = jsonify({"error": message})
    else:
        try:
            html = render_template_string(ERROR_PAGE, heading=heading, message=message)
        except Exception:  # the page template needs the full app; never fail an error page on it
            log.debug("error page without the site layout", exc_info=True)
            html = PLAIN_PAGE.format(heading=escape(heading), message=escape(message))
        response = Response(html, mimetype="text/html")
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


class DropClientAndQuery(logging.Filter):
    """Remove the client address and the query string from werkzeug's request log lines.

    werkzeug logs `'<address> - - [<date>] %s %s %s'` with the request line ("GET /vraag?q=... HTTP/1.1")
    as the first argument. The question is in the query string; the address identifies the resident.
    """

    ADDRESS = re.compile(r"^\S+ - - ")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and self.ADDRESS.match(record.msg):
            record.msg = self.ADDRESS.sub("- - - ", record.msg, count=1)
        if isinstance(record.args, tuple) and record.args:
            first = record.args[0]
            text = str(first)
            if "?" in text:
                record.args = (strip_query(text), *record.args[1:])
        return True


def strip_query(request_line: str) -> str:
    """'GET /vraag?q=x HTTP/1.1' -> 'GET /vraag HTTP/1.1'; also works on a bare path."""
    return re.sub(r"\?[^ ]*", "", request_line)


def install_log_filter() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, DropClientAndQuery) for f in logger.filters):
        logger.addFilter(DropClientAndQuery())


def init_app(app: Flask) -> None:
    install_log_filter()
    csp = content_security_policy(app.config.get("TILE_URL") or "")
    hsts = int(app.config.get("HSTS_SECONDS") or 0)
    max_query = int(app.config.get("MAX_QUERY_LENGTH") or 0)

    @app.before_request
    def limit_request_size() -> Any:
        max_body = app.config.get("MAX_CONTENT_LENGTH")
        if max_body and (request.content_length or 0) > int(max_body):
            raise RequestEntityTooLarge()
        query = request.query_string
        if max_query and (len(query) > max_query or len(request.path) > max_query):
            return error_response(
                414,
                _("Het adres is te lang"),
                _("Het adres van deze pagina is te lang. Maak je vraag korter en probeer het opnieuw."),
            )
        if sum(1 for _item in request.args.items(multi=True)) > MAX_PARAMETERS:
            return error_response(
                400,
                _("Dit adres klopt niet"),
                _("Er staat te veel in het adres van deze pagina. Begin opnieuw op de beginpagina."),
            )
        return None

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: HTTPException) -> Response:
        return error_response(
            413,
            _("Je bericht is te groot"),
            _("Je bericht is te groot. Maak het korter en probeer het opnieuw."),
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

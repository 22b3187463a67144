"""Error pages: 404 and 500 in the site's layout."""

from __future__ import annotations

from flask import Flask, render_template
from markupsafe import escape
from werkzeug.exceptions import HTTPException


def not_found(error: HTTPException) -> tuple[str, int]:
    return render_template("404.html"), 404


def server_error(error: Exception) -> tuple[str, int]:
    try:
        return render_template("500.html"), 500
    except Exception:  # the error page itself must never fail
        return str(escape("Er ging iets mis. Probeer het later opnieuw.")), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(404, not_found)
    app.register_error_handler(500, server_error)

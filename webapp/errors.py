"""Every error a request can end in, answered one way: one handler for all HTTP errors (404, 405, 413, 414,
429, 500, ...) gives JSON {"error": message} under /api/ and a page in the site's layout elsewhere, with a
short B1 text per status. Input the app cannot use is a BadInput, a 400 whose message says what is wrong.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from werkzeug.exceptions import BadRequest, HTTPException

log = logging.getLogger(__name__)


class BadInput(BadRequest):
    """Input the app cannot use (a question, a gemeente, a query parameter); the message says why, for
    whoever sent it: B1 Dutch in the resident's language for a question, plain English for the HSDS
    API's parameters."""

    def __init__(self, message: str) -> None:
        super().__init__(description=message)


# status -> (heading, message); other client errors get CLIENT_ERROR, other server errors the 500 texts.
TEXTS: dict[int, tuple[LazyString, LazyString]] = {
    404: (
        _l("Deze pagina bestaat niet"),
        _l("Misschien is de link oud. Of er zit een typefout in het adres."),
    ),
    413: (
        _l("Je bericht is te groot"),
        _l("Je bericht is te groot. Maak het korter en probeer het opnieuw."),
    ),
    414: (
        _l("Het adres is te lang"),
        _l("Het adres van deze pagina is te lang. Maak je vraag korter en probeer het opnieuw."),
    ),
    429: (
        _l("Even wachten"),
        _l("Je stelt veel vragen achter elkaar. Wacht een minuut en probeer het opnieuw."),
    ),
    500: (
        _l("Er ging iets mis"),
        _l("Dit is onze fout, niet die van jou. Probeer het over een paar minuten opnieuw."),
    ),
}
CLIENT_ERROR = (_l("Dit adres klopt niet"), TEXTS[404][1])

# Without the site's layout (it needs storage, which may be what failed): plain HTML, still B1.
PLAIN_PAGE = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>{heading} - Dichtbij</title></head><body><main><h1>{heading}</h1><p>{message}</p>"
    '<p><a href="/">Dichtbij</a></p></main></body></html>'
)


def texts(error: HTTPException) -> tuple[str, str]:
    """(heading, message) in the page's language."""
    status = error.code or 500
    heading, message = TEXTS.get(status) or (CLIENT_ERROR if status < 500 else TEXTS[500])
    if isinstance(error, BadInput):
        return str(heading), str(error.description)
    return str(heading), str(message)


def error_page(status: int, heading: str, message: str) -> str:
    try:
        return render_template("error.html", status=status, heading=heading, message=message)
    except Exception:  # the error page itself must never fail: storage or the layout may be what broke
        log.warning("error page without the site's layout", exc_info=True)
        return PLAIN_PAGE.format(heading=escape(heading), message=escape(message))


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def handle_error(error: HTTPException) -> HTTPException | Response:
    """The one handler: JSON under /api/, a page elsewhere; headers such as Retry-After and Allow kept."""
    status = error.code
    if status is None or status < 400:
        return error  # redirects and the like are not errors
    heading, message = texts(error)
    if is_api(request.path):
        response = jsonify({"error": message})
    else:
        response = Response(error_page(status, heading, message), mimetype="text/html")
    response.status_code = status
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_error)

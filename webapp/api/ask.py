"""GET /api/v1/ask: the question matcher as JSON. /vraag shows the same answer as a page (ask_data)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import force_locale

from ..answers import answer, clean_gemeente, clean_question
from ..catalog import content_service
from ..i18n import DEFAULT, supported
from ..production import counts
from ..searching import search_service

bp = Blueprint("ask", __name__)


def ask_data(q: str | None, gemeente: str | None, lang: str | None) -> dict[str, Any]:
    """Validate, ask the matcher, build the answer. Raises BadInput (message in the asked language)."""
    with force_locale(supported(lang) or DEFAULT):
        question = clean_question(q)
        gemeente_slug = clean_gemeente(gemeente)
    result = search_service().matcher().ask(question, gemeente=gemeente_slug, lang=supported(lang))
    body = answer(content_service().catalog, result, lang=supported(lang))
    counts.record(result, body)  # numbers only, never the question
    return body


@bp.get("/ask")
def index() -> Any:
    body = ask_data(request.args.get("q"), request.args.get("gemeente"), request.args.get("lang"))
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response

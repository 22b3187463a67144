"""GET /api/v1/ask: the question matcher as JSON, described by /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import force_locale

from .. import counts
from ..answers import BadQuestion, answer, clean_gemeente, clean_question
from ..catalog import content_service
from ..i18n import DEFAULT, supported
from ..openapi import spec
from ..searching import search_service

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def ask_data(q: str | None, gemeente: str | None, lang: str | None) -> dict[str, Any]:
    """Validate, ask the matcher, build the answer. Raises BadQuestion (message in the asked language)."""
    with force_locale(supported(lang) or DEFAULT):
        question = clean_question(q)
        gemeente_slug = clean_gemeente(gemeente)
    result = search_service().matcher().ask(question, gemeente=gemeente_slug, lang=supported(lang))
    body = answer(content_service().catalog, result, lang=supported(lang))
    counts.record(result, body)  # numbers only, never the question
    return body


@bp.get("/ask")
def ask() -> Any:
    try:
        body = ask_data(request.args.get("q"), request.args.get("gemeente"), request.args.get("lang"))
    except BadQuestion as exc:
        return jsonify({"error": str(exc)}), 400
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(spec())

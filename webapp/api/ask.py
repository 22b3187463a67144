"""GET /api/v1/ask: the question matcher as JSON. /vraag shows the same answer as a page (ask_data)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import force_locale

from ..answers import answer, clean_gemeente, clean_question, clean_topic
from ..catalog import content_service
from ..i18n import DEFAULT, supported
from ..production import counts
from ..searching import search_service

bp = Blueprint("ask", __name__)


def ask_data(
    q: str | None,
    gemeente: str | None,
    lang: str | None,
    onderwerp: str | None = None,
    count: str | None = counts.QUESTION,
) -> dict[str, Any]:
    """Validate, ask the matcher, build the answer. Raises BadInput (message in the asked language).
    `onderwerp`: the resident's answer to the follow-up question of a vague question (answers.TOPICS).
    `count`: what the answer adds to the counts (counts.QUESTION, FOUND_YES or FOUND_NO; None: nothing)."""
    with force_locale(supported(lang) or DEFAULT):
        question = clean_question(q)
        gemeente_slug = clean_gemeente(gemeente)
        categories = clean_topic(onderwerp)
    matcher = search_service().matcher()
    result = matcher.ask(question, gemeente=gemeente_slug, lang=supported(lang), categories=categories)
    body = answer(content_service().catalog, result, lang=supported(lang))
    if count is not None:
        counts.record(result, body, count)  # numbers only, never the question; only queued
    return body


@bp.get("/ask")
def index() -> Any:
    args = request.args
    body = ask_data(args.get("q"), args.get("gemeente"), args.get("lang"), args.get("onderwerp"))
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response

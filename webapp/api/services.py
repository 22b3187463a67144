"""GET /api/v1/services: the voorzieningen as a paginated Open Referral HSDS 3.0 list."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, jsonify, request

from ..catalog import content_service
from ..errors import BadInput
from . import hsds

bp = Blueprint("services", __name__)


def parse_int(value: str | None, name: str, default: int, low: int, high: int | None = None) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadInput(f"'{name}' must be a whole number, got '{value}'") from None
    if number < low or (high is not None and number > high):
        limit = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise BadInput(f"'{name}' must be {limit}, got {number}")
    return number


def parse_modified_after(value: str | None) -> date | None:
    if value is None or value == "":
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        raise BadInput(f"'modified_after' must be a date like 2026-01-31, got '{value}'") from None


@bp.get("/services")
def index() -> Any:
    """Query: page (>= 1), per_page (1-100, default 25), modified_after (YYYY-MM-DD, on or after)."""
    page_number = parse_int(request.args.get("page"), "page", 1, 1)
    per_page = parse_int(
        request.args.get("per_page"), "per_page", hsds.DEFAULT_PER_PAGE, 1, hsds.MAX_PER_PAGE
    )
    modified_after = parse_modified_after(request.args.get("modified_after"))
    catalog = content_service().catalog
    body = hsds.page(
        catalog.entries.values(),
        catalog.gemeenten,
        page_number=page_number,
        per_page=per_page,
        modified_after=modified_after,
    )
    response = jsonify(body)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response

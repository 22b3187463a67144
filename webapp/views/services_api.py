"""GET /api/v1/services: the voorzieningen as a paginated Open Referral HSDS 3.0 list."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from .. import hsds
from ..catalog import content_service

bp = Blueprint("services_api", __name__, url_prefix="/api/v1")


@bp.get("/services")
def services() -> Any:
    """Query: page (>= 1), per_page (1-100, default 25), modified_after (YYYY-MM-DD, on or after)."""
    try:
        page_number = hsds.parse_int(request.args.get("page"), "page", 1, 1)
        per_page = hsds.parse_int(
            request.args.get("per_page"), "per_page", hsds.DEFAULT_PER_PAGE, 1, hsds.MAX_PER_PAGE
        )
        modified_after = hsds.parse_modified_after(request.args.get("modified_after"))
    except hsds.BadParameter as exc:
        return jsonify({"error": str(exc)}), 400
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

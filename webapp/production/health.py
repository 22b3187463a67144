"""/healthz (the process answers) and /readyz (content loaded; which search backend and model answer)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from ..catalog import content_service
from ..searching import search_service

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness: no dependencies, so a slow database or Meilisearch never gets the process restarted."""
    response = jsonify({"status": "ok"})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/readyz")
def readyz() -> Any:
    """Readiness: 200 with "ok" or "degraded" while there is content to answer from, else 503."""
    body: dict[str, Any] = {"status": "unavailable", "content": 0, "search": "", "model": ""}
    status = 503
    try:
        entries = len(content_service().catalog.entries)
        service = search_service()
        service.matcher()
        body.update(service.readiness())
        body["content"] = entries
        if entries:
            body["status"] = "degraded" if body.pop("degraded") else "ok"
            status = 200
        else:
            body.pop("degraded", None)
    except Exception as exc:  # noqa: BLE001 - readiness reports, it never raises
        body["error"] = type(exc).__name__
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response

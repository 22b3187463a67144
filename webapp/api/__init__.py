"""The public JSON API under /api/v1: ask a question, list the voorzieningen (HSDS 3.0), and the OpenAPI
description of both. Each module is a blueprint nested in `api`, so its endpoints read api.<module>.*."""

from __future__ import annotations

from flask import Blueprint, Flask

from . import ask, openapi, services

bp = Blueprint("api", __name__, url_prefix="/api/v1")
for module in (ask, services, openapi):
    bp.register_blueprint(module.bp)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

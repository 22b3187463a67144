"""/toegankelijkheid: the accessibility statement."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("toegankelijkheid", __name__)


@bp.get("/toegankelijkheid")
def index() -> str:
    return render_template("toegankelijkheid.html")

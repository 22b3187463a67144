"""/tuintips: the neutral page "Snel weg" leads to, with nothing about help or Dichtbij on it."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("tuintips", __name__)


@bp.get("/tuintips")
def index() -> str:
    return render_template("neutral.html")

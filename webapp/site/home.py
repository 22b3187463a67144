"""/: ask a question, or pick a category."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

bp = Blueprint("home", __name__)

EXAMPLES = (
    _l("Ik voel me vaak alleen"),
    _l("Ik zorg voor mijn moeder en ben moe"),
    _l("Ik heb schulden en krijg veel brieven"),
    _l("Waar kan ik Nederlands oefenen?"),
)


@bp.get("/")
def index() -> str:
    return render_template("home.html", examples=[str(e) for e in EXAMPLES])

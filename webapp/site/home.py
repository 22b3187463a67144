"""/: ask a question, or pick a category."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..i18n import LANGUAGES
from ..searching import search_service

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


def example_questions() -> list[str]:
    """The example questions in every language of the site: what a tile asks."""
    out: list[str] = []
    for lang in LANGUAGES:
        with force_locale(lang):
            out += [str(e) for e in EXAMPLES]
    return list(dict.fromkeys(out))


def init_app(app: Flask) -> None:
    """A tile asks the same question again and again: its vector stays in memory (never pays the model)."""
    with app.app_context():
        search_service().keep_questions(example_questions())

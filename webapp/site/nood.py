"""/nood: the crisis lines, large, with tel: links; then people to talk to."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..catalog import catalog
from ..emergency import LINES, ORDER

bp = Blueprint("nood", __name__)


@bp.get("/nood")
def index() -> str:
    lines = [LINES[key] for key in ORDER]
    phones = {line.phone for line in lines}
    talk = sorted(
        (
            e
            for e in catalog().entries.values()
            if e.landelijk and "psychisch" in e.categorieen and e.telefoon not in phones
        ),
        key=lambda e: e.titel,
    )
    return render_template("nood.html", lines=lines, talk=talk)

"""/wijkteam and /wijkteam/<gemeente>: how to reach the wijkteam / toegang of a gemeente."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request

from .. import gemeenten
from ..catalog import catalog
from .helpers import chosen_gemeente, url

bp = Blueprint("wijkteam", __name__)


@bp.get("/wijkteam")
def index() -> Any:
    chosen, errors = chosen_gemeente(request.args.get("gemeente"), "wt-gemeente")
    if chosen:
        return redirect(url("wijkteam.gemeente", gemeente=chosen))
    cat = catalog()
    infos = [cat.gemeenten[slug] for slug in gemeenten.names(cat)]
    typed = request.args.get("gemeente", "")
    return render_template("wijkteam_index.html", infos=infos, errors=errors, typed=typed)


@bp.get("/wijkteam/<gemeente>")
def gemeente(gemeente: str) -> str:
    info = catalog().gemeenten.get(gemeente)
    if info is None:
        abort(404)
    return render_template("wijkteam.html", info=info)

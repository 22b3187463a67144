"""/wijkteam and /wijkteam/<gemeente>: how to reach the wijkteam / toegang of a gemeente."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request

from ..catalog import catalog
from .helpers import url

bp = Blueprint("wijkteam", __name__)


@bp.get("/wijkteam")
def index() -> Any:
    chosen = request.args.get("gemeente")
    if chosen and chosen in catalog().gemeenten:
        return redirect(url("wijkteam.gemeente", gemeente=chosen))
    return render_template("wijkteam_index.html", infos=list(catalog().gemeenten.values()))


@bp.get("/wijkteam/<gemeente>")
def gemeente(gemeente: str) -> str:
    info = catalog().gemeenten.get(gemeente)
    if info is None:
        abort(404)
    return render_template("wijkteam.html", info=info)

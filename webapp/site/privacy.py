"""/privacy: what Dichtbij keeps (nothing of your question), and which other parties a page can reach."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, render_template

bp = Blueprint("privacy", __name__)


@bp.get("/privacy")
def index() -> str:
    tiles = current_app.config["TILE_URL"]
    return render_template(
        "privacy.html",
        tile_host=urlsplit(tiles).hostname if tiles else "",
        tile_attribution=current_app.config["TILE_ATTRIBUTION"],
        counts_flush=current_app.config["COUNTS_FLUSH_SECONDS"],
    )

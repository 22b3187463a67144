"""/categorie/<slug>: every voorziening in a category, with filters (a GET form that works without JS)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from ..catalog import catalog
from ..content.taxonomy import CATEGORY_BY_SLUG
from .filters import checked_boxes, filtered
from .helpers import chosen_gemeente

bp = Blueprint("categorie", __name__)


@bp.get("/categorie/<slug>")
def index(slug: str) -> str:
    if slug not in CATEGORY_BY_SLUG:
        abort(404)
    cat = catalog()
    gemeente, errors = chosen_gemeente(request.args.get("gemeente"), "f-gemeente")
    info = cat.gemeenten.get(gemeente) if gemeente else None
    kernen = [k.naam for k in info.kernen] if info else []
    kern = request.args.get("kern") if request.args.get("kern") in kernen else None
    checked = checked_boxes(request.args)

    entries = filtered(cat.in_category(slug, gemeente), kern, checked)
    return render_template(
        "categorie.html",
        slug=slug,
        entries=entries,
        gemeente=gemeente,
        kernen=kernen,
        kern=kern,
        checked=checked,
        errors=errors,
        map_filters={name: "1" for name, on in checked.items() if on},
    )

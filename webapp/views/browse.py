"""/categorie/<slug>: every voorziening in a category, with filters (a GET form that works without JS)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from ..catalog import catalog
from ..content import Entry
from ..content.taxonomy import CATEGORY_BY_SLUG, GEMEENTEN
from ..hours import is_open
from .pages import now_local

bp = Blueprint("browse", __name__)

CHECKBOXES = ("gratis", "zonder", "rolstoel", "open")


def filtered(entries: list[Entry], kern: str | None, checked: dict[str, bool]) -> list[Entry]:
    """The entries that pass the kern and checkbox filters (shared by the list and the map)."""
    if kern:
        entries = [e for e in entries if serves_kern(e, kern)]
    if checked["gratis"]:
        entries = [e for e in entries if e.kosten.gratis]
    if checked["zonder"]:
        entries = [e for e in entries if e.aanmelden == "binnenlopen"]
    if checked["rolstoel"]:
        entries = [e for e in entries if "rolstoel" in e.toegankelijkheid]
    if checked["open"]:
        now = now_local()
        entries = [e for e in entries if is_open(e.openingstijden, now)]
    return entries


def serves_kern(entry: Entry, kern: str) -> bool:
    return entry.landelijk or not entry.kernen or kern in entry.kernen


@bp.get("/categorie/<slug>")
def categorie(slug: str) -> str:
    if slug not in CATEGORY_BY_SLUG:
        abort(404)
    cat = catalog()
    gemeente = request.args.get("gemeente") if request.args.get("gemeente") in GEMEENTEN else None
    info = cat.gemeenten.get(gemeente) if gemeente else None
    kernen = [k.naam for k in info.kernen] if info else []
    kern = request.args.get("kern") if request.args.get("kern") in kernen else None
    checked = {name: request.args.get(name) == "1" for name in CHECKBOXES}

    entries = filtered(cat.in_category(slug, gemeente), kern, checked)
    return render_template(
        "categorie.html",
        slug=slug,
        entries=entries,
        gemeente=gemeente,
        kernen=kernen,
        kern=kern,
        checked=checked,
        map_filters={name: "1" for name, on in checked.items() if on},
    )

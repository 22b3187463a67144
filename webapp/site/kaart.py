"""/kaart: places on a map AND in a list beside it. The list is the page; the map is an extra for JS users.

The filters are a GET form like the category page (categorie, gemeente, kern, the same checkboxes);
focus=<slug> centres the map on one place. /kaart/kaart.js is the folium-built map script for the same query:
an external script, because the Content-Security-Policy allows no inline ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext as _

from ..catalog import catalog
from ..content import Entry
from ..content.taxonomy import CATEGORY_BY_SLUG
from ..i18n import select_locale
from .filters import checked_boxes, filtered
from .helpers import address, chosen_gemeente, url

bp = Blueprint("kaart", __name__)


@dataclass
class Selection:
    """What the query asks for, checked against the content (unknown values are ignored)."""

    categorie: str | None = None
    gemeente: str | None = None
    kern: str | None = None
    kernen: list[str] = field(default_factory=list)
    checked: dict[str, bool] = field(default_factory=dict)
    focus: Entry | None = None
    entries: list[Entry] = field(default_factory=list)  # the places on the map (and in the list)
    elsewhere: int = 0  # places that fit the filters but have no address on the map (phone lines)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field id, message): a gemeente not found

    def query(self) -> dict[str, Any]:
        """The query that gives this selection (for the script URL and links)."""
        values: dict[str, Any] = {
            "categorie": self.categorie,
            "gemeente": self.gemeente,
            "kern": self.kern,
            "focus": self.focus.slug if self.focus else None,
        }
        values.update({name: "1" for name, on in self.checked.items() if on})
        return values


def on_map(entry: Entry) -> bool:
    return entry.lat is not None and entry.lon is not None


def selection() -> Selection:
    args = request.args
    cat = catalog()
    focus = cat.entries.get(args.get("focus", ""))
    if focus is not None and not on_map(focus):
        focus = None
    categorie = args.get("categorie") if args.get("categorie") in CATEGORY_BY_SLUG else None
    gemeente, errors = chosen_gemeente(args.get("gemeente"), "f-gemeente")
    if gemeente is None and focus is not None and not focus.landelijk:
        gemeente = focus.gemeente  # show the focused place among its neighbours
    info = cat.gemeenten.get(gemeente) if gemeente else None
    kernen = [k.naam for k in info.kernen] if info else []
    kern = args.get("kern") if args.get("kern") in kernen else None
    checked = checked_boxes(args)

    entries = cat.in_gemeente(gemeente)
    if categorie:
        entries = [e for e in entries if categorie in e.categorieen]
    entries = filtered(entries, kern, checked)
    elsewhere = sum(1 for e in entries if not on_map(e))
    entries = sorted((e for e in entries if on_map(e)), key=lambda e: (e.plaats, e.titel))
    if focus is not None:
        # The focused place always shows, first in the list.
        entries = [focus] + [e for e in entries if e.slug != focus.slug]
    return Selection(categorie, gemeente, kern, kernen, checked, focus, entries, elsewhere, errors)


def make_map(sel: Selection) -> Any:
    # folium (25 MB) is imported on the first map, not by every worker at start (bench/memory.py)
    from .map import Marker, build_map

    lang = select_locale()
    markers = [
        Marker(
            slug=e.slug,
            name=e.titel,
            lat=float(e.lat or 0),
            lon=float(e.lon or 0),
            address=address(e),
            voorbeeld=e.voorbeeld,
        )
        for e in sel.entries
    ]
    return build_map(
        markers,
        href=url("voorziening.index", slug="SLUG").replace("SLUG", "{slug}"),
        leaflet_js=url_for("static", filename="vendor/leaflet/leaflet.js"),
        leaflet_css=url_for("static", filename="vendor/leaflet/leaflet.css"),
        tile_url=current_app.config["TILE_URL"],
        tile_attribution=current_app.config["TILE_ATTRIBUTION"],
        labels={"voorbeeld": _("Voorbeeld"), "lang": lang},
        focus=sel.focus.slug if sel.focus else None,
    )


@bp.get("/kaart")
def index() -> str:
    sel = selection()
    from .map import ELEMENT_ID, render_map

    rendered = render_map(make_map(sel)) if sel.entries else None
    return render_template(
        "kaart.html",
        sel=sel,
        address=address,
        map_id=ELEMENT_ID,
        leaflet=rendered,
        script_url=url("kaart.script", **sel.query()),
        tiles=bool(current_app.config["TILE_URL"]),
        attribution=current_app.config["TILE_ATTRIBUTION"],
    )


@bp.get("/kaart/kaart.js")
def script() -> Response:
    """folium's map script for the same query as /kaart."""
    sel = selection()
    from .map import render_map

    response = Response(render_map(make_map(sel)).script, mimetype="application/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    response.make_conditional(request)
    return response

"""/hulpkaart: a volunteer picks a few places and prints one page with names, addresses, phones and hours.

Everything is in the URL (?slug=a&slug=b, with gemeente/categorie to narrow the checkbox list), so the page
works without JavaScript and a hulpkaart can be bookmarked or sent as a link. Nothing is stored.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ..catalog import catalog
from ..content import Entry
from ..content.taxonomy import CATEGORY_BY_SLUG, DAGEN, GEMEENTEN
from .kaart import address
from .pages import now_local

bp = Blueprint("hulpkaart", __name__)

MAX_PLACES = 12  # more does not make a useful hand-out (and keeps the URL short)
ONE_PAGE = 6  # up to this many fit on one printed page


def chosen_slugs(entries: dict[str, Entry]) -> list[str]:
    """The known ?slug= values, in the order given, without repeats."""
    out: list[str] = []
    for slug in request.args.getlist("slug"):
        if slug in entries and slug not in out:
            out.append(slug)
    return out


def hours(entry: Entry) -> list[tuple[str, str, str]]:
    """(dag, open, dicht) sorted by weekday."""
    return [
        (o.dag, o.open, o.dicht)
        for o in sorted(entry.openingstijden.tijden, key=lambda o: (DAGEN.index(o.dag), o.open))
    ]


@bp.get("/hulpkaart")
def index() -> str:
    cat = catalog()
    gemeente = request.args.get("gemeente") if request.args.get("gemeente") in GEMEENTEN else None
    categorie = request.args.get("categorie") if request.args.get("categorie") in CATEGORY_BY_SLUG else None
    slugs = chosen_slugs(cat.entries)
    too_many = len(slugs) > MAX_PLACES
    chosen = [cat.entries[s] for s in slugs[:MAX_PLACES]]

    options: list[Entry] = []
    if gemeente or categorie:
        options = [e for e in cat.in_gemeente(gemeente) if categorie is None or categorie in e.categorieen]
        options = sorted(
            (e for e in options if e.slug not in slugs), key=lambda e: (e.landelijk, e.plaats, e.titel)
        )
    return render_template(
        "hulpkaart.html",
        gemeente=gemeente,
        categorie=categorie,
        options=options,  # places to pick from (the chosen ones are listed apart, already ticked)
        chosen=chosen,
        too_many=too_many,
        one_page=ONE_PAGE,
        max_places=MAX_PLACES,
        address=address,
        hours=hours,
        today=now_local().date(),
    )

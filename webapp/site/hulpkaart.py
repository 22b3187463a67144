"""/hulpkaart: a volunteer picks a few places and prints one page with names, addresses, phones and hours.

Everything is in the URL (?slug=a&slug=b, with gemeente/categorie to narrow the checkbox list), so the page
works without JavaScript and a hulpkaart can be bookmarked or sent as a link. Nothing is stored.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from ..catalog import catalog
from ..content import Entry
from ..content.taxonomy import CATEGORY_BY_SLUG, DAGEN
from ..emergency import LINES, ORDER
from . import labels
from .helpers import address, chosen_gemeente, now_local

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


def hours(entry: Entry) -> list[tuple[str, str]]:
    """Opening hours in as few lines as possible: ("maandag tot en met vrijdag", "09:00 - 17:00").

    Days in a row with the same times share one line; a day with two times has them on one line.
    """
    by_day: dict[str, list[str]] = {}
    for o in sorted(entry.openingstijden.tijden, key=lambda o: (DAGEN.index(o.dag), o.open)):
        by_day.setdefault(o.dag, []).append(f"{o.open} - {o.dicht}")
    runs: list[tuple[list[str], str]] = []
    for dag in DAGEN:
        if dag not in by_day:
            continue
        times = ", ".join(by_day[dag])
        last = runs[-1] if runs else None
        if last and last[1] == times and DAGEN.index(last[0][-1]) == DAGEN.index(dag) - 1:
            last[0].append(dag)
        else:
            runs.append(([dag], times))
    lines = []
    for days, times in runs:
        first, final = (str(labels.WEEKDAYS.get(d, d)) for d in (days[0], days[-1]))
        if len(days) == 1:
            when = first
        elif len(days) == 2:
            when = _("%(first)s en %(last)s", first=first, last=final)
        else:
            when = _("%(first)s tot en met %(last)s", first=first, last=final)
        lines.append((when, times))
    return lines


@bp.get("/hulpkaart")
def index() -> str:
    cat = catalog()
    gemeente, errors = chosen_gemeente(request.args.get("gemeente"), "h-gemeente")
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
        errors=errors,
        categorie=categorie,
        options=options,  # places to pick from (the chosen ones are listed apart, already ticked)
        chosen=chosen,
        too_many=too_many,
        one_page=ONE_PAGE,
        max_places=MAX_PLACES,
        address=address,
        hours=hours,
        today=now_local().date(),
        crisis_lines=[LINES[key] for key in ORDER],  # every printed card says where to call in danger
        team=cat.gemeenten.get(gemeente) if gemeente and chosen else None,  # the wijkteam to reach
    )

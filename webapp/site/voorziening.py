"""/voorziening/<slug>: everything about one voorziening."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, render_template, url_for

from ..catalog import catalog
from ..content.taxonomy import DAGEN
from .helpers import lang_param, public_url

bp = Blueprint("voorziening", __name__)


@bp.get("/voorziening/<slug>")
def index(slug: str) -> str:
    cat = catalog()
    entry = cat.entries.get(slug)
    if entry is None:
        abort(404)
    hours = sorted(entry.openingstijden.tijden, key=lambda o: (DAGEN.index(o.dag), o.open))
    share_url = public_url(url_for("voorziening.index", slug=slug, lang=lang_param()))
    share_text = f"{entry.titel} {share_url}"
    return render_template(
        "detail.html",
        entry=entry,
        info=cat.gemeenten.get(entry.gemeente),
        hours=hours,
        share_url=share_url,
        whatsapp=f"https://wa.me/?text={quote(share_text)}",
        sms=f"sms:?&body={quote(share_text)}",
    )

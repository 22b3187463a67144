"""/voorziening/<slug>: everything about one voorziening."""

from __future__ import annotations

from urllib.parse import quote

import markdown as md
import nh3
from flask import Blueprint, abort, render_template, url_for
from markupsafe import Markup

from ..catalog import catalog
from ..content.taxonomy import DAGEN
from .pages import lang_param

bp = Blueprint("detail", __name__)

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def render_markdown(text: str) -> Markup:
    """Editor Markdown as safe HTML: only paragraphs, lists, emphasis and links survive."""
    html = md.markdown(text or "", output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


@bp.get("/voorziening/<slug>")
def voorziening(slug: str) -> str:
    cat = catalog()
    entry = cat.entries.get(slug)
    if entry is None:
        abort(404)
    hours = sorted(entry.openingstijden.tijden, key=lambda o: (DAGEN.index(o.dag), o.open))
    share_url = url_for("detail.voorziening", slug=slug, lang=lang_param(), _external=True)
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

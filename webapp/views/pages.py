"""Shared page helpers (language-keeping URLs, template globals), the small static pages and error pages."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, current_app, render_template, request, url_for
from flask_babel import format_date
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from .. import labels
from ..content import Entry, freshness
from ..content.taxonomy import CATEGORIES, GEMEENTEN
from ..hours import TZ, is_open
from ..i18n import DEFAULT, LANGUAGES, supported

bp = Blueprint("pages", __name__)


def lang_param() -> str | None:
    """The ?lang= to keep in links and forms (None for the default language)."""
    lang = supported(request.args.get("lang"))
    return lang if lang and lang != DEFAULT else None


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if v not in (None, "", False)}
    lang = lang_param()
    if lang and "lang" not in out:
        out["lang"] = lang
    return out


def url(endpoint: str, **values: Any) -> str:
    """url_for that keeps the page language and drops empty values."""
    return url_for(endpoint, **_clean(values))


def path_url(path: str, **values: Any) -> str:
    """A URL for a path another part of the app serves (like /kaart), keeping the page language."""
    query = urlencode(_clean(values))
    return f"{path}?{query}" if query else path


def switch_lang(code: str) -> str:
    """The current page in another language."""
    args = {k: v for k, v in request.args.items() if k != "lang"}
    if code != DEFAULT:
        args["lang"] = code
    query = urlencode(args)
    return f"{request.path}?{query}" if query else request.path


def lang_field() -> Markup:
    """Hidden field that keeps the language when a GET form is sent."""
    lang = lang_param()
    if not lang:
        return Markup("")
    return Markup('<input type="hidden" name="lang" value="{}">').format(lang)


def current_gemeente() -> str | None:
    value = request.args.get("gemeente")
    return value if value in GEMEENTEN else None


def tel(phone: str) -> str:
    """A phone number as used in tel: links."""
    return re.sub(r"[^\d+]", "", phone)


def now_local() -> datetime:
    return datetime.now(TZ)


def is_stale(entry: Entry) -> bool:
    """The freshness rule of content/freshness.py, with STALE_MONTHS and today in Amsterdam."""
    return freshness.is_stale(entry, current_app.config["STALE_MONTHS"], now_local().date())


def open_now(entry: Any) -> bool | None:
    return is_open(entry.openingstijden, now_local())


def gemeente_info(slug: str) -> Any:
    from ..catalog import catalog

    return catalog().gemeenten.get(slug)


def gemeente_names() -> dict[str, str]:
    from ..catalog import catalog

    names = {slug: info.naam for slug, info in catalog().gemeenten.items()}
    return {slug: names.get(slug, slug.capitalize()) for slug in GEMEENTEN}


@bp.get("/toegankelijkheid")
def toegankelijkheid() -> str:
    return render_template("toegankelijkheid.html")


@bp.get("/tuintips")
def neutral() -> str:
    """The neutral page "Snel weg" leads to: nothing about help or Dichtbij on it."""
    return render_template("neutral.html")


def not_found(error: HTTPException) -> tuple[str, int]:
    return render_template("404.html"), 404


def server_error(error: Exception) -> tuple[str, int]:
    try:
        return render_template("500.html"), 500
    except Exception:  # the error page itself must never fail
        return str(escape("Er ging iets mis. Probeer het later opnieuw.")), 500


def init_app(app: Flask) -> None:
    """Template globals, filters and error pages for the resident site."""
    from .detail import render_markdown

    app.register_error_handler(404, not_found)
    app.register_error_handler(500, server_error)
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(tel, "tel")

    @app.context_processor
    def site_helpers() -> dict[str, Any]:
        return {
            "url": url,
            "path_url": path_url,
            "switch_lang": switch_lang,
            "lang_field": lang_field,
            "current_gemeente": current_gemeente(),
            "languages": LANGUAGES,
            "labels": labels,
            "categories": CATEGORIES,
            "gemeenten": GEMEENTEN,
            "gemeente_names": gemeente_names,
            "gemeente_info": gemeente_info,
            "format_date": format_date,
            "is_stale": is_stale,
            "open_now": open_now,
        }

"""What every page of the resident site shares: language-keeping URLs, today in Amsterdam, the freshness and
opening-hours questions a template asks, safe Markdown, and the template globals and filters that offer
them."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import markdown as md
import nh3
from babel.lists import format_list
from flask import Flask, current_app, request, url_for
from flask_babel import format_date, get_locale
from markupsafe import Markup

from .. import gemeenten
from ..answers import unknown_gemeente
from ..catalog import catalog
from ..content import Entry, GemeenteInfo, freshness
from ..content.taxonomy import CATEGORIES
from ..i18n import DEFAULT, LANGUAGES, supported
from . import labels
from .hours import TZ, is_open

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


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


def public_url(path: str) -> str:
    """An absolute link to this site from the configured PUBLIC_URL, never from the request's Host header
    (which a client chooses)."""
    return current_app.config["PUBLIC_URL"] + "/" + path.lstrip("/\\")


def canonical_url() -> str:
    """The page's public address: its path and language, none of its other parameters (on /vraag those
    hold the question)."""
    lang = lang_param()
    return public_url(request.path) + (f"?{urlencode({'lang': lang})}" if lang else "")


def lang_field() -> Markup:
    """Hidden field that keeps the language when a GET form is sent."""
    lang = lang_param()
    if not lang:
        return Markup("")
    return Markup('<input type="hidden" name="lang" value="{}">').format(lang)


def current_gemeente() -> str | None:
    """The gemeente of the query (?gemeente=oss, or a name typed in a gemeente field), if it names one."""
    value = request.args.get("gemeente")
    return gemeenten.choose(value, catalog()).slug if value else None


def chosen_gemeente(raw: str | None, field_id: str) -> tuple[str | None, list[tuple[str, str]]]:
    """The gemeente a form field names, and its error for the error summary ([(field id, message)]) when
    it names none: "bedoel je ...?" with the names closest to what was typed."""
    cat = catalog()
    choice = gemeenten.choose(raw, cat)
    if choice.unknown:
        return None, [(field_id, unknown_gemeente(choice, cat))]
    return choice.slug, []


def tel(phone: str) -> str:
    """A phone number as used in tel: links."""
    return re.sub(r"[^\d+]", "", phone)


def address(entry: Entry) -> str:
    """'Straat 1, 5341 AB Oss', or just the plaats when there is no street address."""
    town = " ".join(part for part in (entry.postcode, entry.plaats) if part)
    return ", ".join(part for part in (entry.adres, town) if part)


def now_local() -> datetime:
    return datetime.now(TZ)


def is_stale(entry: Entry) -> bool:
    """The freshness rule of content/freshness.py, with STALE_MONTHS and today in Amsterdam."""
    return freshness.is_stale(entry, current_app.config["STALE_MONTHS"], now_local().date())


def open_now(entry: Entry) -> bool | None:
    return is_open(entry.openingstijden, now_local())


def gemeente_info(slug: str) -> GemeenteInfo | None:
    return catalog().gemeenten.get(slug)


def gemeente_names() -> dict[str, str]:
    """{slug: name} of every gemeente, alphabetical by name."""
    return gemeenten.names(catalog())


def gemeente_list() -> str:
    """The names of the gemeenten as a sentence in the page language: "Oss, Uden en Veghel"."""
    return format_list(list(gemeente_names().values()), locale=str(get_locale()))


def many_gemeenten() -> bool:
    """True when the forms ask for the gemeente in a text field with suggestions instead of a list."""
    return gemeenten.many(catalog())


def render_markdown(text: str) -> Markup:
    """Editor Markdown as safe HTML: only paragraphs, line breaks, lists, emphasis and links survive.
    A single line break stays a line break (nl2br): editors write one sentence per line and mean it."""
    html = md.markdown(text or "", output_format="html", extensions=["nl2br"])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


def init_app(app: Flask) -> None:
    """The template globals and filters every page of the site uses."""
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(tel, "tel")

    @app.context_processor
    def site_helpers() -> dict[str, Any]:
        from .actions import actions, first_action, has_address

        return {
            "url": url,
            "path_url": path_url,
            "actions": actions,
            "first_action": first_action,
            "has_address": has_address,
            "public_url": public_url,
            "canonical_url": canonical_url,
            "lang_field": lang_field,
            "current_gemeente": current_gemeente(),
            "languages": LANGUAGES,
            "labels": labels,
            "categories": CATEGORIES,
            "gemeente_names": gemeente_names,
            "gemeente_list": gemeente_list,
            "many_gemeenten": many_gemeenten,
            "gemeente_info": gemeente_info,
            "format_date": format_date,
            "is_stale": is_stale,
            "open_now": open_now,
        }

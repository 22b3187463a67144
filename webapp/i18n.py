"""Languages: Dutch (default, B1) plus the languages residents use, translated in translations/ (Babel).

Which language a page is in, first match wins:
1. ?lang= in the URL: the resident chose it (every link and form of the site keeps it);
2. the browser's language (Accept-Language), when it is one of the six: a first visit from a phone set to
   Arabic opens in Arabic;
3. Dutch.
Nothing is remembered: the site sets no cookie. So a resident whose browser asks for another language and
who chooses Dutch gets ?lang=nl in the URL, and the links keep it (`url_defaults` below).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, g, has_request_context, request
from flask_babel import Babel, get_translations
from werkzeug.exceptions import HTTPException

from .content.taxonomy import LANGUAGE_NAMES

# The site's languages (each translated in translations/), named in their own language.
LANGUAGES: dict[str, str] = {code: LANGUAGE_NAMES[code].own for code in ("nl", "en", "pl", "tr", "ar", "uk")}
RTL = {"ar"}
DEFAULT = "nl"


def translator() -> Callable[..., str]:
    """flask_babel.gettext bound to the translations in force now: an answer translates a dozen strings,
    and each gettext call looks the translations up again (about 12 microseconds)."""
    translations = get_translations()

    def gettext(string: str, **variables: Any) -> str:
        text: str = translations.ugettext(string)
        return text % variables if variables else text

    return gettext


def supported(lang: str | None) -> str | None:
    return lang if lang in LANGUAGES else None


def explicit() -> str | None:
    """The language the resident chose: ?lang= in the URL (a posting form keeps it in its action)."""
    return supported(request.args.get("lang"))


def from_browser() -> str | None:
    """The browser's most wanted language of the six (Accept-Language), or None."""
    return supported(request.accept_languages.best_match(list(LANGUAGES)))


def without_choice() -> str:
    """The language a page is in when the URL names none: the browser's, else Dutch."""
    return from_browser() or DEFAULT


def chosen() -> str | None:
    """The language the resident or their browser asked for; None when nobody asked (then Dutch)."""
    return explicit() or from_browser()


def select_locale() -> str:
    forced = getattr(g, "locale", None)
    if forced:
        return str(forced)
    return chosen() or DEFAULT


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


def needs_param(code: str) -> bool:
    """Whether a link to a page in `code` must say ?lang=: always, except for the language a page without
    ?lang= opens in anyway (Dutch, or the browser's language)."""
    return code != DEFAULT or without_choice() != DEFAULT


def lang_url(code: str) -> str:
    """The current page in another language (the same path and query, another ?lang=)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    if needs_param(code):
        args.append(("lang", code))
    query = urlencode(args)
    # One leading slash only: for a path such as `/\\evil.example` or `//evil.example` (a 404 page) a browser
    # would read the link as another site.
    path = "/" + request.path.lstrip("/\\")
    return f"{path}?{query}" if query else path


def resend_fields() -> list[tuple[str, str]] | None:
    """On a posted page (an answer: its question is not in the URL) the language switch sends the same form
    again: these fields. None on other pages, or when the form cannot be read (a 413 page)."""
    if request.method != "POST":
        return None
    try:
        return [(k, v) for k, v in request.form.items(multi=True) if k != "lang"]
    except HTTPException:
        return None


def keep_dutch(endpoint: str, values: dict[str, Any]) -> None:
    """A resident whose browser asks for another language chose Dutch (?lang=nl): links keep it. Other
    languages are kept by the site's url() helper."""
    if endpoint == "static" or not has_request_context() or "lang" in values:
        return
    if explicit() == DEFAULT and needs_param(DEFAULT):
        values["lang"] = DEFAULT


def vary(response: Response) -> Response:
    """A page without ?lang= depends on the browser's language: caches must keep one copy per language."""
    if request.endpoint != "static" and not explicit():
        response.vary.add("Accept-Language")
    return response


babel = Babel()


def init_app(app: Flask) -> None:
    root = Path(__file__).resolve().parent.parent / "translations"
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(root))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    babel.init_app(app, locale_selector=select_locale)
    app.url_defaults(keep_dutch)
    app.after_request(vary)

    @app.context_processor
    def page_language() -> dict[str, Any]:
        """<html lang dir> of every page, error pages included, and the language switch."""
        lang = select_locale()
        return {
            "lang": lang,
            "dir": direction(lang),
            "lang_dir": direction,
            "lang_url": lang_url,
            "resend_fields": resend_fields,
        }

"""Languages: Dutch (default, B1) plus the languages residents use, translated in translations/ (Babel)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, request
from flask_babel import Babel

from .content.taxonomy import LANGUAGE_NAMES

# The site's languages (each translated in translations/), named in their own language.
LANGUAGES: dict[str, str] = {code: LANGUAGE_NAMES[code].own for code in ("nl", "en", "pl", "tr", "ar", "uk")}
RTL = {"ar"}
DEFAULT = "nl"


def supported(lang: str | None) -> str | None:
    return lang if lang in LANGUAGES else None


def select_locale() -> str:
    forced = getattr(g, "locale", None)
    if forced:
        return str(forced)
    return supported(request.args.get("lang")) or DEFAULT


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


babel = Babel()


def init_app(app: Flask) -> None:
    root = Path(__file__).resolve().parent.parent / "translations"
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(root))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def page_language() -> dict[str, str]:
        """<html lang dir> of every page, error pages included."""
        lang = select_locale()
        return {"lang": lang, "dir": direction(lang)}

"""Languages: Dutch (default, B1) plus the languages residents use. Babel catalogs live in translations/."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, request
from flask_babel import Babel

LANGUAGES: dict[str, str] = {
    "nl": "Nederlands",
    "en": "English",
    "pl": "Polski",
    "tr": "Türkçe",
    "ar": "العربية",
    "uk": "Українська",
}
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

"""The language of a resident's question (lingua, restricted to the languages we expect), and the one fold
of search/ (fold_char, fold): what the triage's rules and letters, the keyword search and place names read."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

DEFAULT = "nl"
_LANGUAGE_NAMES = (
    "DUTCH", "ENGLISH", "POLISH", "TURKISH", "ARABIC", "UKRAINIAN", "GERMAN", "FRENCH", "SPANISH",
    "ROMANIAN", "SOMALI", "RUSSIAN", "TIGRINYA",
)  # fmt: skip
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ETHIOPIC = re.compile(r"[\u1200-\u137f]")
_UKRAINIAN_ONLY = re.compile(r"[іїєґ]", re.IGNORECASE)
_RUSSIAN_ONLY = re.compile(r"[ыэъё]", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_MIN_CONFIDENCE = 0.5
_lock = threading.Lock()
_detector: Any = None


def _build() -> Any:
    global _detector
    with _lock:
        if _detector is None:
            from lingua import Language, LanguageDetectorBuilder

            langs = [getattr(Language, n) for n in _LANGUAGE_NAMES if hasattr(Language, n)]
            _detector = (
                LanguageDetectorBuilder.from_languages(*langs)
                .with_low_accuracy_mode()
                .with_preloaded_language_models()
                .build()
            )
    return _detector


def _cyrillic(text: str) -> str:
    """Ukrainian unless the text is clearly Russian."""
    uk = len(_UKRAINIAN_ONLY.findall(text))
    ru = len(_RUSSIAN_ONLY.findall(text))
    if uk or ru:
        return "ru" if ru > uk else "uk"
    from lingua import Language

    confidence = _build().compute_language_confidence(text, Language.RUSSIAN)
    return "ru" if confidence >= 0.8 else "uk"


@lru_cache(maxsize=4096)
def detect_language(text: str) -> str:
    """ISO 639-1 code of the question's language; "nl" when short, unclear or unsupported."""
    text = (text or "").strip()
    letters = _LETTERS.findall(text)
    if len(letters) < 3:
        return DEFAULT
    n = len(letters)
    if len(_ARABIC.findall(text)) * 2 >= n:
        return "ar"
    if len(_CYRILLIC.findall(text)) * 2 >= n:
        return _cyrillic(text)
    if len(_ETHIOPIC.findall(text)) * 2 >= n:
        return "ti"
    if len(text.split()) < 2 and n < 8:
        return DEFAULT  # one short word: not enough evidence
    detector = _build()
    values = detector.compute_language_confidence_values(text)
    if not values:
        return DEFAULT
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    if code == "nl":
        return "nl"
    dutch = next((v.value for v in values if v.language.iso_code_639_1.name == "NL"), 0.0)
    # Dutch is the default: another language must be clearly ahead.
    if best.value < _MIN_CONFIDENCE or best.value - dutch < 0.2:
        return DEFAULT
    return code


def warm_up() -> None:
    """Load the models now (a few hundred ms) instead of on the first question."""
    _build()
    detect_language.__wrapped__("dit is een korte zin om het model te laden")


# ------------------------------------------------------------------------------------- text folding

APOSTROPHES = "’‘ʼ'`´"
_SPECIAL = str.maketrans(
    {
        "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "đ": "d",
        "ـ": "", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي",
        "\u200c": "", "\u200d": "", "\u200e": "", "\u200f": "",
    }
    | dict.fromkeys(APOSTROPHES, "")
)  # fmt: skip
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """One character as fold() writes it: lower case without diacritics (also Arabic harakat), ł ø ı ß æ œ đ
    in plain letters, Arabic letter variants unified; apostrophes and invisible direction marks become ""."""
    decomposed = unicodedata.normalize("NFKD", ch.casefold().translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_SPECIAL)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """The text with every character folded (fold_char) and whitespace collapsed: the one fold of search/,
    for the triage's rules and letters, the keyword search and (character by character) place names."""
    return _SPACES.sub(" ", "".join(map(fold_char, text))).strip()

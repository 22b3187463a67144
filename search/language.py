"""The one fold of search/ (fold_char, fold): what the triage's rules and letters, the language model
(search.langid), the keyword search and place names read."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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

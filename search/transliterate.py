"""Place names across scripts: Latin letters for Cyrillic, Arabic, Persian and Ge'ez words, and a sound key.

A resident writes Veghel as Вегел, فيخل or ፈኽል, and Uden as Уден or اودن. to_latin() spells a word in Latin
letters; sound_key() reduces a Latin spelling to the consonants that survive transliteration and dialect
(g, ch, kh and h sound alike; vowels fall away except a leading one), so "Veghel", "Vegel", "fikhl" and
"Veggel" share one key. Case endings and attached prepositions are the caller's business (search.places).
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "e", "ё": "o", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "a", "ы": "i", "ь": "", "э": "e", "ю": "u", "я": "a",
}  # fmt: skip
_ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j",
    "چ": "ch", "ح": "h", "خ": "kh", "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh",
    "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ڤ": "v", "ق": "k", "ک": "k",
    "ك": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a", "و": "u", "ي": "i", "ی": "i",
    "ى": "a", "ئ": "i", "ؤ": "u", "ء": "",
}  # fmt: skip
# Ge'ez (Tigrinya, Amharic): each syllable is a consonant row (8 orders: ä u i a e ə o wa)
_GEEZ_ROWS = {
    0x1200: "h", 0x1208: "l", 0x1210: "h", 0x1218: "m", 0x1220: "s", 0x1228: "r", 0x1230: "s", 0x1238: "sh",
    0x1240: "k", 0x1250: "kh", 0x1260: "b", 0x1268: "v", 0x1270: "t", 0x1278: "ch", 0x1280: "h", 0x1290: "n",
    0x1298: "n", 0x12A0: "", 0x12A8: "k", 0x12B8: "kh", 0x12C8: "w", 0x12D0: "", 0x12D8: "z", 0x12E0: "zh",
    0x12E8: "y", 0x12F0: "d", 0x1300: "j", 0x1308: "g", 0x1320: "t", 0x1328: "ch", 0x1330: "p", 0x1338: "ts",
    0x1340: "ts", 0x1348: "f", 0x1350: "p",
}  # fmt: skip
_GEEZ_VOWELS = ("e", "u", "i", "a", "e", "", "o", "ua")
_LATIN_WORD = re.compile(r"^[a-z]+$")


def _geez(ch: str) -> str | None:
    code = ord(ch)
    if not 0x1200 <= code <= 0x137F:
        return None
    row, order = code - (code - 0x1200) % 8, (code - 0x1200) % 8
    consonant = _GEEZ_ROWS.get(row)
    if consonant is None:
        return ""
    return consonant + _GEEZ_VOWELS[order]


def to_latin(word: str) -> str:
    """Latin letters for a word in Cyrillic, Arabic/Persian or Ge'ez script (others pass through folded)."""
    out = []
    word = unicodedata.normalize("NFC", word.casefold())
    if word.endswith("ه"):  # folded ة (search.language.fold), or a silent final he: a vowel
        word = word[:-1] + "ة"
    for ch in word:
        if ch in _CYRILLIC:
            out.append(_CYRILLIC[ch])
        elif ch in _ARABIC:
            out.append(_ARABIC[ch])
        elif (syllable := _geez(ch)) is not None:
            out.append(syllable)
        else:
            out.append(ch)
    decomposed = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c.isalpha())


_DIGRAPHS = (("sch", "sk"), ("ch", "k"), ("kh", "k"), ("gh", "k"), ("sh", "s"), ("zh", "s"), ("ts", "s"),
             ("ph", "f"), ("th", "t"), ("dt", "t"), ("ij", "i"), ("ck", "k"))  # fmt: skip
_CLASSES = str.maketrans("bpfvwgkcqxhdtszlmnr", "BBFFFKKKKKKTTSSLMNR")
_VOWELS = set("aeiouyj")


def sound_key(latin: str) -> str:
    """The consonant skeleton of a Latin spelling: "Veghel" -> "FKL", "Oss" -> "AS", "Uden" -> "ATN"."""
    s = latin.casefold()
    for digraph, single in _DIGRAPHS:
        s = s.replace(digraph, single)
    key = ["A"] if s[:1] in _VOWELS else []
    for ch in s:
        if ch in _VOWELS or not ch.isascii() or not ch.isalpha():
            continue
        mapped = ch.translate(_CLASSES)
        if not key or key[-1] != mapped:
            key.append(mapped)
    return "".join(key)


def vowel_key(latin: str) -> str:
    """Like sound_key, with every vowel run kept as "a": tells apart short names ("Oss" -> "AS" vs "as")."""
    s = latin.casefold()
    for digraph, single in _DIGRAPHS:
        s = s.replace(digraph, single)
    key: list[str] = []
    for ch in s:
        if not ch.isascii() or not ch.isalpha():
            continue
        mapped = "a" if ch in _VOWELS else ch.translate(_CLASSES)
        if not key or key[-1] != mapped:
            key.append(mapped)
    return "".join(key)


def is_latin(word: str) -> bool:
    return bool(_LATIN_WORD.match(word))

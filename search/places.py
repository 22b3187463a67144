"""Find one of our places (gemeente, kern or wijk) in free text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

if TYPE_CHECKING:
    from search.documents import Place

# Place names that are also ordinary words (or parts of them): they only count with a capital letter or
# after a preposition ("in Reek", "uit haren").
COMMON_WORDS = frozenset(
    [
        "reek",
        "haren",
        "erp",
        "keent",
        "zeeland",
        "centrum",
        "noord",
        "zuid",
        "oost",
        "west",
        "heide",
        "hoek",
        "dorp",
        "berg",
        "veld",
        "maren",
        "kessel",
        "loo",
        "eik",
        "elde",
        "schijf",
        "vinkel",
        "nuland",
        "alem",
        "ussen",
        "demen",
        "herpen",
        "megen",
        "heesch",
        "hoeven",
        "notel",
        "olland",
        "eerde",
        "lith",
        "geffen",
    ]
)
PREPOSITIONS = frozenset(
    {"in", "uit", "bij", "naar", "te", "rond", "om", "omgeving", "regio", "near", "from", "at", "w", "z"}
)
# Informal names: alias -> official name.
ALIASES = {"rooi": "Sint-Oedenrode", "oedenrode": "Sint-Oedenrode", "den berg": "Geertruidenberg"}
# Words that are one typo away from a place name but are ordinary words.
FUZZY_STOPWORDS = frozenset(
    [
        "volken",
        "winkel",
        "herpes",
        "gelden",
        "helden",
        "velden",
        "wonen",
        "worden",
        "werken",
        "ouders",
        "uren",
        "schijnen",
        "schenkel",
        "vogel",
        "veel",
        "veger",
        "oirschat",
        "middel",
        "middels",
        "spoor",
        "zeeman",
        "berghen",
    ]
)
KIND_RANK = {"wijk": 3, "kern": 2, "gemeente": 1}
_PUNCT = set("-.'’‘`´/_,;:!?()\"")


def _fold_char(ch: str) -> str:
    if ch in _PUNCT or ch.isspace():
        return " "
    if ch == "ß":
        return "ss"
    return "".join(c for c in unicodedata.normalize("NFKD", ch.lower()) if not unicodedata.combining(c))


def normalise(text: str) -> tuple[str, list[int]]:
    """Folded text (lower case, no accents, punctuation -> single spaces) and, per character, the index
    of the character in `text` it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        for c in folded:
            if c == " " and (not out or out[-1] == " "):
                continue
            out.append(c)
            index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def _variants(name: str) -> set[str]:
    base, _ = normalise(name)
    variants = {base}
    if base.startswith("sint "):
        rest = base[5:]
        variants |= {f"st {rest}", f"sint{rest}", f"st{rest}"}
    for article in ("de ", "het ", "t ", "den "):
        if base.startswith(article) and len(base) > len(article) + 3:
            variants.add(base[len(article) :])
    return variants


@dataclass(frozen=True)
class _Match:
    place: Place
    start: int
    end: int
    fuzzy: bool = False


class Gazetteer:
    """detect(text) -> the Place mentioned in `text` (longest, most specific), or None."""

    def __init__(self, places: Sequence[Place]) -> None:
        self.places = tuple(places)
        self._by_key: dict[str, list[Place]] = {}
        for place in self.places:
            for variant in _variants(place.name):
                self._by_key.setdefault(variant, []).append(place)
        by_name = {normalise(p.name)[0]: p for p in self.places}
        for alias, official in ALIASES.items():
            target = by_name.get(normalise(official)[0])
            if target is not None:
                self._by_key.setdefault(alias, []).append(target)
        keys = sorted(self._by_key, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<![\w])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w])") if keys else None
        )
        # fuzzy candidates: single-word keys of 6+ letters
        self._fuzzy_keys = [k for k in keys if len(k) >= 6 and " " not in k and k not in COMMON_WORDS]
        # One typo keeps the first letter and changes the length by at most one: look only there.
        self._fuzzy_buckets: dict[tuple[str, int], list[str]] = {}
        for k in self._fuzzy_keys:
            self._fuzzy_buckets.setdefault((k[0], len(k)), []).append(k)
        self._fuzzy_multi = [k for k in keys if len(k) >= 6 and " " in k]

    def detect(self, text: str) -> Place | None:
        return self.pick(self.find_all(text))

    @staticmethod
    def pick(matches: list[_Match]) -> Place | None:
        """The place meant among several mentions (see detect)."""
        if not matches:
            return None
        gemeenten = {m.place.gemeente for m in matches}
        if len(gemeenten) == 1:
            best = max(
                matches,
                key=lambda m: (not m.fuzzy, KIND_RANK.get(m.place.kind, 0), m.end - m.start, -m.start),
            )
        else:
            exact = [m for m in matches if not m.fuzzy] or matches
            best = min(exact, key=lambda m: m.start)
        return best.place

    def find_all(self, text: str) -> list[_Match]:
        norm, index = normalise(text or "")
        if not norm or self._pattern is None:
            return []
        matches: list[_Match] = []
        taken: list[tuple[int, int]] = []
        for m in self._pattern.finditer(norm):
            key = m.group(1)
            if not self._allowed(key, text, norm, index, m.start(), m.end()):
                continue
            place = self._pick(self._by_key[key])
            if place is not None:
                matches.append(_Match(place, m.start(), m.end()))
                taken.append((m.start(), m.end()))
        matches += self._fuzzy(norm, text, index, taken)
        # an ambiguous name (same name in two gemeenten) is resolved by the other places mentioned
        return matches

    def _pick(self, candidates: list[Place]) -> Place | None:
        gemeenten = {p.gemeente for p in candidates}
        if len(gemeenten) > 1:
            return None  # e.g. a wijk "Centrum" in several gemeenten: not informative on its own
        return max(candidates, key=lambda p: KIND_RANK.get(p.kind, 0))

    @staticmethod
    def _allowed(key: str, text: str, norm: str, index: list[int], start: int, end: int) -> bool:
        if key not in COMMON_WORDS and len(key) > 2:
            return True
        if text[index[start]].isupper():
            return True
        before = norm[:start].split()
        return bool(before) and before[-1] in PREPOSITIONS

    def _fuzzy(self, norm: str, text: str, index: list[int], taken: list[tuple[int, int]]) -> list[_Match]:
        out: list[_Match] = []
        for m in re.finditer(r"[a-z]{5,}", norm):
            if any(s <= m.start() < e for s, e in taken):
                continue
            token = m.group(0)
            if token in FUZZY_STOPWORDS or token in self._by_key:
                continue
            near = (
                key
                for size in (len(token), len(token) - 1, len(token) + 1)
                for key in self._fuzzy_buckets.get((token[0], size), ())
            )
            for key in near:
                if Levenshtein.distance(token, key, score_cutoff=1) <= 1:
                    place = self._pick(self._by_key[key])
                    if place is not None:
                        out.append(_Match(place, m.start(), m.end(), fuzzy=True))
                    break
        words = list(re.finditer(r"\S+", norm))
        for key in self._fuzzy_multi:
            n = key.count(" ") + 1
            for i in range(len(words) - n + 1):
                start, end = words[i].start(), words[i + n - 1].end()
                if any(s <= start < e for s, e in taken):
                    continue
                chunk = norm[start:end]
                if (
                    chunk != key
                    and chunk[0] == key[0]
                    and Levenshtein.distance(chunk, key, score_cutoff=1) <= 1
                ):
                    place = self._pick(self._by_key[key])
                    if place is not None:
                        out.append(_Match(place, start, end, fuzzy=True))
        return out

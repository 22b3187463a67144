"""Find a place in free text: one of ours (gemeente, kern or wijk), or one outside the area.

Three passes: exact names and aliases in Latin letters; one typo in a longer name; and the sound of a word
in any script (search.transliterate: Вегеле, فيخل and ፈኽል are Veghel). Places outside the area (the rest of
the Netherlands, search/data/nederland.yaml) are found by their Latin names and, for gemeenten with longer
names, by sound; they never outrank a place of our own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from rapidfuzz.distance import Levenshtein

from search.documents import ELSEWHERE, Place
from search.language import fold, fold_char
from search.transliterate import is_latin, sound_key, to_latin, vowel_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

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
    {"in", "uit", "bij", "naar", "te", "rond", "om", "omgeving", "regio", "near", "from", "at", "w", "z", "v"}
)
# "in", "at", "from", "near" in the other languages of the corpus: a word after one of these may be a place
# even when it is short or in lower case. Arabic attaches "in" (ب) to the word itself (ATTACHED). Folded like
# the text they are compared with (الى and إلى are one word).
CONTEXT_WORDS = PREPOSITIONS | frozenset(
    fold(word)
    for word in [
        "bei",
        "aus",
        "nach",
        "pres",
        "cerca",
        "kolo",
        "langs",
        "в",
        "у",
        "во",
        "из",
        "із",
        "з",
        "до",
        "около",
        "біля",
        "возле",
        "под",
        "от",
        "від",
        "في",
        "من",
        "الى",
        "علي",
        "عند",
        "تو",
        "در",
        "از",
        "به",
        "نزدیک",
        "ኣብ",
        "ካብ",
        "ናብ",
    ]
)
# Arabic prefixes a name can carry: "in"/"to" (which say: a place) and "and", "so", "the" (which do not)
ATTACHED = (("وب", True), ("بال", True), ("ب", True), ("لل", True), ("ل", True), ("و", False), ("ف", False))
CYRILLIC_ENDINGS = ("ом", "ем", "ой", "ей", "ах", "ях", "ам", "ям", "ою", "ів", "ов", "ев", "і")
DATA = Path(__file__).with_name("data") / "nederland.yaml"
_CYRILLIC_WORD = re.compile(r"^[\u0400-\u04ff]+$")
# Scripts that write their vowels (Cyrillic, Ge'ez syllables): short names can be told by their vowels
_VOWELLED_WORD = re.compile(r"^[\u0400-\u04ff\u1200-\u137f]+$")
# Endings a name takes in Persian and Arabic speech: اودنه (it is Uden), the ezafe ی, -o, the plural
ARABIC_ENDINGS = ("ها", "ه", "ی", "و")
# A sound key this long is distinctive even without "in" before it (رامسدونکسفیر, خرترودنبرخ).
LONE_KEY = 7
# A sound key this long is rare enough to trust without context (a capital or a preposition).
SURE_KEY = 5
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
        "olanda",  # the Netherlands in Romanian and Italian, not Olland
    ]
)
KIND_RANK = {"wijk": 3, "kern": 2, "gemeente": 1, ELSEWHERE: 0}
_PUNCT = set("-.'’‘`´/_,;:!?()\"")


def _name_char(ch: str) -> str:
    """A character as place names are compared: punctuation and symbols are word breaks, the rest folded."""
    if ch in _PUNCT or ch.isspace() or unicodedata.category(ch).startswith(("P", "S")):
        return " "  # also ؟ ، ። ፣ « » and emoji
    return fold_char(ch)


def normalise(text: str) -> tuple[str, list[int]]:
    """Folded text (search.language.fold_char; punctuation -> single spaces) and, per character, the index
    of the character in `text` it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = _name_char(ch)
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
class Mention:
    """A place named in a text: from `start` to `end` in its folded form (normalise), `span` in the text."""

    place: Place
    start: int
    end: int
    fuzzy: bool = False  # one typo off, or by its sound
    span: tuple[int, int] = (0, 0)


class Gazetteer:
    """detect(text) -> the Place mentioned in `text` (longest, most specific), or None.

    `places`: ours (gemeente, kern, wijk); `outside`: places outside the area (kind ELSEWHERE, see
    outside_places()), found only when none of ours is mentioned; `aliases`: other names and spellings of
    our places (the kernen's `ook` in content/gemeenten/: Rooi, أوس) -> the official name.
    """

    def __init__(
        self, places: Sequence[Place], outside: Sequence[Place] = (), aliases: Mapping[str, str] | None = None
    ) -> None:
        self.places = tuple(places)
        self._by_key: dict[str, list[Place]] = {}
        for place in self.places:
            for variant in _variants(place.name):
                self._by_key.setdefault(variant, []).append(place)
        by_name = {normalise(p.name)[0]: p for p in self.places}
        for alias, official in (aliases or {}).items():
            target = by_name.get(normalise(official)[0])
            if target is not None:
                self._by_key.setdefault(normalise(alias)[0], []).append(target)
        keys = sorted(self._by_key, key=len, reverse=True)
        self._pattern = _alternation(keys)
        # fuzzy candidates: single-word keys of 6+ letters
        self._fuzzy_keys = [k for k in keys if len(k) >= 6 and " " not in k and k not in COMMON_WORDS]
        # One typo keeps the first letter and changes the length by at most one: look only there.
        self._fuzzy_buckets: dict[tuple[str, int], list[str]] = {}
        for k in self._fuzzy_keys:
            self._fuzzy_buckets.setdefault((k[0], len(k)), []).append(k)
        # Names of several words, by their first letter: (order, name, words in it).
        self._fuzzy_multi: dict[str, list[tuple[int, str, int]]] = {}
        for order, k in enumerate(k for k in keys if len(k) >= 6 and " " in k):
            self._fuzzy_multi.setdefault(k[0], []).append((order, k, k.count(" ") + 1))
        # places outside the area: exact Latin names (not ours), and their sound when it is distinctive
        ours = set(self._by_key)
        self._outside: dict[str, list[Place]] = {}
        for place in outside:
            for variant in _variants(place.name):
                if variant not in ours:
                    self._outside.setdefault(variant, []).append(place)
        self._outside_pattern = _alternation(sorted(self._outside, key=len, reverse=True))
        # sound keys of every name, ours and (distinctive ones) outside, for words in any script
        self._sound: dict[str, list[Place]] = {}
        for key, found in self._by_key.items():
            self._sound.setdefault(sound_key(key.replace(" ", "")), []).extend(found)
        # elsewhere only gemeenten by sound (cities people name), and only long keys: many villages
        # elsewhere sound like everyday words in scripts that leave vowels out
        for key, found in self._outside.items():
            sound = sound_key(key.replace(" ", ""))
            gemeenten = [p for p in found if p.name == p.kern]
            if len(sound) >= SURE_KEY and gemeenten and sound not in self._sound:
                self._sound[sound] = gemeenten
        self._sound = {k: v for k, v in self._sound.items() if v}
        self._vowels = {
            key: {_stem(vowel_key(name.replace(" ", ""))) for name in self._by_key | self._outside
                  if sound_key(name.replace(" ", "")) == key}
            for key in self._sound if len(key) <= 3
        }  # fmt: skip
        self._long_sounds = [k for k, v in self._sound.items() if len(k) >= 5 and v[0].kind != ELSEWHERE]

    def detect(self, text: str) -> Place | None:
        return self.pick(self.find_all(text))

    @staticmethod
    def pick(matches: Sequence[Mention]) -> Place | None:
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

    def find_all(self, text: str) -> list[Mention]:
        """Every place mention in `text`: ours, or when there is none of ours, those outside the area."""
        norm, index = normalise(text or "")
        if not norm or self._pattern is None:
            return []
        matches: list[Mention] = []
        taken: list[tuple[int, int]] = []
        for m in self._pattern.finditer(norm):
            key = m.group(1)
            if not self._allowed(key, text, norm, index, m.start(), m.end()):
                continue
            place = self._pick(self._by_key[key])
            if place is not None:
                matches.append(Mention(place, m.start(), m.end()))
                taken.append((m.start(), m.end()))
        matches += self._fuzzy(norm, text, index, taken)
        taken += [(m.start, m.end) for m in matches if m.fuzzy]
        if self._outside_pattern is not None:
            for m in self._outside_pattern.finditer(norm):
                if _overlaps(m.start(), taken) or not self._allowed_outside(
                    m.group(1), text, norm, index, m.start()
                ):
                    continue
                place = self._pick(self._outside[m.group(1)])
                if place is not None:
                    matches.append(Mention(place, m.start(), m.end()))
                    taken.append((m.start(), m.end()))
        matches += self._by_sound(norm, text, index, taken)
        ours = [m for m in matches if m.place.kind != ELSEWHERE]
        return [replace(m, span=(index[m.start], index[m.end - 1] + 1)) for m in ours or matches]

    def _by_sound(
        self, norm: str, text: str, index: list[int], taken: list[tuple[int, int]]
    ) -> list[Mention]:
        """Words (and pairs of words) in any script whose sound key is a place's: Вегеле, فيخل, ፈኽል."""
        out: list[Mention] = []
        words = list(re.finditer(r"\S+", norm))
        for i, word in enumerate(words):
            for n in (1,):
                if i + n > len(words):
                    continue
                start, end = word.start(), words[i + n - 1].end()
                if _overlaps(start, taken) or any(_overlaps(w.start(), taken) for w in words[i : i + n]):
                    continue
                token = norm[start:end].replace(" ", "")
                latin = is_latin(token)
                before = words[i - 1].group(0) if i else ""
                # Latin: only after "in" (German writes every noun with a capital); Cyrillic: a capital,
                # the mark of a name (a preposition alone is not enough: "от скука")
                capital = text[index[start]].isupper()
                context = capital if _CYRILLIC_WORD.match(token) else before in CONTEXT_WORDS
                place = self._sounds_like(token, latin, context)
                if place is not None:
                    out.append(Mention(place, start, end, fuzzy=True))
                    taken.append((start, end))
                    break
        return out

    def _sounds_like(self, token: str, latin: bool, context: bool) -> Place | None:
        """The place a word names by its sound (Latin: misspelled; other scripts: transliterated), if any.

        Only where a place is expected: after "in" (also attached, بفيخل) or, in Cyrillic, with a capital;
        a very long key (LONE_KEY) anywhere. Sound keys of four or more consonants are distinctive enough
        there; shorter ones ("Oss", "Uden") collide with everyday words in scripts that leave vowels out,
        so there only a listed spelling counts (an alias), and in scripts that write their vowels
        (Cyrillic, Ge'ez) the vowels must agree too.
        """
        if latin and (len(token) < 4 or token in FUZZY_STOPWORDS or token in self._by_key):
            return None
        for variant, attached in _variants_of_word(token):
            if not latin and variant in self._by_key:
                return self._pick(self._by_key[variant])
            if not (context or attached):
                lone = None if latin else self._sound.get(sound_key(to_latin(variant)))
                if lone and len(sound_key(to_latin(variant))) >= LONE_KEY:
                    return self._pick(lone)
                continue
            spelled = variant if latin else to_latin(variant)
            key = sound_key(spelled)
            found = self._sound.get(key)
            if found and len(key) >= 4:
                return self._pick(found)
            vowels = _VOWELLED_WORD.match(variant) and _stem(vowel_key(spelled))
            if found and vowels and vowels in self._vowels.get(key, ()):
                return self._pick(found)
        if not latin and context:
            return self._near_sound(sound_key(to_latin(token)))
        return None

    def _near_sound(self, key: str) -> Place | None:
        """One sound off a long name of ours, in another script after "in": Ойршот (ARST) for Oirschot."""
        if len(key) < 4:
            return None
        near = (
            c
            for c in self._long_sounds
            if c[0] == key[0]
            and abs(len(c) - len(key)) <= 1
            and Levenshtein.distance(c, key, score_cutoff=1) <= 1
        )
        candidate = next(near, None)
        return self._pick(self._sound[candidate]) if candidate else None

    def _allowed_outside(self, key: str, text: str, norm: str, index: list[int], start: int) -> bool:
        """A place outside the area counts with a capital or after "in"; names that are words need "in"."""
        before = norm[:start].split()
        after_preposition = bool(before) and before[-1] in CONTEXT_WORDS
        if key in OUTSIDE_WORDS:
            return after_preposition
        return len(key) >= 7 or after_preposition or text[index[start]].isupper()

    def _pick(self, candidates: list[Place]) -> Place | None:
        gemeenten = {p.kern if p.kind == ELSEWHERE else p.gemeente for p in candidates}
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

    def _fuzzy(self, norm: str, text: str, index: list[int], taken: list[tuple[int, int]]) -> list[Mention]:
        out: list[Mention] = []
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
                        out.append(Mention(place, m.start(), m.end(), fuzzy=True))
                    break
        words = list(re.finditer(r"\S+", norm))
        found: list[tuple[int, int, Mention]] = []  # in the order of the names, then of the words
        for i, word in enumerate(words):
            for order, key, n in self._fuzzy_multi.get(norm[word.start()], ()):
                if i + n > len(words):
                    continue
                start, end = word.start(), words[i + n - 1].end()
                chunk = norm[start:end]
                if (
                    chunk == key
                    or abs(len(chunk) - len(key)) > 1
                    or any(s <= start < e for s, e in taken)
                    or Levenshtein.distance(chunk, key, score_cutoff=1) > 1
                ):
                    continue
                place = self._pick(self._by_key[key])
                if place is not None:
                    found.append((order, i, Mention(place, start, end, fuzzy=True)))
        out += [mention for _, _, mention in sorted(found, key=lambda f: f[:2])]
        return out


# A preposition that only pointed at a place name which has been blanked out (three or more spaces).
DANGLING = re.compile(
    r"\b(?:" + "|".join(sorted(PREPOSITIONS | {"van", "voor", "buurt", "gemeente"})) + r")\b(?=\s{3,}|\s*$)",
    re.IGNORECASE,
)
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([?!.,;:])")


def without_places(text: str, mentions: Sequence[Mention]) -> str:
    """The text with the mentioned place names blanked (same length: positions stay valid)."""
    chars = list(text)
    for m in mentions:
        chars[m.span[0] : m.span[1]] = " " * (m.span[1] - m.span[0])
    return "".join(chars)


def meaning_text(text: str, keywords: str) -> str:
    """What the question matcher and the router read: the text without its place names (`keywords`, from
    without_places: "buurthuis in Uden" and "buurthuis in Oss" mean the same), tidied for the model: a
    preposition left dangling before a blank ("hulp in   ") and stray punctuation go, whitespace is
    collapsed. The text itself when it names no place (keywords == text) or nothing but places."""
    if keywords == text:
        return text
    words = " ".join(DANGLING.sub(" ", keywords).split())
    return SPACE_BEFORE_PUNCTUATION.sub(r"\1", words).strip(" ,.;:-") or text


def meaning_of(text: str, gazetteer: Gazetteer) -> str:
    """meaning_text of a plain text (the router's training and benches)."""
    return meaning_text(text, without_places(text, gazetteer.find_all(text)))


def _stem(vowel_key: str) -> str:
    """Without a final vowel: a case ending (Оссе, Вегеле, Удене) or a final e (Veghel -> Veghele)."""
    return vowel_key[:-1] if len(vowel_key) > 2 and vowel_key.endswith("a") else vowel_key


def _alternation(keys: list[str]) -> re.Pattern[str] | None:
    return re.compile(r"(?<![\w])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w])") if keys else None


def _overlaps(position: int, taken: list[tuple[int, int]]) -> bool:
    return any(s <= position < e for s, e in taken)


def _variants_of_word(token: str) -> Iterable[tuple[str, bool]]:
    """The word, and without an attached Arabic preposition or a Cyrillic case ending; (variant, attached)."""
    yield token, False
    for prefix, locative in ATTACHED:
        if token.startswith(prefix) and len(token) > len(prefix) + 2:
            yield token[len(prefix) :], locative
    for ending in CYRILLIC_ENDINGS + ARABIC_ENDINGS:
        if token.endswith(ending) and len(token) > len(ending) + 2:
            yield token[: -len(ending)], False


# Names of gemeenten and kernen elsewhere that are also everyday words: they count only after "in".
OUTSIDE_WORDS = frozenset(
    [
        "buren",
        "best",
        "echt",
        "wijk",
        "son",
        "born",
        "doorn",
        "laren",
        "putten",
        "bergen",
        "kampen",
        "loon",
        "lopik",
        "elst",
        "epe",
        "ede",
        "hoorn",
        "haren",
        "baarn",
        "venray",
        "mill",
        "schijf",
        "beek",
        "stein",
        "vaals",
        "heel",
        "ens",
        "rijen",
        "goor",
        "hengelo",
        "lemmer",
        "oost",
        "west",
        "noord",
        "zuid",
    ]
)


def outside_places(path: Path = DATA, ours: Iterable[str] = ()) -> list[Place]:
    """Every Dutch gemeente and its larger kernen outside our gemeenten (`ours`: their names), as Places
    of kind ELSEWHERE whose `kern` is the name of their gemeente (what the answer names)."""
    if not path.exists():
        return []
    skip = {normalise(name)[0] for name in ours}
    places: list[Place] = []
    for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        gemeente = str(row["naam"])
        if normalise(gemeente)[0] in skip:
            continue
        for name in [gemeente, *row.get("ook", []), *row.get("kernen", [])]:
            places.append(Place(str(name), ELSEWHERE, ELSEWHERE, gemeente, 0.0, 0.0))
    return places

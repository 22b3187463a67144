"""B1 language check: warnings and a 0-100 score per entry; a score under MIN_SCORE is an error.

What is checked, in the samenvatting and the body (the text under the front matter):

- sentences over 15 words (``LONG_SENTENCE``);
- words of 5 or more syllables, counted with the Dutch hyphenation dictionary (pyphen, nl_NL): it counts
  situatie (si-tu-a-tie) and individueel (in-di-vi-du-eel) right where groups of vowels undercount.
  Skipped: words with a capital letter (names), words with a digit, compounds of a weekday
  ("donderdagmiddag"), words in the entry's trefwoorden and words on the ``goed`` list in
  content/jargon.yaml;
- the formal "u" and "uw" (B1 for residents is "je" and "jij");
- jargon from the ``vaktaal`` list in content/jargon.yaml (a single word also matches longer forms:
  "indicatie" finds "indicaties"); the warning gives the plain alternative;
- passive voice: a form of "worden" (word, wordt, worden, werd, werden) followed, in the same sentence
  and within five words, by a past participle (ge...d/t/en, also after a particle such as op-, aan-,
  uit-: "opgehaald"; or be-/ver-/ont-/her-/er-...d/t: "betaald", also after a particle and with -en:
  "doorverwezen"), also with a word between: "wordt u doorverwezen";
- a samenvatting that repeats the titel (all its words of 3+ letters, at least two, come back).

Each jargon term, each long word and the "u" form are reported once per entry (where they first occur).
A long sentence is quoted (its first words) so the editor finds it.

Score: every warning has a weight (``WEIGHTS``). penalty = sum of weights * 100 / max(words, 50), where
words is the number of words in samenvatting and body; score = max(0, round(100 - 2 * penalty)).
So one long sentence in a 100-word text costs 6 points. The score of a set is the mean of the entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyphen
import yaml

from .models import Entry, Problem
from .taxonomy import DAGEN

MAX_SENTENCE_WORDS = 15
MAX_SYLLABLES = 4
MIN_WORDS_FOR_SCORE = 50
MIN_SCORE = 50  # under this the text is not B1: `content check` reports an error, not warnings
SCORE_FACTOR = 2.0

LONG_SENTENCE = "lange-zin"
LONG_WORD = "lang-woord"
JARGON = "vaktaal"
PASSIVE = "lijdende-vorm"
REPEATS_TITEL = "herhaalt-titel"
FORMAL = "u-vorm"
WEIGHTS: dict[str, float] = {
    FORMAL: 3.0,
    LONG_SENTENCE: 3.0,
    LONG_WORD: 1.0,
    JARGON: 3.0,
    PASSIVE: 2.0,
    REPEATS_TITEL: 5.0,
}

WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
HYPHENATOR = pyphen.Pyphen(lang="nl_NL", left=1, right=1)
FORMAL_WORDS = {"u", "uw"}
QUOTE_WORDS = 8
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+|(?<=[.!?])$|(?<=[:;])\s+(?=[A-Z])")
PASSIVE_AUX = {"word", "wordt", "worden", "werd", "werden"}
PARTICIPLE_RE = re.compile(
    r"^(?:(?:aan|af|bij|door|in|mee|na|om|op|over|toe|uit|voor|weg|terug|samen|achter)?ge[a-zé]{2,}(?:d|t|en)"
    r"|(?:be|ver|ont|her|er)[a-zé]{2,}[dt]"
    r"|(?:aan|af|bij|door|in|mee|na|om|op|over|toe|uit|voor|weg|terug|samen|achter)"
    r"(?:be|ver|ont|her|er)[a-zé]{2,}(?:d|t|en))$"
)
NOT_PARTICIPLE = {
    "geen",
    "gezellig",
    "gewoon",
    "gezondheid",
    "genoeg",
    "gemeente",
    "gebied",
    "geld",
    "gelden",
}
MARKDOWN_PREFIX_RE = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|#+\s+|>\s*)")
MARKDOWN_INLINE_RE = re.compile(r"\*\*|__|\*|`|\[|\]\([^)]*\)")


@dataclass(frozen=True)
class Jargon:
    """The editable word lists from content/jargon.yaml."""

    terms: Mapping[str, str] = field(default_factory=dict)  # term -> plain alternative
    ok_words: frozenset[str] = frozenset()

    @cached_property
    def regex(self) -> re.Pattern[str] | None:
        """One pattern for every term (longest first), so a text is scanned once."""
        if not self.terms:
            return None
        alternatives = []
        for term in sorted(self.terms, key=len, reverse=True):
            words = term.split()
            tail = r"\w*" if len(words) == 1 else ""
            alternatives.append(r"\s+".join(map(re.escape, words)) + tail)
        return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.I)

    def term_of(self, found: str) -> str:
        """The list term a match came from."""
        text = " ".join(found.lower().split())
        return max((t for t in self.terms if text.startswith(t)), key=len, default=text)


def load_jargon(content_dir: Path | str) -> Jargon:
    """Read content/jargon.yaml; a missing file means no jargon list (the other checks still run)."""
    path = Path(content_dir) / "jargon.yaml"
    if not path.is_file():
        return Jargon()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms = {str(k).strip().lower(): str(v).strip() for k, v in (data.get("vaktaal") or {}).items()}
    ok = frozenset(str(w).strip().lower() for w in (data.get("goed") or []))
    return Jargon(terms, ok)


def syllables(word: str) -> int:
    """The number of Dutch syllables: the hyphenation points of the nl_NL dictionary plus one."""
    return len(HYPHENATOR.positions(word.lower())) + 1


@dataclass(frozen=True)
class B1Result:
    path: str
    slug: str
    words: int
    warnings: tuple[Problem, ...]
    score: int


@dataclass(frozen=True)
class _Sentence:
    text: str
    line: int


def _clean(line: str) -> str:
    return MARKDOWN_INLINE_RE.sub("", MARKDOWN_PREFIX_RE.sub("", line))


def sentences(lines: Iterable[tuple[int, str]]) -> list[_Sentence]:
    """Split (line number, text) pairs into sentences; a blank line or list item ends a sentence.

    A sentence that runs over several lines gets the line number where it starts.
    """
    out: list[_Sentence] = []
    buffer: list[str] = []
    start = 0

    def flush() -> None:
        nonlocal buffer
        if buffer:
            text = " ".join(buffer).strip()
            if text:
                out.append(_Sentence(text, start))
        buffer = []

    for number, raw in lines:
        if not raw.strip() or MARKDOWN_PREFIX_RE.match(raw):
            flush()
        if not raw.strip():
            continue
        if raw.lstrip().startswith("#"):  # a heading is a sentence of its own
            start = number
            buffer.append(_clean(raw).strip())
            flush()
            continue
        pieces = SENTENCE_END_RE.split(_clean(raw).strip())
        for i, piece in enumerate(pieces):
            if not piece.strip():
                continue
            if not buffer:
                start = number
            buffer.append(piece.strip())
            if i < len(pieces) - 1 or re.search(r"[.!?]$", piece.strip()):
                flush()
    flush()
    return out


def _words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def _quote(words: list[str]) -> str:
    """The first words of a sentence, to find it back in the text."""
    shown = " ".join(words[:QUOTE_WORDS])
    return f"'{shown} ...'" if len(words) > QUOTE_WORDS else f"'{shown}'"


def _formal(words: list[str], reported: set[str]) -> list[tuple[str, str]]:
    """The formal u/uw, reported once per entry."""
    found = next((w for w in words if w.lower() in FORMAL_WORDS), None)
    if found is None or FORMAL in reported:
        return []
    reported.add(FORMAL)
    return [(FORMAL, f"'{found}' is formeel; schrijf tegen de lezer met je en jij (jouw)")]


def _passive(sentence: str) -> str | None:
    words = [w.lower() for w in _words(sentence)]
    for i, word in enumerate(words):
        if word not in PASSIVE_AUX:
            continue
        for j, later in enumerate(words[i + 1 : i + 6], start=i + 1):
            if later not in NOT_PARTICIPLE and PARTICIPLE_RE.match(later):
                return f"{word} {later}" if j == i + 1 else f"{word} ... {later}"
    return None


def _repeats(titel: str, samenvatting: str) -> bool:
    def norm(text: str) -> list[str]:
        return [w.lower() for w in _words(text.replace("(voorbeeld)", ""))]

    titel_words = [w for w in norm(titel) if len(w) >= 3]
    summary = norm(samenvatting)
    if not titel_words or not summary:
        return False
    if " ".join(summary).startswith(" ".join(norm(titel))):
        return True
    return len(titel_words) >= 2 and all(w in summary for w in titel_words)


def _front_matter_lines(lines: list[str]) -> tuple[dict[str, int], int]:
    """(top-level key -> line number, first body line number) of a Markdown file's lines."""
    keys: dict[str, int] = {}
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines))
    for number in range(2, end + 1):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", lines[number - 1])
        if match:
            keys.setdefault(match.group(1), number)
    return keys, end + 2


def _jargon_in(text: str, jargon: Jargon, reported: set[str]) -> tuple[list[tuple[str, str]], set[str]]:
    """(kind, message) for each jargon term in a sentence not reported before, and the words of every
    jargon match (those are not long words too)."""
    found: list[tuple[str, str]] = []
    words: set[str] = set()
    for match in jargon.regex.finditer(text) if jargon.regex else ():
        words.update(w.lower() for w in _words(match.group(0)))
        term = jargon.term_of(match.group(0))
        if term not in reported:
            reported.add(term)
            found.append((JARGON, f"'{match.group(0)}' is vaktaal; schrijf liever: {jargon.terms[term]}"))
    return found, words


def _long_words(words: list[str], skip: set[str], reported: set[str]) -> list[tuple[str, str]]:
    """(kind, message) for each word of 5 or more syllables not reported before; names, numbers, weekday
    compounds and the skipped words do not count."""
    found: list[tuple[str, str]] = []
    for word in words:
        lower = word.lower()
        if word[0].isupper() or any(ch.isdigit() for ch in word) or lower in skip:
            continue
        if lower in reported or lower.startswith(DAGEN):
            continue
        count = max(syllables(p) for p in re.split(r"[-'’]", lower) if p)
        if count > MAX_SYLLABLES:
            reported.add(lower)
            found.append(
                (
                    LONG_WORD,
                    f"'{word}' is een lang woord ({count} lettergrepen); kies een korter woord "
                    "of zeg het anders",
                )
            )
    return found


def check_text(
    path: str,
    titel: str,
    samenvatting: str,
    body_lines: list[tuple[int, str]],
    *,
    jargon: Jargon,
    samenvatting_line: int | None = None,
    trefwoorden: Iterable[str] = (),
) -> tuple[list[Problem], list[str], int]:
    """The B1 warnings for one text, the kind of each warning (see WEIGHTS), and its word count."""
    skip = set(jargon.ok_words)
    for phrase in trefwoorden:
        skip.update(w.lower() for w in _words(phrase))
    reported: set[str] = set()  # each jargon term and long word is reported once per entry
    warnings: list[Problem] = []
    kinds: list[str] = []

    def warn(kind: str, fieldname: str, line: int | None, message: str) -> None:
        warnings.append(Problem(path, fieldname, message, line, severity="warning"))
        kinds.append(kind)

    parts: list[tuple[str, _Sentence]] = [
        ("samenvatting", s) for s in sentences([(samenvatting_line or 0, samenvatting)])
    ]
    parts += [("tekst", s) for s in sentences(body_lines)]
    total_words = 0
    for fieldname, sentence in parts:
        words = _words(sentence.text)
        total_words += len(words)
        found: list[tuple[str, str]] = []
        if len(words) > MAX_SENTENCE_WORDS:
            found.append(
                (
                    LONG_SENTENCE,
                    f"zin van {len(words)} woorden; maak er twee zinnen van "
                    f"(hoogstens {MAX_SENTENCE_WORDS} woorden per zin): {_quote(words)}",
                )
            )
        jargon_found, jargon_words = _jargon_in(sentence.text, jargon, reported)
        found += jargon_found
        found += _long_words(words, skip | jargon_words, reported)
        found += _formal(words, reported)
        passive = _passive(sentence.text)
        if passive:
            found.append(
                (
                    PASSIVE,
                    f"'{passive}' is lijdende vorm; zeg wie het doet, "
                    "zoals 'wij organiseren' of 'de vrijwilliger helpt je'",
                )
            )
        for kind, message in found:
            warn(kind, fieldname, sentence.line or None, message)
    if _repeats(titel, samenvatting):
        warn(
            REPEATS_TITEL,
            "samenvatting",
            samenvatting_line,
            "herhaalt de titel; vertel in één zin wat je er kunt doen of krijgen",
        )
    return warnings, kinds, total_words


def score(kinds: Iterable[str], words: int) -> int:
    penalty = sum(WEIGHTS[k] for k in kinds) * 100 / max(words, MIN_WORDS_FOR_SCORE)
    return max(0, round(100 - SCORE_FACTOR * penalty))


def check_entry_b1(entry: Entry, file_text: str, jargon: Jargon) -> B1Result:
    """B1 warnings (with file line numbers) and the score of one entry, given its file's text."""
    lines = file_text.lstrip("\ufeff").splitlines()
    keys, body_start = _front_matter_lines(lines)
    body_lines = [(n, lines[n - 1]) for n in range(body_start, len(lines) + 1)]
    warnings, kinds, words = check_text(
        entry.path,
        entry.titel,
        entry.samenvatting,
        body_lines,
        jargon=jargon,
        samenvatting_line=keys.get("samenvatting"),
        trefwoorden=entry.trefwoorden,
    )
    return B1Result(entry.path, entry.slug, words, tuple(warnings), score(kinds, words))


def entry_file(content_dir: Path | str, entry: Entry) -> Path:
    """The file of an entry: Entry.path is shown relative to the content folder's parent."""
    path = Path(entry.path)
    return path if path.is_absolute() else Path(content_dir).parent / path


def check_entries(
    entries: Iterable[Entry], content_dir: Path | str, jargon: Jargon | None = None
) -> list[B1Result]:
    """B1 results for entries loaded from content_dir (re-reads each file for exact line numbers)."""
    jargon = jargon if jargon is not None else load_jargon(content_dir)
    results = []
    for entry in entries:
        try:
            text = entry_file(content_dir, entry).read_text(encoding="utf-8")
        except OSError:
            text = "---\n---\n" + entry.body
        results.append(check_entry_b1(entry, text, jargon))
    return results


def score_errors(results: Iterable[B1Result]) -> list[Problem]:
    """An error for each entry whose B1 score is under MIN_SCORE: the warnings alone did not help."""
    return [
        Problem(
            r.path,
            "tekst",
            f"B1-score {r.score}, minstens {MIN_SCORE}: de tekst is te moeilijk. "
            "Los de waarschuwingen hierboven op (flask content b1 --details)",
        )
        for r in results
        if r.score < MIN_SCORE
    ]


def average(results: Iterable[B1Result]) -> float:
    scores = [r.score for r in results]
    return sum(scores) / len(scores) if scores else 100.0

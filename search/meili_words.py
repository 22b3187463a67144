"""Which words of a question Meilisearch cannot match in any document: their keyword queries are not sent.

A keyword query that finds nothing adds nothing to the blend (search.meili.MeiliBackend.blend) but costs
Meilisearch about as much CPU as one that finds something (bench.meili_queries: some 0.2 ms), on the cores
the model embeds the question on. About 2.4 of a question's 6.4 keyword queries found nothing (the 335 new
questions of bench.latency on the built content). The worker's DocumentTable has the documents, so the
backend can tell such words beforehand; the check errs one way only: a word is skipped only when no document
the filters keep has any word Meilisearch (1.21, the settings of MeiliBackend.settings) could match it to:
- as a prefix: a single-word query is its own last word, which Meilisearch also matches as a prefix;
- with typos: Meilisearch allows 1 from 5 letters, 2 from 9 (its default minWordSizeForTypos), a swap of two
  letters counting as one, a typo on the first letter as two (milli's word derivations: with one typo the
  first letter must be the same, with two it may differ only when that is the one typo);
- split in two words ("hulpverlening" finds "hulp verlening"), both whole words, in one document (next to
  each other or not).
Words with a synonym, stop words and anything but plain letters a-z are always asked. The document's words
are read several ways (folded, split at letters and digits, at camel case, without folding), so a word
Meilisearch's tokenizer makes is among them. tests/search/test_meili_words.py checks every skip against a
real Meilisearch.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from typing import Final

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from search.language import APOSTROPHES, fold

MAX_WORD: Final = 24  # longer words are always asked
ONE_TYPO: Final = 5  # Meilisearch's default typoTolerance.minWordSizeForTypos
TWO_TYPOS: Final = 9
_PLAIN: Final = re.compile(r"[a-z]+")
_RUNS: Final = re.compile(r"[^\W_]+")
# Characters Meilisearch's tokenizer keeps inside a word (a soft hyphen, a zero-width space, a symbol
# that is no separator: "hulp\u00adverlening" is indexed as "hulpverlening"): the words are also read with
# them taken out.
_INSIDE: Final = re.compile(r"[^\w\s]|_")
_LETTERS_DIGITS: Final = re.compile(r"[^\W\d_]+|\d+")
_CAMEL: Final = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_CAMEL_WORD: Final = re.compile(r"\b\w*(?:[a-z][A-Z]|[A-Z]{2}[a-z])\w*")  # \b: no search from inside a word
_APOSTROPHE: Final = re.compile(f"[{APOSTROPHES}]")
_APOSTROPHE_WORD: Final = re.compile(f"\\b\\w+(?:[{APOSTROPHES}]\\w+)+")
_DIGIT: Final = re.compile(r"\d")


def typos(word: str) -> int:
    """The typos Meilisearch allows in a query word of this length."""
    return 0 if len(word) < ONE_TYPO else 1 if len(word) < TWO_TYPOS else 2


def document_words(text: str, stems: Iterable[str] = ()) -> set[str]:
    """Every word Meilisearch may have indexed for a text (and its `stems` field), read several ways: folded
    and split at apostrophes (as search.ranking.words, whose fold this one reuses), also split at letters and
    digits, words with an apostrophe also folded whole ("autos"), camel case also split ("DigiD": digi, d)."""
    folded = fold(_APOSTROPHE.sub(" ", text))
    out = set(_RUNS.findall(folded)) | set(stems)
    out.update(_RUNS.findall(fold(_INSIDE.sub("", text))))
    if _DIGIT.search(folded):
        out.update(_LETTERS_DIGITS.findall(folded))
    out.update(fold(word) for word in _APOSTROPHE_WORD.findall(text))
    for word in _CAMEL_WORD.findall(text):
        out.update(fold(part) for part in _CAMEL.findall(word))
    out.discard("")
    return out


def bits(mask: np.ndarray | None) -> int | None:
    """A filter's mask (search.table.DocumentTable.mask) as a bit set, bit i for row i; None: every row."""
    if mask is None:
        return None
    packed = np.packbits(np.asarray(mask) > 0, bitorder="little")
    return int.from_bytes(packed.tobytes(), "little")


class Vocabulary:
    """The words of a list of documents, each with the set of documents (bits) it is in."""

    def __init__(self, words_per_document: Sequence[Iterable[str]]) -> None:
        found: dict[str, int] = {}
        for row, words in enumerate(words_per_document):
            for word in words:
                found[word] = found.get(word, 0) | (1 << row)
        self._words = sorted(found)
        self._rows = [found[w] for w in self._words]
        self._exact = found
        # Per length: each prefix of that length and the range of words (sorted) that start with it.
        self._prefixes: dict[int, dict[str, tuple[int, int]]] = {}
        for index, word in enumerate(self._words):
            for length in range(1, min(len(word), MAX_WORD + 2) + 1):
                ranges = self._prefixes.setdefault(length, {})
                start = ranges.get(word[:length], (index, index))[0]
                ranges[word[:length]] = (start, index + 1)
        self._choices = {length: list(ranges) for length, ranges in self._prefixes.items()}
        self._by_first: dict[tuple[int, str], list[str]] = {}
        for length, ranges in self._prefixes.items():
            for prefix in ranges:
                self._by_first.setdefault((length, prefix[0]), []).append(prefix)

    def __len__(self) -> int:
        return len(self._words)

    def may_match(self, word: str, keep: int | None = None, always: Collection[str] = ()) -> bool:
        """False only when Meilisearch cannot match `word`, a one-word query, in any document of `keep`
        (bits(); None: all). Words in `always` (synonyms, stop words) may match."""
        if word in always or len(word) > MAX_WORD or not _PLAIN.fullmatch(word):
            return True
        allowed = typos(word)
        for length in range(max(1, len(word) - allowed), len(word) + allowed + 1):
            ranges = self._prefixes.get(length)
            if not ranges:
                continue
            if allowed == 0:
                near = [word] if word in ranges else []
            else:
                near = _near(word, self._by_first.get((length, word[0]), []), allowed)
                if allowed == 2:  # the first letter another, and nothing else
                    near += _near(word, self._choices[length], 1)
            for prefix in near:
                if self._in(ranges[prefix], keep):
                    return True
        for cut in range(1, len(word)):
            head, tail = self._exact.get(word[:cut]), self._exact.get(word[cut:])
            if head is not None and tail is not None and head & tail & (-1 if keep is None else keep):
                return True
        return False

    def _in(self, span: tuple[int, int], keep: int | None) -> bool:
        """Whether a word of the range is in a document of `keep`."""
        if keep is None:
            return True
        return any(self._rows[i] & keep for i in range(*span))


def _near(word: str, choices: list[str], distance: int) -> list[str]:
    """The choices at most `distance` edits (a swap of two letters one) from word."""
    found = process.extract(
        word, choices, scorer=DamerauLevenshtein.distance, score_cutoff=distance, limit=None
    )
    return [choice for choice, _, _ in found]

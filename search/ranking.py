"""Text analysis shared by the search backends: tokenising (on search.language.fold), Dutch stop words and
stemming."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import Stemmer

from search.language import APOSTROPHES, fold

# The classic Dutch Snowball stemmer: "schulden" -> "schuld", "vergeetachtig" -> "vergeetacht".
# (pystemmer's newer "dutch" also strips ge- inside compounds: "geheugenproblemen" -> "heunproblem".)
_STEMMER_NAME = "dutch_porter" if "dutch_porter" in Stemmer.algorithms() else "dutch"

# Function words that carry no meaning for finding a voorziening. Words residents use for their problem
# ("alleen", "niemand", "zorgen", "praten") are deliberately NOT here.
_STOPWORDS_TEXT = """
    aan al alle als ben bent bij daar dan dat de deze die dit doe doen door dus een en er ergens erg even geen
    ga gaan gaat had hadden heb hebben hebt heeft het hier hij hoe hun ik in is je jij jou jouw jullie
    kan kun kunnen kunt maar me mee meer mij mijn moet moeten mogen naar niet nog nu of om onze ook op
    over te tot u uit uw van veel voor waar wanneer want was waren wat we wel welk welke werd wie wij
    wil willen wilt word worden wordt ze zelf zich zij zijn zo zoals zou zouden
    graag hallo hoi beste alsjeblieft alstublieft zoek zoeken vind vinden weet weten
    the a an and or of to for in on my me is are i we you what where how can with
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split())

_TOKEN_RE = re.compile(r"[a-z0-9]+")
_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")
_stem_lock = threading.Lock()
_stemmer = Stemmer.Stemmer(_STEMMER_NAME)


def words(text: str) -> list[str]:
    """Folded word tokens (search.language.fold) of at least two characters (digits kept). An apostrophe
    ends a word before folding drops it: "auto's" -> auto, "zo'n" -> zo."""
    folded = fold(_APOSTROPHE.sub(" ", text))
    return [t for t in _TOKEN_RE.findall(folded) if len(t) > 1 or t.isdigit()]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Dutch stem of a folded word (thread-safe; PyStemmer objects are not)."""
    with _stem_lock:
        return str(_stemmer.stemWord(word))


def content_words(text: str) -> list[str]:
    """Folded words without stop words."""
    return [w for w in words(text) if w not in STOPWORDS]


def stems(text: str) -> list[str]:
    """Stems of the content words, in order (duplicates kept)."""
    return [stem(w) for w in content_words(text)]

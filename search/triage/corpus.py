"""The labelled messages the router learns from (search/data/triage/*.jsonl) and is measured on.

One JSON object per line; docs/triage-labels.md is the annotation guideline. The same reader serves the
training corpus, the held-out files in bench/heldout/ and the tests, so a bad line is reported the same way
everywhere: file, line number and what is wrong.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from search.ranking import stems

CORPUS_DIR = Path(__file__).resolve().parent.parent / "data" / "triage"
ROUTES = ("spoed", "wijkteam", "onbekend", "voorziening")
KINDS = ("suicide", "selfharm", "overdose", "violence", "child_abuse", "elder_abuse", "medical")
CATEGORIES = (
    "ontmoeting", "dagontmoeting", "mantelzorg", "eenzaamheid", "boodschappen-vervoer", "klussen-thuis",
    "geld", "formulieren-recht", "taal-digitaal", "nieuwkomers", "jongeren", "opvoeden", "bewegen-gezond",
    "psychisch", "vrijwilligerswerk", "buurtbemiddeling",
)  # fmt: skip
LANGUAGES = ("nl", "en", "pl", "ro", "bg", "tr", "ar", "uk", "de", "es", "fr", "so", "ti", "fa", "ru")
GEMEENTEN = ("oss", "maashorst", "meierijstad", "oirschot", "geertruidenberg", "buiten")


class CorpusError(ValueError):
    """A line that does not follow the guideline; the message names file and line."""


@dataclass(frozen=True)
class Message:
    text: str
    route: str
    lang: str
    source: str
    kind: str | None = None
    categories: tuple[str, ...] = ()
    near_miss: bool = False
    gemeente: str | None = None

    @property
    def crisis(self) -> bool:
        return self.route == "spoed"


def parse(obj: object, where: str) -> Message:
    if not isinstance(obj, dict):
        raise CorpusError(f"{where}: expected a JSON object")
    text = obj.get("text")
    route = obj.get("route")
    lang = obj.get("lang")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: 'text' must be a non-empty string")
    if route not in ROUTES:
        raise CorpusError(f"{where}: 'route' must be one of {', '.join(ROUTES)}, not {route!r}")
    if lang not in LANGUAGES:
        raise CorpusError(f"{where}: 'lang' must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    kind = obj.get("kind")
    if route == "spoed" and kind not in KINDS:
        raise CorpusError(f"{where}: a spoed message needs a 'kind' from {', '.join(KINDS)}, not {kind!r}")
    if route != "spoed" and kind is not None:
        raise CorpusError(f"{where}: only spoed messages have a 'kind'")
    categories = obj.get("categories") or []
    if not isinstance(categories, list) or any(c not in CATEGORIES for c in categories):
        raise CorpusError(f"{where}: unknown category in {categories!r}")
    if route == "voorziening" and not categories:
        raise CorpusError(f"{where}: a voorziening message needs one to three 'categories'")
    gemeente = obj.get("gemeente")
    if gemeente is not None and gemeente not in GEMEENTEN:
        raise CorpusError(f"{where}: 'gemeente' must be one of {', '.join(GEMEENTEN)}, not {gemeente!r}")
    near_miss = obj.get("near_miss", False)
    if near_miss not in (True, False) or (near_miss and route == "spoed"):
        raise CorpusError(f"{where}: 'near_miss' is true only on a message that is not spoed")
    return Message(
        text=text,
        route=route,
        lang=lang,
        source=str(obj.get("source") or ""),
        kind=kind,
        categories=tuple(categories),
        near_miss=bool(near_miss),
        gemeente=gemeente,
    )


def read(paths: Iterable[Path]) -> list[Message]:
    """Every message in the given JSONL files, in file order; CorpusError on the first bad line."""
    messages: list[Message] = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path.name}:{number}"
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise CorpusError(f"{where}: not valid JSON ({exc.msg})") from exc
                messages.append(parse(obj, where))
    return messages


def corpus_files(directory: Path = CORPUS_DIR) -> list[Path]:
    return sorted(directory.glob("*.jsonl"))


def load_corpus(directory: Path = CORPUS_DIR) -> list[Message]:
    """The training corpus, duplicates (same text) kept once: the first label wins."""
    seen: set[str] = set()
    out: list[Message] = []
    for message in read(corpus_files(directory)):
        key = " ".join(message.text.split()).casefold()
        if key not in seen:
            seen.add(key)
            out.append(message)
    return out


@functools.cache
def resident_words(limit: int) -> tuple[str, ...]:
    """The `limit` stems (search.ranking.stems) most messages of the corpus have, the most common first:
    the words residents write, in every language of the corpus."""
    counts = collections.Counter(w for m in load_corpus() for w in set(stems(m.text)))
    return tuple(w for w, _ in counts.most_common(limit))


def fingerprint(messages: Sequence[Message]) -> str:
    """sha256 over texts and labels: a router trained on other data says so."""
    digest = hashlib.sha256()
    for m in messages:
        digest.update(f"{m.text}\0{m.route}\0{m.kind or ''}\n".encode())
    return digest.hexdigest()

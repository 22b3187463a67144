"""Which gemeente a resident means: by its slug, its name, another name (`ook`) or one of its kernen, typed in
any case and with or without accents; names close to what was typed when nothing matches ("bedoel je ...?").

The gemeenten are the catalog's (one file content/gemeenten/<slug>.md each). The site offers them in a list
while there are few (FEW_GEMEENTEN) and in a text field that suggests names (<datalist>) when there are more;
what is typed is matched here, on the server, so the choice works without JavaScript.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from search.places import normalise

from .catalog import Catalog
from .content.taxonomy import FEW_GEMEENTEN

MAX_SUGGESTIONS = 3
SUGGEST_SCORE = 70  # rapidfuzz ratio (0-100) from which a name is offered as "bedoel je ...?"
_PREFIXES = ("gemeente ", "gem ")


@dataclass(frozen=True)
class Choice:
    """What a resident sent: `slug` when it names one gemeente, else the names it is close to."""

    typed: str
    slug: str | None = None
    suggestions: tuple[str, ...] = ()

    @property
    def unknown(self) -> bool:
        return bool(self.typed) and self.slug is None


@dataclass(frozen=True)
class _Index:
    by_key: dict[str, str]  # folded name -> slug (names that point at one gemeente only)
    shared: dict[str, tuple[str, ...]]  # folded name of several gemeenten (Bergen) -> their names
    names: dict[str, str]  # folded gemeente name -> its name as written (the suggestions)


_cache: dict[int, tuple[Catalog, _Index]] = {}
_lock = threading.Lock()


def many(catalog: Catalog) -> bool:
    """True when a list of every gemeente is too long to offer (a text field with suggestions instead)."""
    return len(catalog.gemeenten) > FEW_GEMEENTEN


def names(catalog: Catalog) -> dict[str, str]:
    """{slug: name} of every gemeente, in alphabetical order of the name (how a resident looks for it)."""
    infos = sorted(catalog.gemeenten.values(), key=lambda info: (_key(info.naam), info.slug))
    return {info.slug: info.naam for info in infos}


def choose(raw: str | None, catalog: Catalog) -> Choice:
    """The gemeente `raw` names; Choice.unknown (with suggestions) when it names none."""
    typed = " ".join((raw or "").split())[:100]
    if not typed:
        return Choice("")
    if typed in catalog.gemeenten:
        return Choice(typed, typed)
    index = _index(catalog)
    key = _key(typed)
    slug = index.by_key.get(key)
    if slug is not None:
        return Choice(typed, slug)
    if key in index.shared:
        return Choice(typed, suggestions=index.shared[key][:MAX_SUGGESTIONS])
    return Choice(typed, suggestions=_suggestions(key, index))


def _key(name: str) -> str:
    key = normalise(name)[0]
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            key = key[len(prefix) :]
    return key


def _index(catalog: Catalog) -> _Index:
    cached = _cache.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    index = _build(catalog)
    with _lock:
        _cache.clear()  # one catalog at a time: the app swaps it when the content changes
        _cache[id(catalog)] = (catalog, index)
    return index


def _build(catalog: Catalog) -> _Index:
    """Gemeente slugs, names and other names first; then the names of kernen. A name of several gemeenten
    (a kern Nes, the other name Bergen) chooses none: the resident is asked which one."""
    gemeente_keys: dict[str, set[str]] = {}
    kern_keys: dict[str, set[str]] = {}
    for info in catalog.gemeenten.values():
        for name in (info.slug, info.naam, *info.ook):
            gemeente_keys.setdefault(_key(name), set()).add(info.slug)
        for kern in info.kernen:
            for name in (kern.naam, *kern.ook):
                kern_keys.setdefault(_key(name), set()).add(info.slug)
    for key, slugs in kern_keys.items():
        gemeente_keys.setdefault(key, slugs)
    naam = {info.slug: info.naam for info in catalog.gemeenten.values()}
    by_key = {key: next(iter(slugs)) for key, slugs in gemeente_keys.items() if len(slugs) == 1}
    shared = {
        key: tuple(sorted((naam[s] for s in slugs), key=_key))
        for key, slugs in gemeente_keys.items()
        if len(slugs) > 1
    }
    return _Index(by_key, shared, {_key(n): n for n in naam.values()})


def _suggestions(key: str, index: _Index) -> tuple[str, ...]:
    """Gemeente names that begin with what was typed, then the closest spellings; at most MAX_SUGGESTIONS."""
    if len(key) < 2:
        return ()
    starts = sorted(name for folded, name in index.names.items() if folded.startswith(key))
    close = process.extract(
        key, list(index.names), scorer=fuzz.ratio, limit=MAX_SUGGESTIONS, score_cutoff=SUGGEST_SCORE
    )
    near = [index.names[folded] for folded, _score, _i in close]
    return tuple(dict.fromkeys([*starts, *near]))[:MAX_SUGGESTIONS]

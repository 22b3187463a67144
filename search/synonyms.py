"""Synonym groups from content/synoniemen.yaml: validation, query expansion and Meilisearch settings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from search.ranking import stems

DEFAULT_SYNONYMS_PATH = Path(__file__).resolve().parent.parent / "content" / "synoniemen.yaml"

Group = tuple[str, ...]
Phrase = tuple[str, ...]  # analysed: stems without stop words


def load_synonyms(path: Path | str = DEFAULT_SYNONYMS_PATH) -> list[Group]:
    """Read and validate the synonym file: a YAML list of groups, each a list of at least two phrases.

    Raises ValueError naming the file and the (1-based) group number on bad input.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    return validate_groups(data, source=str(path))


def validate_groups(data: object, *, source: str = "synonyms") -> list[Group]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise ValueError(f"{source}: expected a list of synonym groups, got {type(data).__name__}")
    groups: list[Group] = []
    for number, group in enumerate(data, start=1):
        where = f"{source}: group {number}"
        if not isinstance(group, list):
            raise ValueError(f"{where}: expected a list of words, got {type(group).__name__}: {group!r}")
        if not group:
            raise ValueError(f"{where}: the group is empty")
        members: list[str] = []
        for item in group:
            if not isinstance(item, str):
                raise ValueError(f"{where}: {item!r} is not text (put it in quotes)")
            if not item.strip():
                raise ValueError(f"{where}: empty word")
            if not stems(item):
                raise ValueError(f"{where}: {item!r} has only stop words, it cannot be searched")
            members.append(" ".join(item.split()))
        if len(set(members)) < 2:
            raise ValueError(f"{where}: a group needs at least two different words, got {members!r}")
        groups.append(tuple(members))
    return groups


def analysed_groups(groups: Sequence[Group]) -> list[tuple[Phrase, ...]]:
    """Each group as distinct stemmed phrases (stop words removed)."""
    result: list[tuple[Phrase, ...]] = []
    for group in groups:
        phrases = list(dict.fromkeys(tuple(stems(member)) for member in group))
        phrases = [p for p in phrases if p]
        if len(phrases) >= 2:
            result.append(tuple(phrases))
    return result


class SynonymExpander:
    """Finds synonym phrases in an analysed query and returns the other phrases of their groups."""

    def __init__(self, groups: Sequence[Group]) -> None:
        self._by_first: dict[str, list[tuple[Phrase, int]]] = {}
        self._groups = analysed_groups(groups)
        for gi, phrases in enumerate(self._groups):
            for phrase in phrases:
                self._by_first.setdefault(phrase[0], []).append((phrase, gi))

    def __len__(self) -> int:
        return len(self._groups)

    def expand_spans(self, query_stems: Sequence[str]) -> list[tuple[int, int, list[Phrase]]]:
        """For every synonym phrase found in the query (stems without stop words): its span [start, end)
        and the other phrases of its group."""
        spans: list[tuple[int, int, list[Phrase]]] = []
        for i, token in enumerate(query_stems):
            for phrase, gi in self._by_first.get(token, ()):
                if tuple(query_stems[i : i + len(phrase)]) == phrase:
                    others = [p for p in self._groups[gi] if p != phrase]
                    spans.append((i, i + len(phrase), others))
        return spans

    def expand(self, query_stems: Sequence[str]) -> list[Phrase]:
        """Phrases to add for a query; phrases already in the query are left out."""
        matched: set[Phrase] = set()
        extra: list[Phrase] = []
        for start, end, others in self.expand_spans(query_stems):
            matched.add(tuple(query_stems[start:end]))
            extra.extend(others)
        return [p for p in dict.fromkeys(extra) if p not in matched]


def meili_synonyms(groups: Sequence[Group]) -> dict[str, list[str]]:
    """Meilisearch "synonyms" setting on the analysed form the MeiliBackend sends as query (stems)."""
    mapping: dict[str, list[str]] = {}
    for phrases in analysed_groups(groups):
        texts = [" ".join(p) for p in phrases]
        for text in texts:
            others = mapping.setdefault(text, [])
            others.extend(t for t in texts if t != text and t not in others)
    return mapping

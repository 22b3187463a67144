"""What `flask content check` looks at: everything, one file, one folder or one gemeente.

The whole folder is always loaded (an entry is checked against its gemeente, and file names must be
unique); the scope only chooses which problems and entries are shown and counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .fields import hint
from .loader import SKIP_NAMES, ContentSet, gemeente_slugs
from .models import Problem
from .taxonomy import FEW_GEMEENTEN, LANDELIJK


class ScopeError(ValueError):
    """The target is not a file, a folder or a gemeente; the message says what is."""


@dataclass(frozen=True)
class Scope:
    root: Path
    files: frozenset[Path] | None = None  # resolved paths; None: the whole folder

    def covers(self, shown: str) -> bool:
        if self.files is None:
            return True
        path = Path(shown)
        path = path if path.is_absolute() else self.root.parent / path
        return path.resolve() in self.files

    def narrow(self, content: ContentSet) -> ContentSet:
        """The problems and entries of the files in scope."""
        if self.files is None:
            return content
        return ContentSet(
            entries=[e for e in content.entries if self.covers(e.path)],
            gemeenten=content.gemeenten,
            problems=[p for p in content.problems if self.covers(p.path)],
            files_read=len(self.files),
            kept_gemeenten=[p for p in content.kept_gemeenten if self.covers(p)],
            kept_entries=[p for p in content.kept_entries if self.covers(p)],
        )

    def keep(self, problems: list[Problem]) -> list[Problem]:
        return [p for p in problems if self.covers(p.path)]


def _markdown(folder: Path) -> frozenset[Path]:
    return frozenset(p.resolve() for p in folder.rglob("*.md") if p.name not in SKIP_NAMES)


def scope_for(root: Path, target: str | None) -> Scope:
    """A file (.md, also relative to the content folder, or just its name), a folder, or a gemeente
    (oss, ..., landelijk); nothing: everything."""
    if not target:
        return Scope(root)
    for path in (Path(target), root.parent / target, root / target):
        if path.is_file():
            return Scope(root, frozenset({path.resolve()}))
        if path.is_dir():
            return Scope(root, _markdown(path))
    slug = target.strip().lower()
    by_name = sorted((root / "voorzieningen").rglob(f"{Path(slug).stem}.md"))
    if by_name and "/" not in slug:  # just the file name: oss-taalcafe or oss-taalcafe.md
        return Scope(root, frozenset(p.resolve() for p in by_name))
    places = (*gemeente_slugs(root), LANDELIJK)
    if slug in places:
        files = (
            _markdown(root / "voorzieningen" / slug) if (root / "voorzieningen" / slug).is_dir() else set()
        )
        gemeente = root / "gemeenten" / f"{slug}.md"
        return Scope(root, frozenset({*files, *([gemeente.resolve()] if gemeente.is_file() else [])}))
    near = hint(slug, places)
    which = ", ".join(places) if len(places) <= FEW_GEMEENTEN else "een bestand in content/gemeenten/"
    raise ScopeError(
        f"'{target}' is geen bestand, geen map en geen gemeente.{near} "
        f"Geef een bestand, zoals content/voorzieningen/oss/oss-taalcafe.md, of een gemeente: {which}."
    )

"""Read the content folder: every problem at once, and the valid rest always loads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .frontmatter import FrontMatterError, Parsed, parse
from .models import Entry, GemeenteInfo, Problem
from .schema import check_entry, check_gemeente
from .taxonomy import GEMEENTEN, LANDELIJK

SKIP_NAMES = {"README.md"}


@dataclass
class ContentSet:
    entries: list[Entry] = field(default_factory=list)
    gemeenten: dict[str, GemeenteInfo] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _read(path: Path, shown: str, problems: list[Problem]) -> Parsed | None:
    try:
        return parse(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.append(Problem(shown, "bestand", "is geen UTF-8-tekst; sla het op als UTF-8"))
    except FrontMatterError as exc:
        problems.append(Problem(shown, "bestand", str(exc), exc.line))
    except OSError as exc:
        problems.append(Problem(shown, "bestand", f"kan niet gelezen worden ({exc.strerror})"))
    return None


def load_content(content_dir: Path | str, today: date | None = None) -> ContentSet:
    """Load and validate gemeenten/ and voorzieningen/ under content_dir."""
    root = Path(content_dir)
    today = today or date.today()
    result = ContentSet()
    if not root.is_dir():
        result.problems.append(Problem(str(root), "map", "bestaat niet"))
        return result
    _load_gemeenten(root, today, result)
    _load_entries(root, today, result)
    return result


def _load_gemeenten(root: Path, today: date, result: ContentSet) -> None:
    """gemeenten/*.md into result; a gemeente without a valid file is a problem."""
    gemeente_dir = root / "gemeenten"
    for path in sorted(gemeente_dir.glob("*.md")) if gemeente_dir.is_dir() else []:
        if path.name in SKIP_NAMES:
            continue
        shown = _display(path, root)
        result.files_read += 1
        parsed = _read(path, shown, result.problems)
        if parsed is None:
            continue
        info, problems = check_gemeente(shown, path.stem, parsed, today)
        result.problems += problems
        if info is not None:
            result.gemeenten[info.slug] = info
    for slug in GEMEENTEN:
        if slug not in result.gemeenten and not any(p.path.endswith(f"{slug}.md") for p in result.problems):
            result.problems.append(
                Problem(
                    _display(gemeente_dir / f"{slug}.md", root), "bestand", "ontbreekt voor deze gemeente"
                )
            )


def _load_entries(root: Path, today: date, result: ContentSet) -> None:
    """voorzieningen/<gemeente>/*.md into result, checked against the gemeenten loaded before."""
    seen: dict[str, str] = {}
    entry_dir = root / "voorzieningen"
    for path in sorted(entry_dir.rglob("*.md")) if entry_dir.is_dir() else []:
        if path.name in SKIP_NAMES:
            continue
        shown = _display(path, root)
        rel = path.relative_to(entry_dir)
        if len(rel.parts) != 2 or rel.parts[0] not in (*GEMEENTEN, LANDELIJK):
            folders = ", ".join((*GEMEENTEN, LANDELIJK))
            result.problems.append(
                Problem(shown, "map", f"zet het bestand in voorzieningen/<gemeente>/; mappen: {folders}")
            )
            continue
        result.files_read += 1
        slug = path.stem
        if slug in seen:
            result.problems.append(
                Problem(
                    shown, "bestandsnaam", f"'{slug}' bestaat al in {seen[slug]}; kies een andere naam", 1
                )
            )
            continue
        parsed = _read(path, shown, result.problems)
        if parsed is None:
            continue
        entry, problems = check_entry(shown, slug, rel.parts[0], parsed, result.gemeenten, today)
        result.problems += problems
        if entry is not None:
            seen[slug] = shown
            result.entries.append(entry)

"""Read the content folder: every problem at once, and the valid rest always loads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .fields import hint
from .frontmatter import FrontMatterError, Parsed, parse
from .models import Entry, GemeenteInfo, Problem
from .schema import check_entry, check_gemeente
from .taxonomy import FEW_GEMEENTEN, LANDELIJK

SKIP_NAMES = {"README.md"}
MAX_FILE_BYTES = 64 * 1024  # a voorziening is about 2 kB; a bigger file is a mistake (or an attack)


@dataclass
class ContentSet:
    entries: list[Entry] = field(default_factory=list)
    gemeenten: dict[str, GemeenteInfo] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
    # broken files whose previous version stays (a lenient load with `previous`)
    kept_gemeenten: list[str] = field(default_factory=list)
    kept_entries: list[str] = field(default_factory=list)

    @property
    def kept(self) -> list[str]:
        return self.kept_gemeenten + self.kept_entries

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def skipped(self) -> list[str]:
        """Files with an error that are not on the site at all (nothing earlier to keep)."""
        broken = dict.fromkeys(p.path for p in self.errors)
        return [path for path in broken if path not in self.kept]

    @property
    def ok(self) -> bool:
        return not self.errors


def gemeente_slugs(content_dir: Path | str) -> tuple[str, ...]:
    """The gemeenten of a content folder, one file gemeenten/<slug>.md each: adding a gemeente is adding its
    file (and a folder voorzieningen/<slug>/ for its entries)."""
    folder = Path(content_dir) / "gemeenten"
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.stem for p in folder.glob("*.md") if p.name not in SKIP_NAMES))


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _read(path: Path, shown: str, problems: list[Problem]) -> Parsed | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Problem(
                    shown,
                    "bestand",
                    f"is te groot: {size // 1024} kB, maximaal {MAX_FILE_BYTES // 1024} kB; "
                    "maak de tekst korter",
                )
            )
            return None
        return parse(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.append(Problem(shown, "bestand", "is geen UTF-8-tekst; sla het op als UTF-8"))
    except FrontMatterError as exc:
        problems.append(Problem(shown, "bestand", str(exc), exc.line))
    except OSError as exc:
        problems.append(Problem(shown, "bestand", f"kan niet gelezen worden ({exc.strerror})"))
    return None


def load_content(
    content_dir: Path | str,
    today: date | None = None,
    previous: ContentSet | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ContentSet:
    """Load and validate gemeenten/ and voorzieningen/ under content_dir.

    With `previous` (what is stored now), a gemeente or entry whose file is broken keeps its previous
    version (listed in `kept`), so a lenient load never takes something off the site for a typo; a file
    that was removed is gone. `progress(done, total)` follows the entry files read.
    """
    root = Path(content_dir)
    today = today or date.today()
    result = ContentSet()
    if not root.is_dir():
        result.problems.append(Problem(str(root), "map", "bestaat niet"))
        return result
    _load_gemeenten(root, today, result, previous)
    _load_entries(root, today, result, previous, progress)
    return result


def load_gemeenten(content_dir: Path | str, today: date | None = None) -> dict[str, GemeenteInfo]:
    """Only the valid gemeenten of content_dir, without reading the entry files (what an import checks
    its rows against: at 10,000 entries, reading them all would take seconds)."""
    result = ContentSet()
    _load_gemeenten(Path(content_dir), today or date.today(), result, None)
    return result.gemeenten


def _load_gemeenten(root: Path, today: date, result: ContentSet, previous: ContentSet | None) -> None:
    """gemeenten/*.md into result; a gemeente without a valid file is a problem."""
    gemeente_dir = root / "gemeenten"
    for path in sorted(gemeente_dir.glob("*.md")) if gemeente_dir.is_dir() else []:
        if path.name in SKIP_NAMES:
            continue
        shown = _display(path, root)
        result.files_read += 1
        parsed = _read(path, shown, result.problems)
        info, problems = (None, []) if parsed is None else check_gemeente(shown, path.stem, parsed, today)
        result.problems += problems
        if info is not None:
            result.gemeenten[info.slug] = info
        elif previous is not None and path.stem in previous.gemeenten:
            result.gemeenten[path.stem] = previous.gemeenten[path.stem]
            result.kept_gemeenten.append(shown)
    entry_dir = root / "voorzieningen"
    folders = sorted(p.name for p in entry_dir.iterdir() if p.is_dir()) if entry_dir.is_dir() else []
    known = set(gemeente_slugs(root))
    for slug in folders:
        if slug != LANDELIJK and slug not in known and any((entry_dir / slug).glob("*.md")):
            result.problems.append(
                Problem(
                    _display(gemeente_dir / f"{slug}.md", root), "bestand", "ontbreekt voor deze gemeente"
                )
            )


def _load_entries(
    root: Path,
    today: date,
    result: ContentSet,
    previous: ContentSet | None,
    progress: Callable[[int, int], None] | None,
) -> None:
    """voorzieningen/<gemeente>/*.md into result, checked against the gemeenten loaded before."""
    seen: dict[str, str] = {}
    earlier = {e.slug: e for e in previous.entries} if previous is not None else {}
    entry_dir = root / "voorzieningen"
    known = (*gemeente_slugs(root), LANDELIJK)
    paths = sorted(entry_dir.rglob("*.md")) if entry_dir.is_dir() else []
    for number, path in enumerate(paths, 1):
        if progress is not None:
            progress(number, len(paths))
        if path.name in SKIP_NAMES:
            continue
        shown = _display(path, root)
        rel = path.relative_to(entry_dir)
        if len(rel.parts) != 2 or rel.parts[0] not in known:
            result.problems.append(Problem(shown, "map", _wrong_folder(rel.parts[0], known)))
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
        entry, problems = (
            (None, [])
            if parsed is None
            else check_entry(shown, slug, rel.parts[0], parsed, result.gemeenten, today, known=known)
        )
        result.problems += problems
        if entry is None and slug in earlier and earlier[slug].gemeente == rel.parts[0]:
            entry = earlier[slug]
            result.kept_entries.append(shown)
        if entry is not None:
            seen[slug] = shown
            result.entries.append(entry)


def _wrong_folder(folder: str, known: tuple[str, ...]) -> str:
    """Where an entry outside a gemeente's folder belongs; the whole list only while it is short."""
    where = f"zet het bestand in voorzieningen/<gemeente>/ of voorzieningen/{LANDELIJK}/"
    if len(known) <= FEW_GEMEENTEN:
        return f"{where}; mappen: {', '.join(known)}"
    return f"{where}; '{folder}' is geen gemeente (er is geen gemeenten/{folder}.md).{hint(folder, known)}"

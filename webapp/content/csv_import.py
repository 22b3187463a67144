"""The editors' CSV import: a spreadsheet with one row per entry, all rows or nothing.

Every row is turned into front matter, parsed back and checked with the same schema code as
``flask content check``. Only when every row is good are the files written (each atomically: temp file +
rename); otherwise nothing is written.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .loader import MAX_FILE_BYTES, gemeente_slugs, load_gemeenten
from .schema import ENTRY_FIELDS
from .taxonomy import LANDELIJK
from .writer import make_slug, render_entry, validate_text, write_all

if TYPE_CHECKING:  # the callback type only: the content package does not load the search code
    from search.cache import Progress

LIST_COLUMNS = ("categorieen", "kernen", "doelgroep", "toegankelijkheid", "talen", "trefwoorden")
CSV_COLUMNS: dict[str, str] = {  # column -> what goes in it (docs/editors.md shows the same)
    "slug": "bestandsnaam zonder .md; leeg: gemaakt uit kern/gemeente + titel",
    "titel": "tekst",
    "samenvatting": "één zin",
    "categorieen": "lijst met ;",
    "gemeente": "een gemeente (de naam van haar bestand in content/gemeenten/, zoals oss) of landelijk",
    "kernen": "lijst met ;",
    "wijk": "tekst",
    "organisatie": "tekst",
    "adres": "tekst",
    "postcode": "1234 AB",
    "plaats": "tekst",
    "lat": "getal, zoals 51.765 (komma mag ook)",
    "lon": "getal, zoals 5.518 (komma mag ook)",
    "telefoon": "tekst",
    "email": "tekst",
    "website": "begint met https://",
    "openingstijden": "maandag 09:00-12:00; dinsdag 14:00-16:00",
    "openingstijden_notitie": "tekst",
    "kosten": "gratis of eigen-bijdrage",
    "kosten_bedrag": "tekst, zoals € 2,50 per keer",
    "aanmelden": "binnenlopen, bellen of aanmelden",
    "doelgroep": "lijst met ;",
    "toegankelijkheid": "lijst met ;",
    "talen": "lijst met ; (leeg: nl)",
    "laatst_gecontroleerd": "JJJJ-MM-DD",
    "voorbeeld": "ja of nee (leeg: nee)",
    "trefwoorden": "lijst met ;",
    "tekst": "de uitleg in gewone taal (de tekst onder de velden)",
}
REQUIRED_COLUMNS = ("titel", "gemeente")
CELL_MAX = MAX_FILE_BYTES  # no cell can be longer than a whole entry file may be
OPENING_RE = re.compile(r"^([a-z]+)\s+(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})$")
TRUE_WORDS = {"ja", "true", "waar", "1", "yes", "j"}
FALSE_WORDS = {"nee", "false", "onwaar", "0", "no", "n", ""}
T = TypeVar("T")


@dataclass
class RowResult:
    row: int  # the spreadsheet row number (the header is row 1)
    slug: str
    path: Path | None
    text: str
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowResult]
    file_problems: list[str]
    written: list[Path] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.problems]

    @property
    def ok(self) -> bool:
        return not self.file_problems and not self.bad_rows

    def messages(self) -> list[str]:
        return self.file_problems + [p for r in self.rows for p in r.problems]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _number(cell: str) -> object:
    try:
        return float(cell.replace(",", "."))
    except ValueError:
        return cell  # the schema check reports it: "moet een getal zijn"


def _openingstijden(cell: str, notitie: str, problems: list[str]) -> dict[str, Any] | None:
    tijden = []
    for part in _split(cell):
        match = OPENING_RE.match(part.lower())
        if not match:
            problems.append(
                f"openingstijden: '{part}' kan ik niet lezen; schrijf het zo: maandag 09:00-12:00"
            )
            continue
        dag, h1, m1, h2, m2 = match.groups()
        tijden.append({"dag": dag, "open": f"{int(h1):02d}:{m1}", "dicht": f"{int(h2):02d}:{m2}"})
    if not tijden and not notitie:
        return None
    out: dict[str, Any] = {}
    if tijden:
        out["tijden"] = tijden
    if notitie:
        out["notitie"] = notitie
    return out


def _yes_no(value: str, problems: list[str]) -> bool | None:
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    problems.append(f"voorbeeld: '{value}' kan niet; schrijf ja of nee")
    return None


def _field(key: str, cell: Mapping[str, str], problems: list[str]) -> object | None:
    """One front-matter field from the row's cells; None leaves it out. Fields the schema requires are
    written even when empty, so its message names them."""
    value = cell.get(key, "")
    if key in LIST_COLUMNS:
        return (
            _split(value) if value or key in ("kernen", "categorieen", "doelgroep", "trefwoorden") else None
        )
    if key in ("lat", "lon"):
        return _number(value) if value else None
    if key == "voorbeeld":
        return _yes_no(value, problems)
    if key == "openingstijden":
        return _openingstijden(value, cell.get("openingstijden_notitie", ""), problems)
    if key == "kosten":
        return {"soort": value or "gratis", "bedrag": cell.get("kosten_bedrag", "")}
    return (
        value if value or key in ("titel", "samenvatting", "gemeente", "organisatie", "aanmelden") else None
    )


def row_to_data(row: Mapping[str, str], problems: list[str]) -> tuple[dict[str, Any], str]:
    """(front matter data, body) from one CSV row; cell problems the schema cannot see go in problems."""
    cell = {k: (v or "").strip() for k, v in row.items() if k}
    data: dict[str, Any] = {}
    for key in ENTRY_FIELDS:
        value = _field(key, cell, problems)
        if value is not None:
            data[key] = value
    if "talen" not in data:
        data["talen"] = ["nl"]
    return data, cell.get("tekst", "")


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]], list[str]]:
    """(header, rows, problems); the delimiter (, ; or tab) is the one the header line uses most.

    Python's csv module stops at a cell over its field_size_limit (131,072 characters) with a bare error.
    Here no cell can hit that limit (it is raised to the length of the text for this read); cells over
    CELL_MAX are reported by row and column in plan_import.
    """
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    rows: list[dict[str, str]] = []
    problems: list[str] = []
    try:
        rows.extend(reader)
    except csv.Error as exc:
        problems.append(f"rij {reader.line_num}: deze regel kan ik niet lezen ({exc})")
    finally:
        csv.field_size_limit(limit)
    return [h.strip() for h in (reader.fieldnames or [])], rows, problems


def long_cells(row: Mapping[str, object]) -> list[str]:
    """Problems for the cells of a row over CELL_MAX characters, by column."""
    found = []
    for column, value in row.items():
        cells = value if isinstance(value, list) else [value]  # extra cells come as a list under None
        for cell in cells:
            if isinstance(cell, str) and len(cell) > CELL_MAX:
                name = f"kolom '{column}'" if column else "een cel na de laatste kolom"
                found.append(
                    f"{name}: de cel is te lang: {len(cell)} tekens, maximaal {CELL_MAX}. "
                    'Staat er een " zonder tweede "?'
                )
    return found


def _followed(items: Sequence[T], progress: Progress | None) -> Iterator[T]:
    """The items, reporting `progress(done, total)` before the first and after each one."""
    if progress is not None:
        progress(0, len(items))
    for done, item in enumerate(items, 1):
        yield item
        if progress is not None:
            progress(done, len(items))


def plan_import(
    csv_text: str,
    content_dir: Path,
    *,
    replace: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every row (nothing is written): build each file, parse it back, run the schema check.
    `progress(done, total)` follows the rows checked."""
    root = Path(content_dir)
    header, rows, file_problems = read_csv(csv_text)
    unknown = [h for h in header if h and h not in CSV_COLUMNS]
    if unknown:
        file_problems.append(
            f"kolom {', '.join(repr(u) for u in unknown)} bestaat niet; kolommen: {', '.join(CSV_COLUMNS)}"
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        file_problems.append(f"de kolom {', '.join(missing)} ontbreekt")
    if not rows:
        file_problems.append("het bestand heeft geen rijen onder de kopregel")
    labelled = [(number, f"rij {number}", row) for number, row in enumerate(rows, start=2)]
    return plan_rows(
        labelled, root, file_problems, replace=replace, today=today or date.today(), progress=progress
    )


def plan_rows(
    rows: Sequence[tuple[int, str, Mapping[str, Any]]],
    root: Path,
    file_problems: list[str],
    *,
    replace: bool = False,
    today: date,
    progress: Progress | None = None,
) -> ImportReport:
    """Check rows in the CSV columns, each with its number and its label in messages ("rij 5", or a
    service id for the HSDS import): build each file, parse it back, run the schema check.
    `progress(done, total)` follows the rows checked."""
    gemeenten = load_gemeenten(root, today)
    folders = (*gemeente_slugs(root), LANDELIJK)
    on_disk: dict[str, Path] = {}
    for path in sorted((root / "voorzieningen").rglob("*.md")):
        on_disk.setdefault(path.stem, path)
    seen: dict[str, str] = {}
    results: list[RowResult] = []
    for number, label, row in _followed(rows, progress):
        if not any((v or "").strip() for k, v in row.items() if k and isinstance(v, str)):
            continue  # an empty line in the spreadsheet
        too_long = long_cells(row)
        if too_long:
            results.append(RowResult(number, "", None, "", [f"{label}: {p}" for p in too_long]))
            continue
        problems: list[str] = []
        if None in row:
            problems.append("deze rij heeft meer cellen dan de kopregel; staat er een ; of , te veel?")
        data, body = row_to_data(row, problems)
        gemeente = str(data.get("gemeente", ""))
        folder = gemeente if gemeente in folders else "onbekend"
        kernen = data.get("kernen") or []
        prefix = "" if gemeente == LANDELIJK else (kernen[0] if kernen else gemeente)
        slug = (row.get("slug") or "").strip() or make_slug(str(data.get("titel", "")), prefix)
        path = root / "voorzieningen" / folder / f"{slug}.md"
        if slug in seen:
            problems.append(f"slug: '{slug}' staat ook in {seen[slug]}; kies een andere titel of slug")
        seen.setdefault(slug, label)
        if slug in on_disk:
            if on_disk[slug].resolve() != path.resolve():
                problems.append(
                    f"slug: '{slug}' bestaat al in {on_disk[slug].parent.name}; kies een andere naam"
                )
            elif not replace:
                problems.append(f"slug: {slug}.md bestaat al; gebruik --replace om het te vervangen")
        text = render_entry(data, body)
        _, schema_problems = validate_text(text, slug, folder, label, gemeenten, today)
        problems += [f"{p.field}: {p.message}" for p in schema_problems]
        results.append(RowResult(number, slug, path, text, [f"{label}: {p}" for p in problems]))
    return ImportReport(results, file_problems)


def write_report(report: ImportReport, dry_run: bool, progress: Progress | None = None) -> ImportReport:
    """Write every file of a plan, only when every row is good (and not dry_run): all or nothing.
    `progress(done, total)` follows the files written (not called when nothing is written)."""
    if not report.ok or dry_run:
        return report
    files = [(r.path, r.text) for r in report.rows if r.path is not None]
    write_all(files, progress)
    report.written = [path for path, _ in files]
    return report


def import_csv(
    csv_text: str,
    content_dir: Path,
    *,
    dry_run: bool = False,
    replace: bool = False,
    today: date | None = None,
    checking: Progress | None = None,
    writing: Progress | None = None,
) -> ImportReport:
    """Check every row; write all files only when every row is good (and not dry_run). Each long step
    reports `(done, total)` to its own callback: `checking` the rows, `writing` the files."""
    report = plan_import(csv_text, content_dir, replace=replace, today=today, progress=checking)
    return write_report(report, dry_run, writing)

"""Data exchange: Open Referral HSDS 3.0 export, and the editors' CSV import.

Export: every Entry becomes one fully nested HSDS 3.0 ``service`` (organization, service_at_locations
with location and address, phones, schedules, languages, service_areas, attributes with taxonomy_term,
cost_options). Ids are stable: uuid5 of the slug (and of slug + part for the nested objects), so the
same entry keeps the same ids across exports.

Import: a spreadsheet (CSV) with one row per entry; every row is turned into front matter, parsed back
and checked with the same schema code as ``flask content check``. Only when every row is good are the
files written (each atomically: temp file + rename); otherwise nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .content.frontmatter import FrontMatterError, parse
from .content.loader import load_content
from .content.models import Entry, GemeenteInfo, Problem
from .content.schema import ENTRY_FIELDS, check_entry
from .content.taxonomy import AANMELDEN, CATEGORY_BY_SLUG, DAGEN, GEMEENTEN, LANDELIJK, LANGUAGE_NAMES

HSDS_VERSION = "3.0"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:dichtbij:voorzieningen")
TAXONOMY_NAME = "dichtbij-categorieen"
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, f"taxonomy:{TAXONOMY_NAME}"))
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25

BYDAY = dict(zip(DAGEN, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))


def stable_id(slug: str, part: str = "") -> str:
    """uuid5 of the slug (the service id), or of slug + part for the service's nested objects."""
    return str(uuid.uuid5(NAMESPACE, f"{slug}/{part}" if part else slug))


def organization_id(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"organization:{name}"))


def term_id(category: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"taxonomy_term:{TAXONOMY_NAME}:{category}"))


def language_name(code: str) -> str:
    """A language's name in Dutch (the export's language is Dutch), or its code when we do not know it."""
    name = LANGUAGE_NAMES.get(code)
    return name.dutch if name else code


def _amount(bedrag: str) -> float | None:
    match = re.search(r"(\d+(?:[.,]\d{1,2})?)", bedrag)
    return float(match.group(1).replace(",", ".")) if match else None


def _gemeente_naam(entry: Entry, gemeenten: Mapping[str, GemeenteInfo]) -> str:
    if entry.landelijk:
        return "Nederland"
    info = gemeenten.get(entry.gemeente)
    return info.naam if info else entry.gemeente


def _schedules(entry: Entry, service_id: str) -> list[dict[str, Any]]:
    """One WEEKLY schedule per distinct (open, dicht) pair; the days go in byday (RFC 5545)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for opening in entry.openingstijden.tijden:
        groups.setdefault((opening.open, opening.dicht), []).append(opening.dag)
    notitie = entry.openingstijden.notitie
    out: list[dict[str, Any]] = []
    for (opens, closes), dagen in groups.items():
        schedule: dict[str, Any] = {
            "id": stable_id(entry.slug, f"schedule/{opens}-{closes}"),
            "service_id": service_id,
            "freq": "WEEKLY",
            "interval": 1,
            "byday": ",".join(BYDAY[d] for d in dagen),
            "opens_at": opens,
            "closes_at": closes,
            "description": f"{', '.join(dagen)} van {opens} tot {closes}",
        }
        if notitie:
            schedule["notes"] = notitie
        out.append(schedule)
    if not out and notitie:
        out.append(
            {"id": stable_id(entry.slug, "schedule"), "service_id": service_id, "description": notitie}
        )
    return out


def _location(entry: Entry, service_id: str, org_id: str) -> list[dict[str, Any]]:
    """service_at_locations: one physical location (address and/or point), or a virtual one (website)."""
    has_place = bool(entry.adres or entry.plaats or entry.lat is not None)
    if not has_place and not (entry.landelijk and entry.website):
        return []
    location_id = stable_id(entry.slug, "location")
    location: dict[str, Any] = {
        "id": location_id,
        "organization_id": org_id,
        "name": entry.organisatie,
    }
    if has_place:
        location["location_type"] = "physical"
        if entry.lat is not None and entry.lon is not None:
            location["latitude"] = entry.lat
            location["longitude"] = entry.lon
        if entry.adres or entry.plaats:
            location["addresses"] = [
                {
                    "id": stable_id(entry.slug, "address"),
                    "location_id": location_id,
                    "address_1": entry.adres,
                    "city": entry.plaats or (entry.kernen[0] if entry.kernen else ""),
                    "state_province": "Noord-Brabant",
                    "postal_code": entry.postcode,
                    "country": "NL",
                    "address_type": "physical",
                }
            ]
    else:
        location["location_type"] = "virtual"
        location["url"] = entry.website
    location["languages"] = [
        {"id": stable_id(entry.slug, f"location/language/{code}"), "location_id": location_id,
         "name": language_name(code), "code": code}
        for code in entry.talen
    ]  # fmt: skip
    return [
        {
            "id": stable_id(entry.slug, "service_at_location"),
            "service_id": service_id,
            "location_id": location_id,
            "location": location,
        }
    ]


def service(entry: Entry, gemeenten: Mapping[str, GemeenteInfo]) -> dict[str, Any]:
    """One entry as a fully nested HSDS 3.0 service."""
    sid = stable_id(entry.slug)
    org_id = organization_id(entry.organisatie)
    area = _gemeente_naam(entry, gemeenten)
    fees = "Gratis" if entry.kosten.gratis else entry.kosten.bedrag
    out: dict[str, Any] = {
        "id": sid,
        "organization_id": org_id,
        "name": entry.titel,
        "alternate_name": entry.slug,
        "description": f"{entry.samenvatting}\n\n{entry.body}".strip(),
        "status": "active",
        "application_process": AANMELDEN.get(entry.aanmelden, entry.aanmelden),
        "fees_description": fees,
        "eligibility_description": "Voor: " + ", ".join(d.replace("-", " ") for d in entry.doelgroep),
        "assured_date": entry.laatst_gecontroleerd.isoformat(),
        "last_modified": f"{entry.laatst_gecontroleerd.isoformat()}T00:00:00.000Z",
    }
    if entry.website:
        out["url"] = entry.website
    if entry.email:
        out["email"] = entry.email
    if entry.voorbeeld:
        out["alert"] = "Voorbeeld: deze gegevens zijn verzonnen voor een demonstratie."
    out["organization"] = {
        "id": org_id,
        "name": entry.organisatie,
        "description": f"{entry.organisatie}, aanbieder in {area}.",
    }
    out["phones"] = (
        [{"id": stable_id(entry.slug, "phone"), "service_id": sid, "number": entry.telefoon}]
        if entry.telefoon
        else []
    )
    out["schedules"] = _schedules(entry, sid)
    out["service_at_locations"] = _location(entry, sid, org_id)
    out["languages"] = [
        {"id": stable_id(entry.slug, f"language/{code}"), "service_id": sid,
         "name": language_name(code), "code": code}
        for code in entry.talen
    ]  # fmt: skip
    areas = [f"{kern} ({area})" for kern in entry.kernen] or [area]
    out["service_areas"] = [
        {"id": stable_id(entry.slug, f"service_area/{name}"), "service_id": sid, "name": name,
         "description": f"Voor inwoners van {name}.", "extent_type": "text"}
        for name in areas
    ]  # fmt: skip
    out["attributes"] = [
        {
            "id": stable_id(entry.slug, f"attribute/{slug}"),
            "link_id": sid,
            "link_entity": "service",
            "link_type": "category",
            "taxonomy_term_id": term_id(slug),
            "taxonomy_term": taxonomy_term(slug),
        }
        for slug in entry.categorieen
    ]
    cost: dict[str, Any] = {"id": stable_id(entry.slug, "cost_option"), "service_id": sid, "currency": "EUR"}
    if entry.kosten.gratis:
        cost.update(option="Gratis", amount=0, amount_description="gratis")
    else:
        cost.update(option="Eigen bijdrage", amount_description=entry.kosten.bedrag)
        amount = _amount(entry.kosten.bedrag)
        if amount is not None:
            cost["amount"] = amount
    out["cost_options"] = [cost]
    return out


def taxonomy_term(category: str) -> dict[str, Any]:
    cat = CATEGORY_BY_SLUG[category]
    return {
        "id": term_id(category),
        "code": category,
        "name": cat.label,
        "description": cat.description,
        "taxonomy": TAXONOMY_NAME,
        "taxonomy_id": TAXONOMY_ID,
        "language": "nl",
        "taxonomy_detail": {
            "id": TAXONOMY_ID,
            "name": TAXONOMY_NAME,
            "description": "De vaste categorieën van de sociale kaart Dichtbij.",
            "version": "1",
        },
    }


class BadParameter(ValueError):
    """A query parameter the API cannot use; the message says what is wrong."""


def parse_int(value: str | None, name: str, default: int, low: int, high: int | None = None) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadParameter(f"'{name}' must be a whole number, got '{value}'") from None
    if number < low or (high is not None and number > high):
        limit = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise BadParameter(f"'{name}' must be {limit}, got {number}")
    return number


def parse_modified_after(value: str | None) -> date | None:
    if value is None or value == "":
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        raise BadParameter(f"'modified_after' must be a date like 2026-01-31, got '{value}'") from None


def page(
    entries: Iterable[Entry],
    gemeenten: Mapping[str, GemeenteInfo],
    *,
    page_number: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
    modified_after: date | None = None,
) -> dict[str, Any]:
    """An HSDS 3.0 Page of services, ordered by slug; modified_after keeps laatst_gecontroleerd >= it."""
    chosen = sorted(
        (e for e in entries if modified_after is None or e.laatst_gecontroleerd >= modified_after),
        key=lambda e: e.slug,
    )
    total = len(chosen)
    total_pages = max(1, math.ceil(total / per_page)) if per_page else 1
    start = (page_number - 1) * per_page
    contents = [service(e, gemeenten) for e in chosen[start : start + per_page]]
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not contents,
        "page": page_number,
        "per_page": per_page,
        "contents": contents,
    }


def export_document(entries: Sequence[Entry], gemeenten: Mapping[str, GemeenteInfo]) -> dict[str, Any]:
    """All services as one Page (same shape as the API), plus the HSDS version."""
    doc = page(entries, gemeenten, page_number=1, per_page=max(1, len(entries)))
    return {"hsds_version": HSDS_VERSION, **doc}


# ---------------------------------------------------------------------------------------------------
# Writing entry files (shared by `flask content new` and the CSV import)

_PLAIN_RE = re.compile(r"^[^\W\d_][^:#\n\"'{}\[\],&*!|>%@`]*$")
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}


def yaml_scalar(value: object) -> str:
    """A YAML scalar: plain when that reads back as the same text, else a double-quoted JSON string."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN_RE.match(text) and text.lower() not in _RESERVED and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)


def yaml_list(values: Iterable[object]) -> str:
    return "[" + ", ".join(yaml_scalar(v) for v in values) + "]"


def render_entry(data: Mapping[str, Any], body: str) -> str:
    """A Markdown entry file: front matter in the documented field order and style, then the body."""
    lines = ["---"]
    for key in ENTRY_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key == "openingstijden" and isinstance(value, Mapping):
            lines.append("openingstijden:")
            tijden = value.get("tijden") or []
            if isinstance(tijden, list) and tijden:
                lines.append("  tijden:")
                for t in tijden:
                    if isinstance(t, Mapping):
                        inner = ", ".join(
                            f"{k}: {json.dumps(str(v), ensure_ascii=False)}" for k, v in t.items()
                        )
                        lines.append(f"    - {{{inner}}}")
                    else:
                        lines.append(f"    - {yaml_scalar(t)}")
            if value.get("notitie"):
                lines.append(f"  notitie: {yaml_scalar(value['notitie'])}")
        elif key == "kosten" and isinstance(value, Mapping):
            lines.append("kosten:")
            lines.append(f"  soort: {yaml_scalar(value.get('soort', ''))}")
            lines.append(f"  bedrag: {yaml_scalar(value.get('bedrag', ''))}")
        elif isinstance(value, list | tuple):
            lines.append(f"{key}: {yaml_list(value)}")
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body.strip() + "\n"


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"\(voorbeeld\)", "", ascii_text, flags=re.I)
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def make_slug(titel: str, prefix: str) -> str:
    """Slug from the titel, prefixed by the kern or gemeente (unless the titel already starts with it)."""
    base = slugify(titel)
    pre = slugify(prefix)
    if not pre or base == pre or base.startswith(pre + "-"):
        return base
    return f"{pre}-{base}" if base else pre


def _stage(path: Path, text: str) -> Path:
    """Write text to a temp file next to path; the caller renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and rename: readers never see half a file."""
    os.replace(_stage(path, text), path)


def write_all(files: Sequence[tuple[Path, str]]) -> None:
    """Write every file, or none: all temp files first; only when they are all there, rename them."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files:
            staged.append((_stage(path, text), path))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)


def validate_text(
    text: str, slug: str, folder: str, shown: str, gemeenten: Mapping[str, GemeenteInfo], today: date
) -> tuple[Entry | None, list[Problem]]:
    """Parse a rendered entry back and run the schema check on it, exactly like the loader does."""
    try:
        parsed = parse(text)
    except FrontMatterError as exc:
        return None, [Problem(shown, "bestand", str(exc), exc.line)]
    entry, problems = check_entry(shown, slug, folder, parsed, dict(gemeenten), today)
    return entry, [p for p in problems if p.severity == "error"]


# ---------------------------------------------------------------------------------------------------
# CSV import

LIST_COLUMNS = ("categorieen", "kernen", "doelgroep", "toegankelijkheid", "talen", "trefwoorden")
CSV_COLUMNS: dict[str, str] = {  # column -> what goes in it (docs/editors.md shows the same)
    "slug": "bestandsnaam zonder .md; leeg: gemaakt uit kern/gemeente + titel",
    "titel": "tekst",
    "samenvatting": "één zin",
    "categorieen": "lijst met ;",
    "gemeente": "oss, maashorst, meierijstad, oirschot, geertruidenberg of landelijk",
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
OPENING_RE = re.compile(r"^([a-z]+)\s+(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})$")
TRUE_WORDS = {"ja", "true", "waar", "1", "yes", "j"}
FALSE_WORDS = {"nee", "false", "onwaar", "0", "no", "n", ""}


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


def row_to_data(row: Mapping[str, str], problems: list[str]) -> tuple[dict[str, Any], str]:
    """(front matter data, body) from one CSV row; cell problems the schema cannot see go in problems."""
    cell = {k: (v or "").strip() for k, v in row.items() if k}
    data: dict[str, Any] = {}
    for key in ENTRY_FIELDS:
        value = cell.get(key, "")
        if key in LIST_COLUMNS:
            if value or key in ("kernen", "categorieen", "doelgroep", "trefwoorden"):
                data[key] = _split(value)
        elif key in ("lat", "lon"):
            if value:
                data[key] = _number(value)
        elif key == "voorbeeld":
            if value.lower() in TRUE_WORDS:
                data[key] = True
            elif value.lower() in FALSE_WORDS:
                data[key] = False
            else:
                problems.append(f"voorbeeld: '{value}' kan niet; schrijf ja of nee")
        elif key == "openingstijden":
            hours = _openingstijden(value, cell.get("openingstijden_notitie", ""), problems)
            if hours is not None:
                data[key] = hours
        elif key == "kosten":
            data[key] = {"soort": value or "gratis", "bedrag": cell.get("kosten_bedrag", "")}
        elif value or key in ("titel", "samenvatting", "gemeente", "organisatie", "aanmelden"):
            data[key] = value
    if "talen" not in data:
        data["talen"] = ["nl"]
    return data, cell.get("tekst", "")


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """(header, rows); the delimiter (, ; or tab) is the one the header line uses most."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    return [h.strip() for h in (reader.fieldnames or [])], rows


def plan_import(
    csv_text: str,
    content_dir: Path,
    *,
    replace: bool = False,
    today: date | None = None,
) -> ImportReport:
    """Check every row (nothing is written): build each file, parse it back, run the schema check."""
    today = today or date.today()
    root = Path(content_dir)
    header, rows = read_csv(csv_text)
    file_problems: list[str] = []
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
    existing = load_content(root, today=today)
    gemeenten = existing.gemeenten
    on_disk: dict[str, Path] = {}
    for path in sorted((root / "voorzieningen").rglob("*.md")):
        on_disk.setdefault(path.stem, path)
    seen: dict[str, int] = {}
    results: list[RowResult] = []
    for number, row in enumerate(rows, start=2):
        if not any((v or "").strip() for k, v in row.items() if k):
            continue  # an empty line in the spreadsheet
        problems: list[str] = []
        if None in row:
            problems.append("deze rij heeft meer cellen dan de kopregel; staat er een ; of , te veel?")
        data, body = row_to_data(row, problems)
        gemeente = str(data.get("gemeente", ""))
        folder = gemeente if gemeente in (*GEMEENTEN, LANDELIJK) else "onbekend"
        kernen = data.get("kernen") or []
        prefix = "" if gemeente == LANDELIJK else (kernen[0] if kernen else gemeente)
        slug = (row.get("slug") or "").strip() or make_slug(str(data.get("titel", "")), prefix)
        path = root / "voorzieningen" / folder / f"{slug}.md"
        if slug in seen:
            problems.append(f"slug: '{slug}' staat ook in rij {seen[slug]}; kies een andere titel of slug")
        seen.setdefault(slug, number)
        if slug in on_disk:
            if on_disk[slug].resolve() != path.resolve():
                problems.append(
                    f"slug: '{slug}' bestaat al in {on_disk[slug].parent.name}; kies een andere naam"
                )
            elif not replace:
                problems.append(f"slug: {slug}.md bestaat al; gebruik --replace om het te vervangen")
        text = render_entry(data, body)
        shown = f"rij {number}"
        _, schema_problems = validate_text(text, slug, folder, shown, gemeenten, today)
        problems += [f"{p.field}: {p.message}" for p in schema_problems]
        results.append(RowResult(number, slug, path, text, [f"rij {number}: {p}" for p in problems]))
    return ImportReport(results, file_problems)


def import_csv(
    csv_text: str,
    content_dir: Path,
    *,
    dry_run: bool = False,
    replace: bool = False,
    today: date | None = None,
) -> ImportReport:
    """Check every row; write all files only when every row is good (and not dry_run)."""
    report = plan_import(csv_text, content_dir, replace=replace, today=today)
    if not report.ok or dry_run:
        return report
    files = [(r.path, r.text) for r in report.rows if r.path is not None]
    write_all(files)
    report.written = [path for path, _ in files]
    return report

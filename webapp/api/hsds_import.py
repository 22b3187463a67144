"""Open Referral HSDS 3.0 in: services (the JSON of /api/v1/services pages, a list of services, or an HSDS
tabular datapackage directory) become Markdown entries, through the CSV import's checks.

Each service is turned into one row in the spreadsheet columns (csv_import.CSV_COLUMNS), so the import has
the same validation, dry run, all-or-nothing writes and per-record messages as `flask content import --csv`,
with the service id where the CSV says "rij 5". What cannot be carried over is reported, never dropped
silently: fields the content model has no place for, taxonomy terms without a category in the mapping file
(content/hsds-taxonomie.yaml), a second phone or location. Those are warnings; a record without anything
required (no category at all, no gemeente) is an error like any other.

The inverse of webapp/api/hsds.py: export -> import -> export gives the same services (tests/editors).
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..content import csv_import
from ..content.loader import load_gemeenten
from ..content.models import GemeenteInfo
from ..content.schema import TREFWOORD_MAX, TREFWOORDEN_MAX
from ..content.taxonomy import (
    AANMELDEN,
    CATEGORY_BY_SLUG,
    CATEGORY_SLUGS,
    DOELGROEPEN,
    LANDELIJK,
)
from .hsds import BYDAY, TAXONOMY_NAME

if TYPE_CHECKING:
    from search.cache import Progress

MAPPING_FILE = "hsds-taxonomie.yaml"
DAY_OF = {code: dag for dag, code in BYDAY.items()}
AANMELDEN_OF = {text.casefold(): slug for slug, text in AANMELDEN.items()}
AREA_RE = re.compile(r"^(?P<kern>.+) \((?P<gemeente>[^()]+)\)$")
VOORBEELD_ALERT = "voorbeeld"
# service fields this import reads (or rebuilds itself, as the ids); anything else present is reported
READ = {
    "id", "organization_id", "name", "alternate_name", "description", "status", "application_process",
    "fees_description", "eligibility_description", "last_modified", "assured_date", "url", "email", "alert",
    "organization", "phones", "schedules", "service_at_locations", "languages", "service_areas", "attributes",
    "cost_options",
}  # fmt: skip
TABLES = (
    "organizations", "phones", "schedules", "service_at_locations", "locations", "addresses", "languages",
    "service_areas", "attributes", "taxonomy_terms", "cost_options",
)  # fmt: skip


class HsdsError(ValueError):
    """The input cannot be read as HSDS at all; the message says why, in Dutch."""


@dataclass
class TaxonomyMapping:
    """Taxonomy terms (code or name, any case) -> one of the 16 categories; from the editable YAML file."""

    terms: dict[str, str] = field(default_factory=dict)

    def category(self, term: Mapping[str, Any]) -> str | None:
        code, name = str(term.get("code") or ""), str(term.get("name") or "")
        if term.get("taxonomy") == TAXONOMY_NAME and code in CATEGORY_BY_SLUG:
            return code
        for key in (code, name):
            found = self.terms.get(key.casefold().strip())
            if found:
                return found
        by_label = {c.label.casefold(): c.slug for c in CATEGORY_BY_SLUG.values()}
        return (code if code in CATEGORY_BY_SLUG else None) or by_label.get(name.casefold())


def load_mapping(path: Path | None) -> tuple[TaxonomyMapping, list[str]]:
    """The mapping file (missing: only our own taxonomy maps); a term to an unknown category is reported."""
    if path is None or not path.is_file():
        return TaxonomyMapping(), []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms: dict[str, str] = {}
    problems: list[str] = []
    for term, category in (data.get("termen") or {}).items():
        if category not in CATEGORY_SLUGS:
            problems.append(f"{path.name}: '{term}' wijst naar '{category}'; dat is geen categorie")
            continue
        terms[str(term).casefold().strip()] = str(category)
    return TaxonomyMapping(terms), problems


# --- reading -------------------------------------------------------------------------------------------


def read_services(source: Path) -> list[dict[str, Any]]:
    """Services from a JSON file (a Page, a list, or one service), a folder of such files, or an HSDS
    tabular datapackage folder (datapackage.json with services.csv and the related tables)."""
    if source.is_dir():
        if (source / "datapackage.json").is_file() or (source / "services.csv").is_file():
            return read_datapackage(source)
        files = sorted(source.glob("*.json"))
        if not files:
            raise HsdsError(f"{source} heeft geen .json-bestanden en geen datapackage.json")
        return [s for path in files for s in read_services(path)]
    try:
        doc = json.loads(source.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HsdsError(f"{source.name} is geen geldige JSON ({exc})") from None
    if isinstance(doc, dict) and isinstance(doc.get("contents"), list):
        services = doc["contents"]
    elif isinstance(doc, list):
        services = doc
    elif isinstance(doc, dict) and "name" in doc:
        services = [doc]
    else:
        raise HsdsError(f"{source.name} heeft geen services: verwacht een pagina met 'contents' of een lijst")
    if not all(isinstance(s, dict) for s in services):
        raise HsdsError(f"{source.name}: elke service moet een JSON-object zijn")
    return services


def _rows(folder: Path, table: str) -> list[dict[str, Any]]:
    path = folder / f"{table}.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: v for k, v in row.items() if k and v not in ("", None)} for row in csv.DictReader(handle)]


def _number(value: Any) -> Any:
    try:
        return float(value) if isinstance(value, str) else value
    except ValueError:
        return value


def read_datapackage(folder: Path) -> list[dict[str, Any]]:
    """The tables of an HSDS datapackage joined into nested services, as the API returns them."""
    tables = {name: _rows(folder, name) for name in ("services", *TABLES)}
    if not tables["services"]:
        raise HsdsError(f"{folder} heeft geen services.csv (of die is leeg)")

    def by(table: str, key: str) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in tables[table]:
            out[str(row.get(key, ""))].append(row)
        return out

    organizations = {r["id"]: r for r in tables["organizations"] if "id" in r}
    terms = {r["id"]: r for r in tables["taxonomy_terms"] if "id" in r}
    locations = {r["id"]: r for r in tables["locations"] if "id" in r}
    addresses = by("addresses", "location_id")
    for location in locations.values():
        location["addresses"] = addresses.get(location["id"], [])
        for key in ("latitude", "longitude"):
            if key in location:
                location[key] = _number(location[key])
    related = {
        name: by(name, "service_id")
        for name in (
            "phones",
            "schedules",
            "service_at_locations",
            "languages",
            "service_areas",
            "cost_options",
        )
    }
    attributes = by("attributes", "link_id")
    services = []
    for row in tables["services"]:
        service: dict[str, Any] = dict(row)
        sid = str(row.get("id", ""))
        if row.get("organization_id") in organizations:
            service["organization"] = organizations[row["organization_id"]]
        for name, rows in related.items():
            service[name] = [dict(r) for r in rows.get(sid, [])]
        for link in service["service_at_locations"]:
            link["location"] = locations.get(link.get("location_id", ""), {})
        for cost in service["cost_options"]:
            if "amount" in cost:
                cost["amount"] = _number(cost["amount"])
        service["attributes"] = [
            {**a, "taxonomy_term": terms.get(a.get("taxonomy_term_id", ""), {})}
            for a in attributes.get(sid, [])
        ]
        services.append(service)
    return services


# --- one service -> one row in the CSV columns -----------------------------------------------------------


@dataclass
class Places:
    """Names in service_areas and addresses -> gemeente slug (and kern), from the gemeente files."""

    gemeente_by_name: dict[str, str]
    kern_by_name: dict[str, tuple[str, str]]

    @classmethod
    def of(cls, gemeenten: Mapping[str, GemeenteInfo]) -> Places:
        by_name = {info.naam.casefold(): slug for slug, info in gemeenten.items()}
        by_name.update({slug: slug for slug in gemeenten})
        kernen: dict[str, tuple[str, str]] = {}
        for slug, info in gemeenten.items():
            for kern in info.kernen:
                for name in (kern.naam, *kern.ook):
                    kernen.setdefault(name.casefold(), (slug, kern.naam))
        return cls(by_name, kernen)

    def locate(self, areas: list[str], city: str) -> tuple[str, list[str]]:
        """(gemeente or "", kernen) from the service's areas, then its address's city."""
        gemeente, kernen = "", []
        for area in areas:
            if area.casefold() in ("nederland", "landelijk"):
                return LANDELIJK, []
            match = AREA_RE.match(area)
            if match and match["gemeente"].casefold() in self.gemeente_by_name:
                gemeente = gemeente or self.gemeente_by_name[match["gemeente"].casefold()]
                kernen.append(match["kern"])
            elif area.casefold() in self.gemeente_by_name:
                gemeente = gemeente or self.gemeente_by_name[area.casefold()]
            elif area.casefold() in self.kern_by_name:
                slug, kern = self.kern_by_name[area.casefold()]
                gemeente = gemeente or slug
                kernen.append(kern)
        if not gemeente and city.casefold() in self.kern_by_name:
            gemeente = self.kern_by_name[city.casefold()][0]
        return gemeente, kernen


def _first(items: Any) -> dict[str, Any]:
    return items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _hours(schedules: list[dict[str, Any]], notes: list[str]) -> tuple[str, str]:
    """(openingstijden cell, notitie) from WEEKLY schedules; what does not fit is reported in notes."""
    tijden: list[str] = []
    notitie = ""
    for schedule in schedules:
        notitie = notitie or _text(schedule.get("notes"))
        opens, closes = _text(schedule.get("opens_at"))[:5], _text(schedule.get("closes_at"))[:5]
        byday = [d.strip() for d in _text(schedule.get("byday")).split(",") if d.strip()]
        if byday and opens and closes and _text(schedule.get("freq") or "WEEKLY").upper() == "WEEKLY":
            for code in byday:
                if code in DAY_OF:
                    tijden.append(f"{DAY_OF[code]} {opens}-{closes}")
                else:
                    notes.append(f"schedules: dag '{code}' ken ik niet")
        elif _text(schedule.get("description")):
            notitie = notitie or _text(schedule.get("description"))
        else:
            notes.append("schedules: een tijd zonder dagen of uren neem ik niet over")
    return "; ".join(tijden), notitie


def _kosten(service: Mapping[str, Any]) -> tuple[str, str]:
    cost = _first(service.get("cost_options"))
    fees = _text(service.get("fees_description"))
    amount = cost.get("amount")
    if amount == 0 or fees.casefold() == "gratis" or _text(cost.get("option")).casefold() == "gratis":
        return "gratis", ""
    if not cost and not fees:
        return "gratis", ""
    bedrag = _text(cost.get("amount_description")) or fees
    if not bedrag and isinstance(amount, int | float):
        bedrag = f"€ {amount:.2f}".replace(".", ",")
    return "eigen-bijdrage", bedrag


def _doelgroep(text: str, notes: list[str]) -> str:
    words = text.removeprefix("Voor:").strip()
    if not words:
        return "iedereen"
    found = []
    for part in (p.strip() for p in words.split(",")):
        slug = part.casefold().replace(" ", "-")
        if slug in DOELGROEPEN:
            found.append(slug)
        else:
            notes.append(f"eligibility_description: '{part}' is geen doelgroep; 'iedereen' gekozen")
    return "; ".join(found) or "iedereen"


def _keywords(titel: str, categorieen: list[str], kernen: list[str], area: str, organisatie: str) -> str:
    """Starting trefwoorden (the export has none): titel, category labels, kernen, gemeente, organisatie."""
    words = [titel.casefold()] + [CATEGORY_BY_SLUG[c].label.casefold() for c in categorieen]
    words += [k.casefold() for k in kernen] + [area.casefold(), organisatie.casefold()]
    words = [w.replace(";", ",") for w in words if w and len(w) <= TREFWOORD_MAX]
    return "; ".join(list(dict.fromkeys(words))[:TREFWOORDEN_MAX])


def service_row(
    service: Mapping[str, Any],
    mapping: TaxonomyMapping,
    places: Places,
    gemeenten: Mapping[str, GemeenteInfo],
    forced_gemeente: str | None,
    today: date,
) -> tuple[dict[str, str], list[str]]:
    """One service as a row in the CSV columns, and what could not be carried over (warnings)."""
    notes = [
        f"veld '{key}' neem ik niet over"
        for key, value in service.items()
        if key not in READ and value not in (None, "", [], {})
    ]
    name = _text(service.get("name"))
    description = _text(service.get("description"))
    samenvatting, _, body = description.partition("\n\n")
    if len(samenvatting) > 160 or not body:  # not our export: the first sentence, the rest as the text
        first = re.split(r"(?<=[.!?])\s+", description, maxsplit=1)[0]
        samenvatting, body = (first if len(first) <= 160 else ""), description
    categorieen: list[str] = []
    for attribute in service.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        category = mapping.category(term)
        if category is None:
            label = term.get("name") or term.get("code") or attribute.get("taxonomy_term_id")
            notes.append(f"attributes: term '{label}' staat niet in {MAPPING_FILE}; niet overgenomen")
        elif category not in categorieen:
            categorieen.append(category)
    link = _first(service.get("service_at_locations"))
    location = link.get("location") or {}
    if len(service.get("service_at_locations") or []) > 1:
        notes.append("service_at_locations: alleen de eerste plek neem ik over")
    address = _first(location.get("addresses"))
    areas = [_text(a.get("name")) for a in service.get("service_areas") or [] if isinstance(a, dict)]
    gemeente, kernen = places.locate(areas, _text(address.get("city")))
    if forced_gemeente:
        gemeente = forced_gemeente
    phones = [p for p in service.get("phones") or [] if isinstance(p, dict)]
    if len(phones) > 1:
        notes.append("phones: alleen het eerste nummer neem ik over")
    openingstijden, notitie = _hours(list(service.get("schedules") or []), notes)
    kosten, bedrag = _kosten(service)
    process = _text(service.get("application_process"))
    aanmelden = AANMELDEN_OF.get(process.casefold(), "")
    if process and not aanmelden:
        notes.append(f"application_process: '{process[:60]}' kan ik niet omzetten; 'aanmelden' gekozen")
    organisatie = _text((service.get("organization") or {}).get("name"))
    laatst = _text(service.get("assured_date")) or _text(service.get("last_modified"))[:10]
    if not laatst:
        laatst = today.isoformat()
        notes.append("last_modified ontbreekt; vandaag gekozen als laatst_gecontroleerd")
    virtual = location.get("location_type") == "virtual"
    info = gemeenten.get(gemeente)
    area = "Nederland" if gemeente == LANDELIJK else (info.naam if info else gemeente)
    row = {
        "slug": _text(service.get("alternate_name"))
        if re.fullmatch(r"[a-z0-9-]+", _text(service.get("alternate_name")))
        else "",
        "titel": name,
        "samenvatting": samenvatting,
        "categorieen": "; ".join(categorieen),
        "gemeente": gemeente,
        "kernen": "; ".join(kernen),
        "organisatie": organisatie,
        "adres": _text(address.get("address_1")),
        "postcode": _text(address.get("postal_code")),
        "plaats": _text(address.get("city")),
        "lat": "" if virtual else _text(location.get("latitude")),
        "lon": "" if virtual else _text(location.get("longitude")),
        "telefoon": _text(phones[0].get("number")) if phones else "",
        "email": _text(service.get("email")),
        "website": _text(service.get("url")) or (_text(location.get("url")) if virtual else ""),
        "openingstijden": openingstijden,
        "openingstijden_notitie": notitie,
        "kosten": kosten,
        "kosten_bedrag": bedrag,
        "aanmelden": aanmelden or "aanmelden",
        "doelgroep": _doelgroep(_text(service.get("eligibility_description")), notes),
        "talen": "; ".join(
            _text(lang.get("code")) for lang in service.get("languages") or [] if lang.get("code")
        ),
        "laatst_gecontroleerd": laatst,
        "voorbeeld": "ja" if _text(service.get("alert")).casefold().startswith(VOORBEELD_ALERT) else "nee",
        "trefwoorden": _keywords(name, categorieen, kernen, area, organisatie),
        "tekst": body,
    }
    return row, notes


# --- the import ------------------------------------------------------------------------------------------


@dataclass
class HsdsReport:
    plan: csv_import.ImportReport
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.plan.ok


def import_hsds(
    source: Path,
    content_dir: Path,
    *,
    mapping_file: Path | None = None,
    gemeente: str | None = None,
    dry_run: bool = False,
    replace: bool = False,
    today: date | None = None,
    checking: Progress | None = None,
    writing: Progress | None = None,
) -> HsdsReport:
    """Check every service as the CSV import checks a row; write all entries only when all are good.
    Each long step reports `(done, total)` to its own callback: `checking` the services, `writing` the
    files (reading the file and turning services into rows take well under a second at 10,000)."""
    today = today or date.today()
    root = Path(content_dir)
    services = read_services(source)
    mapping, mapping_problems = load_mapping(mapping_file or root / MAPPING_FILE)
    gemeenten = load_gemeenten(root, today)
    places = Places.of(gemeenten)
    rows: list[tuple[int, str, Mapping[str, Any]]] = []
    warnings: list[str] = []
    for number, service in enumerate(services, start=1):
        label = f"service {_text(service.get('id')) or number}"
        row, notes = service_row(service, mapping, places, gemeenten, gemeente, today)
        if not row["gemeente"]:
            row["gemeente"] = "onbekend"
        warnings += [f"{label}: {note}" for note in notes]
        rows.append((number, label, row))
    file_problems = list(mapping_problems)
    if not services:
        file_problems.append(f"{source.name} heeft geen services")
    plan = csv_import.plan_rows(rows, root, file_problems, replace=replace, today=today, progress=checking)
    for result in plan.rows:
        result.problems = [
            p.replace(
                "gemeente: 'onbekend' kan niet.",
                "gemeente: niet te vinden in service_areas of adres; gebruik --gemeente.",
            )
            for p in result.problems
        ]
    return HsdsReport(csv_import.write_report(plan, dry_run, writing), warnings)

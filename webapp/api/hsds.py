"""Open Referral HSDS 3.0: the entries as services, one page at a time (GET /api/v1/services) or all at
once (`flask content export --hsds`).

Every Entry becomes one fully nested HSDS 3.0 ``service`` (organization, service_at_locations with location
and address, phones, schedules, languages, service_areas, attributes with taxonomy_term, cost_options). Ids
are stable: uuid5 of the slug (and of slug + part for the nested objects), so the same entry keeps the same
ids across exports.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from ..content.models import Entry, GemeenteInfo
from ..content.taxonomy import AANMELDEN, CATEGORY_BY_SLUG, DAGEN, LANGUAGE_NAMES

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
        "last_modified": f"{entry.laatst_gecontroleerd.isoformat()}T00:00:00.000Z",
    }
    if not entry.voorbeeld:  # a demo entry was never checked with anyone: no assurance to claim
        out["assured_date"] = entry.laatst_gecontroleerd.isoformat()
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

"""Open Referral HSDS 3.0: a conformance test written from the specification, plus the API and export.

The required fields, property types and enums below are taken from the HSDS 3.0 JSON schema files
(openreferral/specification, schema/*.json): service requires id, name, status; organization id, name,
description; location id, location_type; address id, address_1, city, state_province, postal_code,
country, address_type; phone id, number; taxonomy_term id, name, description; taxonomy id, name,
description; schedule, language, service_area, attribute, cost_option and service_at_location id.
The list endpoint returns the Page object of the HSDS OpenAPI file (total_items, total_pages,
page_number, size, first_page, last_page, empty, contents).
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime
from typing import Any

import pytest

from webapp.api import hsds

S, N, A, D, B = "string", "number", "array", "object", "boolean"  # D: a JSON object (dict)
UUID_FIELDS = {
    "id",
    "service_id",
    "location_id",
    "organization_id",
    "taxonomy_term_id",
    "link_id",
    "taxonomy_id",
}

# object -> (required fields, {property: type}, {array or object property: the object it holds})
SPEC: dict[str, tuple[set[str], dict[str, str], dict[str, str]]] = {
    "service": (
        {"id", "name", "status"},
        {
            "id": S, "organization_id": S, "program_id": S, "name": S, "alternate_name": S, "description": S,
            "url": S, "email": S, "status": S, "interpretation_services": S, "application_process": S,
            "fees_description": S, "wait_time": S, "fees": S, "accreditations": S,
            "eligibility_description": S, "minimum_age": N, "maximum_age": N, "assured_date": S,
            "assurer_email": S, "licenses": S, "alert": S, "last_modified": S, "phones": A, "schedules": A,
            "service_areas": A, "service_at_locations": A, "languages": A, "organization": D, "funding": A,
            "cost_options": A, "program": D, "required_documents": A, "contacts": A, "attributes": A,
            "metadata": A,
        },
        {
            "organization": "organization", "phones": "phone", "schedules": "schedule",
            "service_areas": "service_area", "service_at_locations": "service_at_location",
            "languages": "language", "attributes": "attribute", "cost_options": "cost_option",
        },
    ),
    "organization": (
        {"id", "name", "description"},
        {
            "id": S, "name": S, "alternate_name": S, "description": S, "email": S, "website": S,
            "tax_status": S, "tax_id": S, "year_incorporated": N, "legal_status": S, "logo": S, "uri": S,
            "parent_organization_id": S,
        },
        {},
    ),
    "service_at_location": (
        {"id"},
        {
            "id": S, "service_id": S, "location_id": S, "description": S, "service_areas": A, "contacts": A,
            "phones": A, "schedules": A, "location": D, "attributes": A,
        },
        {"location": "location", "phones": "phone", "schedules": "schedule", "service_areas": "service_area"},
    ),
    "location": (
        {"id", "location_type"},
        {
            "id": S, "location_type": S, "url": S, "organization_id": S, "name": S, "alternate_name": S,
            "description": S, "transportation": S, "latitude": N, "longitude": N, "external_identifier": S,
            "external_identifier_type": S, "languages": A, "addresses": A, "contacts": A, "accessibility": A,
            "phones": A, "schedules": A, "attributes": A, "metadata": A,
        },
        {"addresses": "address", "languages": "language", "phones": "phone", "schedules": "schedule"},
    ),
    "address": (
        {"id", "address_1", "city", "state_province", "postal_code", "country", "address_type"},
        {
            "id": S, "location_id": S, "attention": S, "address_1": S, "address_2": S, "city": S, "region": S,
            "state_province": S, "postal_code": S, "country": S, "address_type": S,
        },
        {},
    ),
    "phone": (
        {"id", "number"},
        {
            "id": S, "location_id": S, "service_id": S, "organization_id": S, "contact_id": S,
            "service_at_location_id": S, "number": S, "extension": N, "type": S, "description": S,
            "languages": A,
        },
        {"languages": "language"},
    ),
    "schedule": (
        {"id"},
        {
            "id": S, "service_id": S, "location_id": S, "service_at_location_id": S, "valid_from": S,
            "valid_to": S, "dtstart": S, "timezone": N, "until": S, "count": N, "wkst": S, "freq": S,
            "interval": N, "byday": S, "byweekno": S, "bymonthday": S, "byyearday": S, "description": S,
            "opens_at": S, "closes_at": S, "schedule_link": S, "attending_type": S, "notes": S,
        },
        {},
    ),
    "language": (
        {"id"},
        {"id": S, "service_id": S, "location_id": S, "phone_id": S, "name": S, "code": S, "note": S},
        {},
    ),
    "service_area": (
        {"id"},
        {
            "id": S, "service_id": S, "service_at_location_id": S, "name": S, "description": S, "extent": S,
            "extent_type": S, "uri": S,
        },
        {},
    ),
    "attribute": (
        {"id"},
        {
            "id": S, "link_id": S, "taxonomy_term_id": S, "link_type": S, "link_entity": S, "value": S,
            "taxonomy_term": D, "label": S,
        },
        {"taxonomy_term": "taxonomy_term"},
    ),
    "taxonomy_term": (
        {"id", "name", "description"},
        {
            "id": S, "code": S, "name": S, "description": S, "parent_id": S, "taxonomy": S,
            "taxonomy_detail": D, "language": S, "taxonomy_id": S, "term_uri": S,
        },
        {"taxonomy_detail": "taxonomy"},
    ),
    "taxonomy": (
        {"id", "name", "description"},
        {"id": S, "name": S, "description": S, "uri": S, "version": S},
        {},
    ),
    "cost_option": (
        {"id"},
        {
            "id": S, "service_id": S, "valid_from": S, "valid_to": S, "option": S, "currency": S, "amount": N,
            "amount_description": S,
        },
        {},
    ),
}  # fmt: skip
ENUMS = {
    ("service", "status"): {"active", "inactive", "defunct", "temporarily closed"},
    ("location", "location_type"): {"physical", "postal", "virtual"},
    ("address", "address_type"): {"physical", "postal", "virtual"},
    ("schedule", "freq"): {"WEEKLY", "MONTHLY"},
}
PAGE_FIELDS = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
    "contents": list,
}


def _type_ok(value: Any, kind: str) -> bool:
    return {
        S: isinstance(value, str),
        N: isinstance(value, int | float) and not isinstance(value, bool),
        A: isinstance(value, list),
        D: isinstance(value, dict),
        B: isinstance(value, bool),
    }[kind]


def conformance_errors(obj: Any, kind: str, where: str, ids: dict[str, Any]) -> list[str]:
    """Every way obj breaks the HSDS 3.0 schema for `kind`; records each id for reference checks."""
    if not isinstance(obj, dict):
        return [f"{where}: {kind} must be an object"]
    required, props, nested = SPEC[kind]
    errors = [f"{where}: required field {f!r} missing" for f in sorted(required - obj.keys())]
    for key, value in obj.items():
        if key not in props:
            errors.append(f"{where}.{key}: not a property of {kind} in HSDS 3.0")
            continue
        if not _type_ok(value, props[key]):
            errors.append(f"{where}.{key}: must be {props[key]}, is {type(value).__name__}")
            continue
        if key in UUID_FIELDS:
            try:
                uuid.UUID(value)
            except ValueError:
                errors.append(f"{where}.{key}: {value!r} is not a uuid")
        if (kind, key) in ENUMS and value not in ENUMS[(kind, key)]:
            errors.append(f"{where}.{key}: {value!r} not in {sorted(ENUMS[(kind, key)])}")
        if key in nested:
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                errors += conformance_errors(item, nested[key], f"{where}.{key}[{i}]", ids)
    if "id" in obj:
        previous = ids.setdefault(obj["id"], obj)
        if previous is not obj and previous != obj:
            errors.append(f"{where}: id {obj['id']} is used for two different objects")
    return errors


def reference_errors(svc: dict[str, Any]) -> list[str]:
    """Every id reference inside one service must point at the object it names."""
    sid, errors = svc["id"], []

    def expect(cond: bool, message: str) -> None:
        if not cond:
            errors.append(f"{svc['name']}: {message}")

    expect(svc.get("organization_id") == svc["organization"]["id"], "organization_id != organization.id")
    for key in ("phones", "schedules", "languages", "service_areas", "cost_options"):
        for item in svc.get(key, []):
            expect(item.get("service_id") == sid, f"{key}[].service_id does not point at the service")
    for sal in svc.get("service_at_locations", []):
        location = sal["location"]
        expect(sal.get("service_id") == sid, "service_at_location.service_id != service.id")
        expect(sal.get("location_id") == location["id"], "service_at_location.location_id != location.id")
        expect(location.get("organization_id") == svc["organization"]["id"], "location.organization_id")
        for address in location.get("addresses", []):
            expect(address.get("location_id") == location["id"], "address.location_id != location.id")
        for language in location.get("languages", []):
            expect(language.get("location_id") == location["id"], "language.location_id != location.id")
    for attribute in svc.get("attributes", []):
        term = attribute["taxonomy_term"]
        expect(attribute.get("taxonomy_term_id") == term["id"], "attribute.taxonomy_term_id != term.id")
        expect(attribute.get("link_id") == sid, "attribute.link_id != service.id")
        expect(term.get("taxonomy_id") == term["taxonomy_detail"]["id"], "taxonomy_id != taxonomy_detail.id")
    return errors


def value_errors(svc: dict[str, Any]) -> list[str]:
    """Formats the schema describes in words: dates, date-times, RFC 5545 days, HH:MM times."""
    errors = []
    if "assured_date" in svc:  # only on entries that were checked: never on a demo entry
        date.fromisoformat(svc["assured_date"])
    datetime.fromisoformat(svc["last_modified"].replace("Z", "+00:00"))
    for schedule in svc.get("schedules", []):
        if "byday" in schedule and not re.fullmatch(
            r"(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*", schedule["byday"]
        ):
            errors.append(f"byday {schedule['byday']!r} is not RFC 5545")
        for key in ("opens_at", "closes_at"):
            if key in schedule and not re.fullmatch(r"\d\d:\d\d(:\d\d)?", schedule[key]):
                errors.append(f"{key} {schedule[key]!r} is not HH:MM")
    for address in (
        a for sal in svc.get("service_at_locations", []) for a in sal["location"].get("addresses", [])
    ):
        if not re.fullmatch(r"[A-Z]{2}", address["country"]):
            errors.append("country must be an ISO 3166-1 code")
    return errors


LANDELIJK = """\
---
titel: Hulplijn (voorbeeld)
samenvatting: Bel gratis als je ergens over wilt praten.
categorieen: [psychisch, eenzaamheid]
gemeente: landelijk
kernen: []
organisatie: Landelijke hulplijn (voorbeeld)
telefoon: 0800-0113
website: https://www.example.org
kosten: {soort: gratis, bedrag: ""}
aanmelden: bellen
doelgroep: [iedereen]
talen: [nl, en]
laatst_gecontroleerd: 2026-03-01
voorbeeld: true
trefwoorden: [praten, bellen, luisteren]
---
Je kunt dag en nacht bellen.

Een vrijwilliger luistert naar je. Je hoeft je naam niet te zeggen.
Je mag over alles praten: over zorgen, over verdriet of over een moeilijke dag.
Bellen is gratis. Je kunt ook chatten op de website. Wil je liever iemand in de buurt spreken?
Dan helpt de vrijwilliger je verder.
"""


TUESDAY = '    - {dag: dinsdag, open: "14:00", dicht: "16:00"}'


@pytest.fixture
def rich_content(content_dir, write_entry):
    write_entry(
        slug="oss-koffie",
        replace={
            "titel: Taalcafé in de bibliotheek": "titel: Koffie in de wijk",
            'telefoon: ""': "telefoon: 0412-123456",
            TUESDAY: TUESDAY + "\n" + TUESDAY.replace("dinsdag", "donderdag") + "\n"
            '    - {dag: zaterdag, open: "10:00", dicht: "12:00"}',
            '  soort: gratis\n  bedrag: ""': '  soort: eigen-bijdrage\n  bedrag: "€ 2,50 per keer"',
            "laatst_gecontroleerd: 2026-10-01": "laatst_gecontroleerd: 2026-05-01",
        },
    )
    (content_dir / "voorzieningen" / "landelijk").mkdir()
    (content_dir / "voorzieningen" / "landelijk" / "hulplijn.md").write_text(LANDELIJK, encoding="utf-8")
    return content_dir


def _all(client, **params) -> dict[str, Any]:
    response = client.get("/api/v1/services", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_every_service_conforms_to_hsds_3(app, rich_content):
    body = _all(app.test_client(), per_page=100)
    assert body["total_items"] == 3
    for key, kind in PAGE_FIELDS.items():
        assert isinstance(body[key], kind), key
    ids: dict[str, Any] = {}
    errors: list[str] = []
    for i, svc in enumerate(body["contents"]):
        errors += conformance_errors(svc, "service", f"contents[{i}]", ids)
        errors += reference_errors(svc)
        errors += value_errors(svc)
    assert errors == []


def test_service_content_and_stable_ids(app, rich_content):
    services = {s["alternate_name"]: s for s in _all(app.test_client(), per_page=100)["contents"]}
    koffie = services["oss-koffie"]
    assert koffie["id"] == str(uuid.uuid5(hsds.NAMESPACE, "oss-koffie")) == hsds.stable_id("oss-koffie")
    assert koffie["phones"][0]["number"] == "0412-123456"
    days = {s["byday"]: (s["opens_at"], s["closes_at"]) for s in koffie["schedules"]}
    assert days == {"TU,TH": ("14:00", "16:00"), "SA": ("10:00", "12:00")}
    assert koffie["cost_options"][0]["amount"] == 2.5 and koffie["fees_description"] == "€ 2,50 per keer"
    location = koffie["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "5341 AA" and location["latitude"] == 51.758
    terms = [a["taxonomy_term"] for a in koffie["attributes"]]
    assert [t["code"] for t in terms] == ["taal-digitaal", "nieuwkomers"]
    assert {t["taxonomy"] for t in terms} == {"dichtbij-categorieen"}
    assert koffie["last_modified"].startswith("2026-05-01")
    hulplijn = services["hulplijn"]
    assert hulplijn["service_at_locations"][0]["location"]["location_type"] == "virtual"
    assert hulplijn["service_areas"][0]["name"] == "Nederland"
    # organisations are shared by name: the two Oss entries have the same organisation id
    assert services["oss-taalcafe"]["organization"]["id"] == koffie["organization"]["id"]


def test_pagination(app, rich_content):
    client = app.test_client()
    first = _all(client, per_page=2)
    second = _all(client, per_page=2, page=2)
    assert (first["total_items"], first["total_pages"], first["size"]) == (3, 2, 2)
    assert first["first_page"] and not first["last_page"]
    assert second["size"] == 1 and second["last_page"] and not second["first_page"]
    slugs = [s["alternate_name"] for s in first["contents"] + second["contents"]]
    assert slugs == sorted(slugs) == ["hulplijn", "oss-koffie", "oss-taalcafe"]
    beyond = _all(client, per_page=2, page=9)
    assert beyond["empty"] and beyond["contents"] == []


def test_modified_after_filters_on_laatst_gecontroleerd(app, rich_content):
    client = app.test_client()
    names = [s["alternate_name"] for s in _all(client, modified_after="2026-05-01")["contents"]]
    assert names == ["oss-koffie", "oss-taalcafe"]  # on or after; hulplijn is from 2026-03-01
    assert _all(client, modified_after="2026-10-02")["total_items"] == 0
    assert _all(client, modified_after="2026-05-01T12:00:00Z")["total_items"] == 2


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "0"}, "'page' must be at least 1"),
        ({"page": "twee"}, "'page' must be a whole number"),
        ({"per_page": "101"}, "'per_page' must be between 1 and 100"),
        ({"per_page": "0"}, "'per_page' must be between 1 and 100"),
        ({"modified_after": "gisteren"}, "'modified_after' must be a date like 2026-01-31"),
    ],
)
def test_bad_parameters_are_400(app, params, message):
    response = app.test_client().get("/api/v1/services", query_string=params)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_export_writes_all_services_as_one_document(app, runner, rich_content, tmp_path):
    out = tmp_path / "hsds.json"
    result = runner.invoke(args=["content", "export", "--hsds", "--output", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["hsds_version"] == "3.0" and doc["total_items"] == 3 and doc["total_pages"] == 1
    assert doc["contents"] == _all(app.test_client(), per_page=100)["contents"]
    printed = runner.invoke(args=["content", "export", "--hsds"])
    assert json.loads(printed.output)["total_items"] == 3


def test_export_needs_a_format(runner):
    result = runner.invoke(args=["content", "export"])
    assert result.exit_code == 2


def test_a_demo_entry_claims_no_check_in_the_export(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        from webapp.api.hsds import export_document
        from webapp.catalog import content_service

        catalog = content_service().catalog
        document = export_document(list(catalog.entries.values()), catalog.gemeenten)
    for svc in document["contents"]:
        entry = catalog.entries[svc["alternate_name"]]
        assert ("assured_date" in svc) is (not entry.voorbeeld), entry.slug

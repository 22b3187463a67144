"""`flask content import --hsds`: services in, through the CSV import's checks; export -> import -> export
gives the same services on all demo content; what cannot be carried over is reported."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from webapp.api import hsds
from webapp.api.hsds_import import MAPPING_FILE, import_hsds, read_services
from webapp.content import load_content
from webapp.content.writer import yaml_scalar

from ..conftest import ROOT


@pytest.fixture(scope="module")
def demo_export() -> dict:
    content = load_content(ROOT / "content")
    assert content.ok
    return hsds.export_document(content.entries, content.gemeenten)


@pytest.fixture
def empty_folder(tmp_path: Path) -> Path:
    """The demo gemeenten and mapping file, no voorzieningen yet."""
    root = tmp_path / "import" / "content"
    shutil.copytree(ROOT / "content" / "gemeenten", root / "gemeenten")
    shutil.copy(ROOT / "content" / MAPPING_FILE, root / MAPPING_FILE)
    (root / "voorzieningen").mkdir()
    return root


def _write(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "services.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_round_trip_on_all_demo_content(demo_export, empty_folder, tmp_path):
    report = import_hsds(_write(tmp_path, demo_export), empty_folder)
    assert report.ok, report.plan.messages()[:5]
    assert report.warnings == []
    assert len(report.plan.written) == demo_export["total_items"] >= 150
    content = load_content(empty_folder)
    assert content.ok, [str(p) for p in content.errors][:5]
    again = hsds.export_document(content.entries, content.gemeenten)
    assert again == demo_export


def test_the_cli_imports_all_or_nothing_with_messages_by_id_and_field(
    runner, demo_export, empty_folder, tmp_path
):
    services = [dict(s) for s in demo_export["contents"][:20]]
    services[3] = {**services[3], "attributes": []}
    services[7] = {**services[7], "last_modified": "gisteren"}
    path = _write(tmp_path, {"contents": services})
    result = runner.invoke(args=["content", "import", "--hsds", str(path), "--dir", str(empty_folder)])
    assert result.exit_code == 1
    assert f"service {services[3]['id']}: categorieen: dit veld is verplicht en ontbreekt" in result.output
    assert f"service {services[7]['id']}: laatst_gecontroleerd: 'gisteren' is geen datum" in result.output
    assert "20 services gelezen, 2 services met fouten. Er is niets geschreven." in result.output
    assert list((empty_folder / "voorzieningen").rglob("*.md")) == []
    dry = runner.invoke(
        args=[
            "content",
            "import",
            "--hsds",
            str(_write(tmp_path, services[:3])),
            "--dir",
            str(empty_folder),
            "--dry-run",
        ]
    )
    assert dry.exit_code == 0, dry.output
    assert "3 services gelezen, alle services in orde. Niets geschreven (--dry-run)." in dry.output
    assert list((empty_folder / "voorzieningen").rglob("*.md")) == []


def test_unmappable_fields_and_terms_are_reported_not_dropped(demo_export, empty_folder, tmp_path):
    service = dict(demo_export["contents"][0])
    service["alternate_name"] = "Geen slug"
    service["funding"] = "Gemeente"
    service["phones"] = [*service["phones"], {"id": "x", "number": "0412-000000"}] if service["phones"] else [
        {"id": "a", "number": "0412-111111"}, {"id": "b", "number": "0412-000000"}
    ]  # fmt: skip
    service["attributes"] = [
        *service["attributes"],
        {"taxonomy_term": {"code": "10001", "name": "Food Pantry", "taxonomy": "open-eligibility"}},
        {"taxonomy_term": {"code": "x", "name": "Food", "taxonomy": "open-eligibility"}},
    ]
    report = import_hsds(_write(tmp_path, [service]), empty_folder, dry_run=True)
    assert report.ok, report.plan.messages()
    label = f"service {service['id']}"
    assert f"{label}: veld 'funding' neem ik niet over" in report.warnings
    assert f"{label}: phones: alleen het eerste nummer neem ik over" in report.warnings
    assert (
        f"{label}: attributes: term 'Food Pantry' staat niet in {MAPPING_FILE}; niet overgenomen"
        in report.warnings
    )
    assert "categorieen: [" in report.plan.rows[0].text and "boodschappen-vervoer" in report.plan.rows[0].text


def test_a_datapackage_folder_is_read_as_nested_services(demo_export, empty_folder, tmp_path):
    """A minimal HSDS tabular datapackage: services.csv with its organization, phone, area and term."""
    service = next(s for s in demo_export["contents"] if s["phones"] and s["service_areas"])
    package = tmp_path / "pakket"
    package.mkdir()
    (package / "datapackage.json").write_text('{"name": "test", "resources": []}', encoding="utf-8")
    tables = {
        "services": [{k: service[k] for k in ("id", "organization_id", "name", "description", "last_modified",
                                               "application_process", "eligibility_description", "alert")
                      if k in service}],
        "organizations": [{"id": service["organization"]["id"], "name": service["organization"]["name"]}],
        "phones": [{"id": "p1", "service_id": service["id"], "number": service["phones"][0]["number"]}],
        "service_areas": [{"id": a["id"], "service_id": service["id"], "name": a["name"]}
                          for a in service["service_areas"]],
        "attributes": [{"id": a["id"], "link_id": service["id"], "taxonomy_term_id": a["taxonomy_term_id"]}
                       for a in service["attributes"]],
        "taxonomy_terms": [{k: a["taxonomy_term"][k] for k in ("id", "code", "name", "taxonomy")}
                           for a in service["attributes"]],
    }  # fmt: skip
    for name, rows in tables.items():
        with (package / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    [read] = read_services(package)
    assert read["organization"]["name"] == service["organization"]["name"]
    assert read["phones"][0]["number"] == service["phones"][0]["number"]
    report = import_hsds(package, empty_folder, dry_run=True)
    assert report.ok, report.plan.messages()
    text = report.plan.rows[0].text
    assert f"telefoon: {yaml_scalar(service['phones'][0]['number'])}\n" in text
    assert f"organisatie: {yaml_scalar(service['organization']['name'])}\n" in text


def test_a_file_that_is_not_hsds_says_so(runner, tmp_path, empty_folder):
    path = tmp_path / "x.json"
    path.write_text('{"hallo": 1}', encoding="utf-8")
    result = runner.invoke(args=["content", "import", "--hsds", str(path), "--dir", str(empty_folder)])
    assert result.exit_code == 1
    assert (
        "x.json heeft geen services: verwacht een pagina met 'contents' of een lijst. Er is niets geschreven."
        in result.output
    )


@pytest.mark.parametrize("dry_run", [False, True])
def test_the_import_reports_services_checked_and_files_written(demo_export, empty_folder, tmp_path, dry_run):
    checked: list[tuple[int, int]] = []
    written: list[tuple[int, int]] = []
    report = import_hsds(
        _write(tmp_path, demo_export["contents"][:6]),
        empty_folder,
        dry_run=dry_run,
        checking=lambda done, total: checked.append((done, total)),
        writing=lambda done, total: written.append((done, total)),
    )
    assert report.ok, report.plan.messages()[:3]
    assert checked == [(done, 6) for done in range(7)]
    assert written == ([] if dry_run else [(done, 6) for done in range(7)])
    assert len(list((empty_folder / "voorzieningen").rglob("*.md"))) == (0 if dry_run else 6)

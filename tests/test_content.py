"""The validator: every kind of broken file is reported with file, field and a plain message."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from webapp.content import load_content

from .conftest import ENTRY_BODY, ROOT, gemeente_text

TODAY = date(2026, 11, 23)


def problems_for(content_dir: Path) -> list[str]:
    return [str(p) for p in load_content(content_dir, today=TODAY).errors]


def test_valid_folder_loads_everything(content_dir):
    content = load_content(content_dir, today=TODAY)
    assert content.errors == []
    assert [e.slug for e in content.entries] == ["oss-taalcafe"]
    entry = content.entries[0]
    assert entry.categorieen == ("taal-digitaal", "nieuwkomers")
    assert entry.openingstijden.tijden[0].open == "14:00"
    assert entry.kosten.gratis
    assert set(content.gemeenten) == {"oss", "maashorst", "meierijstad", "oirschot", "geertruidenberg"}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "categorieen: [taal-digitaal, nieuwkomers]",
            "categorieen: [taal]",
            "oss-taalcafe.md:4: categorieen: 'taal' bestaat niet. Kies uit ontmoeting",
        ),
        ("titel: Taalcafé in de bibliotheek\n", "", "titel: dit veld is verplicht en ontbreekt"),
        ("voorbeeld: true", "voorbeeld: true\nkleur: rood", "kleur: dit veld bestaat niet"),
        ("voorbeeld: true", "voorbeeld: ja graag", "voorbeeld: moet true of false zijn"),
        ("laatst_gecontroleerd: 2026-10-01", "laatst_gecontroleerd: 2026-13-01", "is geen datum"),
        ("laatst_gecontroleerd: 2026-10-01", "laatst_gecontroleerd: 2027-01-01", "ligt in de toekomst"),
        ("lat: 51.758\nlon: 5.540", "lat: 52.37\nlon: 4.89", "lat: het punt (52.37, 4.89) ligt"),
        ("lat: 51.758", "lat: hier", "lat: moet een getal zijn"),
        ("lon: 5.540\n", "", "lon: geef lat en lon allebei"),
        (
            "samenvatting: Oefen Nederlands praten met andere mensen.",
            "samenvatting: " + "Heel lang. " * 20,
            "samenvatting: is te lang: 219 tekens, maximaal 160",
        ),
        (
            "kernen: [Oss]",
            "kernen: [Amsterdam]",
            "kernen: 'Amsterdam' is geen kern van Oss. Kies uit Berghem, Oss",
        ),
        (
            "wijk: de Ruwaard",
            "wijk: Centrum",
            "wijk: 'Centrum' is geen wijk van Oss (Oss). Kies uit de Ruwaard",
        ),
        ('open: "14:00"', "open: 14:00", 'zet de tijd tussen aanhalingstekens, zoals "09:00"'),
        ('dicht: "16:00"', 'dicht: "13:00"', "'dicht' (13:00) moet later zijn dan 'open' (14:00)"),
        ("soort: gratis", "soort: duur", "kosten: 'duur' kan niet. Kies uit gratis, eigen-bijdrage"),
        ("aanmelden: binnenlopen", "aanmelden: misschien", "aanmelden: 'misschien' kan niet"),
        ('telefoon: ""', "telefoon: bel maar", "telefoon: 'bel maar' is geen telefoonnummer"),
        ("trefwoorden: [nederlands leren, taal oefenen, praten]", "trefwoorden: taal", "moet een lijst zijn"),
        ("gemeente: oss", "gemeente: uden", "gemeente: 'uden' kan niet. Kies uit geertruidenberg, maashorst"),
        ("gemeente: oss", "gemeente: oirschot", "gemeente: 'oirschot' past niet bij de map 'oss'"),
        ("doelgroep: [nieuwkomers, volwassenen]", "doelgroep: [katten]", "doelgroep: 'katten' bestaat niet"),
        ("talen: [nl, en]", "talen: [nederlands]", "talen: 'nederlands' is geen taalcode"),
        ("postcode: 5341 AA", "postcode: 12345", "postcode: '12345' is geen postcode"),
        (ENTRY_BODY, "", "tekst: onder de velden hoort een korte uitleg"),
        (ENTRY_BODY, "Kom langs.\n", "oss-taalcafe.md:30: tekst: is te kort: 2 woorden, minstens 40."),
        (
            ENTRY_BODY,
            "Schrijf hier in gewone taal wat je hier kunt doen.\n" + ENTRY_BODY,
            "oss-taalcafe.md:30: tekst: dit is nog voorbeeldtekst; vervang hem door je eigen uitleg",
        ),
        (
            "samenvatting: Oefen Nederlands praten met andere mensen.",
            "samenvatting: Schrijf hier in één zin wat je er kunt doen.",
            "oss-taalcafe.md:3: samenvatting: dit is nog de voorbeeldzin",
        ),
        ("titel: Taalcafé", "titel: [Taalcafé", ":2: bestand: een lijst tussen [ en ] is niet afgesloten"),
    ],
)
def test_each_kind_of_broken_entry_is_reported(write_entry, content_dir, old, new, expected):
    write_entry(replace={old: new})
    problems = problems_for(content_dir)
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("content/voorzieningen/oss/oss-taalcafe.md") for p in problems)


def test_all_problems_in_a_file_are_reported_at_once(write_entry, content_dir):
    write_entry(
        replace={"categorieen: [taal-digitaal, nieuwkomers]": "categorieen: [taal]", "lat: 51.758": "lat: x"}
    )
    fields = sorted(p.split(": ")[1] for p in problems_for(content_dir))
    assert fields == ["categorieen", "lat"]


def test_broken_file_does_not_stop_the_rest(write_entry, content_dir):
    write_entry(slug="oss-kapot", replace={"titel: Taalcafé": "titel: [Taalcafé"})
    content = load_content(content_dir, today=TODAY)
    assert [e.slug for e in content.entries] == ["oss-taalcafe"]
    assert len(content.errors) == 1


def test_duplicate_slug_in_another_gemeente_is_an_error(write_entry, content_dir):
    write_entry(
        folder="maashorst",
        replace={
            "gemeente: oss": "gemeente: maashorst",
            "kernen: [Oss]": "kernen: []",
            "wijk: de Ruwaard\n": "",
            "lat: 51.758\nlon: 5.540\n": "",
        },
    )
    problems = problems_for(content_dir)
    assert any(
        "oss/oss-taalcafe.md:1: bestandsnaam: 'oss-taalcafe' bestaat al in content/voorzieningen/maashorst"
        in p
        for p in problems
    ), problems


def test_file_outside_a_gemeente_folder_is_an_error(write_entry, content_dir):
    write_entry(folder="uden")
    assert any(
        "voorzieningen/uden/oss-taalcafe.md: map: zet het bestand in" in p for p in problems_for(content_dir)
    )


def test_missing_front_matter_is_an_error(content_dir):
    (content_dir / "voorzieningen" / "oss" / "oss-leeg.md").write_text("Alleen tekst.\n", encoding="utf-8")
    assert any(
        "oss-leeg.md:1: bestand: het bestand moet beginnen met" in p for p in problems_for(content_dir)
    )


def test_missing_gemeente_file_is_reported(write_entry, content_dir):
    write_entry(slug="oirschot-taalcafe", folder="oirschot", replace={"gemeente: oss": "gemeente: oirschot"})
    (content_dir / "gemeenten" / "oirschot.md").unlink()
    problems = problems_for(content_dir)
    assert "content/gemeenten/oirschot.md: bestand: ontbreekt voor deze gemeente" in problems
    assert any("voorzieningen/oirschot/oirschot-taalcafe.md: map: zet het bestand in" in p for p in problems)


def test_a_gemeente_is_added_by_adding_its_file(write_entry, content_dir):
    """No list in the code: a file in gemeenten/ is a gemeente, and its folder of entries loads."""
    (content_dir / "gemeenten" / "bernheze.md").write_text(gemeente_text("Heesch", 51.758, 5.540))
    bernheze = {
        "gemeente: oss": "gemeente: bernheze",
        "kernen: [Oss]": "kernen: [Heesch]",
        "wijk: de Ruwaard\n": "",
    }
    write_entry(slug="bernheze-taalcafe", folder="bernheze", replace=bernheze)
    content = load_content(content_dir, today=TODAY)
    assert content.ok, [str(p) for p in content.problems]
    assert "bernheze" in content.gemeenten
    assert {e.slug: e.gemeente for e in content.entries}["bernheze-taalcafe"] == "bernheze"


def test_a_gemeente_without_a_file_is_no_gemeente(write_entry, content_dir):
    write_entry(slug="bernheze-taalcafe", folder="bernheze", replace={"gemeente: oss": "gemeente: bernheze"})
    problems = problems_for(content_dir)
    assert "content/gemeenten/bernheze.md: bestand: ontbreekt voor deze gemeente" in problems
    assert not [p for p in problems if "bernheze-taalcafe.md:" in p and "gemeente:" in p]  # one message


def test_other_names_of_a_gemeente_are_read(content_dir):
    path = content_dir / "gemeenten" / "oirschot.md"
    path.write_text(path.read_text().replace("naam: Oirschot\n", "naam: Oirschot\nook: [Oirschot-Beers]\n"))
    assert load_content(content_dir, today=TODAY).gemeenten["oirschot"].ook == ("Oirschot-Beers",)


def test_broken_gemeente_file_names_the_field(content_dir):
    path = content_dir / "gemeenten" / "oss.md"
    path.write_text(path.read_text().replace("lat: 51.765", "lat: noord"), encoding="utf-8")
    assert any(
        "content/gemeenten/oss.md" in p and "kernen[1]: moet een getal zijn" in p
        for p in problems_for(content_dir)
    )


def test_landelijk_entry_has_no_kernen_or_address(write_entry, content_dir):
    write_entry(slug="landelijke-lijn", folder="landelijk", replace={"gemeente: oss": "gemeente: landelijk"})
    problems = problems_for(content_dir)
    assert any(
        "landelijke-lijn.md" in p and "kernen: een landelijke voorziening heeft geen kernen" in p
        for p in problems
    )


def test_the_real_content_folder_validates():
    content = load_content(ROOT / "content")
    assert [str(p) for p in content.errors] == []
    assert len(content.entries) >= 150

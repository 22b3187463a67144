"""The editors' loop: `content check` on one file or gemeente, errors first, Dutch YAML messages with the
right line, near-miss hints and times written as 9.30."""

from __future__ import annotations

import pytest

from webapp.content import load_content

LONG = (
    "Wil je beter Nederlands praten en ook andere mensen uit de buurt leren kennen in een gezellige omgeving?"
)


def _broken_and_long(write_entry):
    write_entry(slug="oss-lang", replace={"Wil je beter Nederlands praten?": LONG})
    write_entry(slug="oss-kapot", replace={"aanmelden: binnenlopen": "aanmelden: zomaar"})


def test_errors_come_before_warnings(runner, write_entry):
    _broken_and_long(write_entry)
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    error = next(i for i, line in enumerate(lines) if "oss-kapot.md" in line)
    warning = next(i for i, line in enumerate(lines) if "oss-lang.md" in line)
    assert lines[0].startswith("Fouten") and error < warning
    assert lines[warning - 1].startswith("Waarschuwingen")


def test_check_one_file_shows_only_that_file(runner, write_entry):
    _broken_and_long(write_entry)
    result = runner.invoke(args=["content", "check", "oss-lang"])
    assert result.exit_code == 0, result.output
    assert "oss-kapot" not in result.output
    assert "oss-lang.md:30: tekst: zin van 18 woorden" in result.output
    assert "1 bestanden gelezen, 1 voorzieningen in orde, 0 fouten, 1 B1-waarschuwing" in result.output


def test_check_one_gemeente(runner, write_entry, content_dir):
    _broken_and_long(write_entry)
    write_entry(slug="berghem-ander", folder="maashorst", replace={"gemeente: oss": "gemeente: oss"})
    maashorst = runner.invoke(args=["content", "check", "maashorst"])
    assert "berghem-ander.md" in maashorst.output and "oss-kapot" not in maashorst.output
    oss = runner.invoke(args=["content", "check", "oss", "--dir", str(content_dir)])
    assert oss.exit_code == 1 and "oss-kapot.md" in oss.output and "berghem-ander" not in oss.output
    assert "4 bestanden gelezen" in oss.output  # gemeenten/oss.md and the three entries in oss/


def test_check_an_unknown_target_says_what_is_possible(runner):
    result = runner.invoke(args=["content", "check", "os"])
    assert result.exit_code == 2
    assert "'os' is geen bestand, geen map en geen gemeente. Bedoel je oss?" in result.output


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "titel: Taalcafé in de bibliotheek",
            "titel: Taalcafé: praten in de bibliotheek",
            ":2: bestand: er staat een dubbele punt (:) waar die niet kan. Staat er een : in je tekst? "
            'Zet de tekst dan tussen aanhalingstekens, zoals titel: "Hulp: thuis".',
        ),
        (
            "  soort: gratis",
            "\tsoort: gratis",
            ":20: bestand: er staat een tab op deze regel; spring in met spaties, niet met de Tab-toets",
        ),
        (
            "kernen: [Oss]",
            "kernen: [Oss",
            ":6: bestand: een lijst tussen [ en ] is niet afgesloten",
        ),
        (
            "organisatie: Bibliotheek (voorbeeld)",
            'organisatie: "Bibliotheek (voorbeeld)',
            ":8: bestand: een tekst tussen aanhalingstekens wordt niet afgesloten",
        ),
    ],
)
def test_yaml_errors_are_dutch_with_advice_and_the_right_line(write_entry, content_dir, old, new, expected):
    write_entry(replace={old: new})
    errors = [str(p) for p in load_content(content_dir).errors]
    assert len(errors) == 1 and expected in errors[0], errors


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("categorieen: [taal-digitaal, nieuwkomers]", "categorieen: [ontmoetng]", "Bedoel je ontmoeting?"),
        ("categorieen: [taal-digitaal, nieuwkomers]", "categorieen: [Ontmoeting]", "Bedoel je ontmoeting?"),
        ("gemeente: oss", "gemeente: Oss", "gemeente: 'Oss' kan niet. Bedoel je oss?"),
        ("kernen: [Oss]", "kernen: [Berchem]", "kernen: 'Berchem' is geen kern van Oss. Bedoel je Berghem?"),
        (
            "kernen: [Oss]",
            "kernen: [de Ruwaard]",
            "kernen: 'de Ruwaard' is een wijk van Oss, geen kern. Schrijf kernen: [Oss] en wijk: de Ruwaard",
        ),
        (
            "wijk: de Ruwaard",
            "wijk: De Ruwaard",
            "wijk: 'De Ruwaard' is geen wijk van Oss (Oss). Bedoel je de Ruwaard?",
        ),
    ],
)
def test_near_misses_get_a_hint(write_entry, content_dir, old, new, expected):
    write_entry(replace={old: new})
    errors = [str(p) for p in load_content(content_dir).errors]
    assert any(expected in e for e in errors), errors


def test_times_with_a_dot_are_read_as_in_the_csv_import(write_entry, content_dir):
    tuesday = '    - {dag: dinsdag, open: "14:00", dicht: "16:00"}'
    write_entry(replace={tuesday: '    - {dag: dinsdag, open: 9.30, dicht: "12.15"}'})
    content = load_content(content_dir)
    assert content.ok, [str(p) for p in content.problems]
    opening = content.entries[0].openingstijden.tijden[0]
    assert (opening.open, opening.dicht) == ("09:30", "12:15")

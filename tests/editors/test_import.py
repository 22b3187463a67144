"""`flask content import --csv`: every row checked with the schema; all or nothing; atomic."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from webapp.content import csv_import, load_content, loader

COLUMNS = list(csv_import.CSV_COLUMNS)
GOOD = {
    "titel": "Wandelen in Berghem",
    "samenvatting": "Wandel elke week een uur met buren.",
    "categorieen": "bewegen-gezond; ontmoeting",
    "gemeente": "oss",
    "kernen": "Berghem",
    "organisatie": "ONS welzijn",
    "lat": "51,770",
    "lon": "5.570",
    "openingstijden": "maandag 9:30-10:30; donderdag 14:00-15:00",
    "openingstijden_notitie": "Bij onweer niet.",
    "kosten": "gratis",
    "aanmelden": "binnenlopen",
    "doelgroep": "ouderen; volwassenen",
    "laatst_gecontroleerd": "2026-09-01",
    "voorbeeld": "ja",
    "trefwoorden": "wandelen; bewegen; buiten",
    "tekst": (
        "Je wandelt samen een uur.\nDaarna drink je koffie.\n\n"
        "We lopen rustig, dus je hoeft niet snel te zijn. Een vrijwilliger loopt mee en kent de weg.\n"
        "Heb je een rollator? Dan kies je de korte ronde. Trek goede schoenen aan.\n"
        "Je hoeft je niet aan te melden. Kom gewoon naar het dorpshuis."
    ),
}


def _csv(rows: list[dict[str, str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "import.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _files(content_dir: Path) -> set[str]:
    return {p.name for p in (content_dir / "voorzieningen").rglob("*")}


def test_import_writes_valid_entries(runner, content_dir, tmp_path):
    second = GOOD | {"titel": "Koffie in de wijk", "kernen": "", "lat": "", "lon": "", "openingstijden": ""}
    path = _write(tmp_path, _csv([GOOD, second]))
    result = runner.invoke(args=["content", "import", "--csv", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 rijen gelezen, 2 bestanden geschreven." in result.output
    content = load_content(content_dir)
    assert content.ok, [str(p) for p in content.problems]
    entry = next(e for e in content.entries if e.slug == "berghem-wandelen-in-berghem")
    assert entry.categorieen == ("bewegen-gezond", "ontmoeting") and entry.lat == 51.77
    assert [(o.dag, o.open, o.dicht) for o in entry.openingstijden.tijden] == [
        ("maandag", "09:30", "10:30"),
        ("donderdag", "14:00", "15:00"),
    ]
    assert entry.voorbeeld is True and entry.body.startswith("Je wandelt samen een uur.")
    assert any(e.slug == "oss-koffie-in-de-wijk" for e in content.entries)
    assert not list((content_dir / "voorzieningen").rglob("*.tmp"))


def test_import_semicolon_delimited_file(runner, content_dir, tmp_path):
    path = _write(tmp_path, _csv([GOOD], delimiter=";"))
    result = runner.invoke(args=["content", "import", "--csv", str(path)])
    assert result.exit_code == 0, result.output


def test_one_bad_row_means_nothing_is_written(runner, content_dir, tmp_path):
    rows = [GOOD | {"titel": f"Wandelen {i}"} for i in range(12)]
    rows[3] = rows[3] | {"lat": "veel"}  # spreadsheet row 5
    rows[7] = rows[7] | {"categorieen": "wandelen", "openingstijden": "maandag ochtend"}  # row 9
    before = _files(content_dir)
    result = runner.invoke(args=["content", "import", "--csv", str(_write(tmp_path, _csv(rows)))])
    assert result.exit_code == 1
    assert "rij 5: lat: moet een getal zijn" in result.output
    assert "rij 9: categorieen: 'wandelen' bestaat niet" in result.output
    assert "rij 9: openingstijden: 'maandag ochtend' kan ik niet lezen" in result.output
    assert "12 rijen gelezen, 2 rijen met fouten. Er is niets geschreven." in result.output
    assert _files(content_dir) == before


def test_dry_run_writes_nothing(runner, content_dir, tmp_path):
    before = _files(content_dir)
    result = runner.invoke(
        args=["content", "import", "--csv", str(_write(tmp_path, _csv([GOOD]))), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "alle rijen in orde" in result.output
    assert _files(content_dir) == before


def test_existing_file_needs_replace(runner, content_dir, tmp_path):
    row = GOOD | {"slug": "oss-taalcafe", "titel": "Taalcafé nieuw", "kernen": "Oss", "lat": "", "lon": ""}
    path = _write(tmp_path, _csv([row]))
    result = runner.invoke(args=["content", "import", "--csv", str(path)])
    assert result.exit_code == 1
    assert "rij 2: slug: oss-taalcafe.md bestaat al; gebruik --replace" in result.output
    result = runner.invoke(args=["content", "import", "--csv", str(path), "--replace"])
    assert result.exit_code == 0, result.output
    entry = next(e for e in load_content(content_dir).entries if e.slug == "oss-taalcafe")
    assert entry.titel == "Taalcafé nieuw"


def test_duplicate_slugs_unknown_columns_and_bad_values(runner, content_dir, tmp_path):
    text = _csv([GOOD, GOOD | {"voorbeeld": "misschien", "laatst_gecontroleerd": "1 mei"}])
    text = text.replace("tekst\r\n", "tekst,extra\r\n", 1)
    result = runner.invoke(args=["content", "import", "--csv", str(_write(tmp_path, text))])
    assert result.exit_code == 1
    assert "kolom 'extra' bestaat niet" in result.output
    assert "rij 3: slug: 'berghem-wandelen-in-berghem' staat ook in rij 2" in result.output
    assert "rij 3: voorbeeld: 'misschien' kan niet; schrijf ja of nee" in result.output
    assert "rij 3: laatst_gecontroleerd: '1 mei' is geen datum" in result.output


def test_import_function_is_all_or_nothing(content_dir):
    bad = GOOD | {"titel": "Ander", "gemeente": "amsterdam"}
    report = csv_import.import_csv(_csv([GOOD, bad]), content_dir)
    assert not report.ok and report.written == []
    assert [r.row for r in report.bad_rows] == [3]
    assert any("rij 3: gemeente: 'amsterdam' kan niet" in m for m in report.messages())


def test_rows_are_checked_without_reading_every_entry_file(content_dir, monkeypatch):
    assert loader.load_gemeenten(content_dir) == load_content(content_dir).gemeenten

    def read_entries(*args: object) -> None:
        raise AssertionError("the import read every entry file")

    monkeypatch.setattr(loader, "_load_entries", read_entries)
    report = csv_import.import_csv(_csv([GOOD]), content_dir, dry_run=True)
    assert report.ok and [r.slug for r in report.rows] == ["berghem-wandelen-in-berghem"]


def _counts() -> tuple[list[tuple[int, int]], Callable[[int, int], None]]:
    """A progress callback and the (done, total) pairs it was called with."""
    seen: list[tuple[int, int]] = []
    return seen, lambda done, total: seen.append((done, total))


@pytest.mark.parametrize("dry_run", [False, True])
def test_the_import_reports_rows_checked_and_files_written(content_dir, dry_run):
    rows = [GOOD | {"titel": f"Wandelen in groep {i}"} for i in range(4)]
    checked, checking = _counts()
    written, writing = _counts()
    report = csv_import.import_csv(
        _csv(rows), content_dir, dry_run=dry_run, checking=checking, writing=writing
    )
    assert report.ok
    assert checked == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    if dry_run:
        assert written == [] and report.written == []
    else:
        assert written == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)] and len(report.written) == 4


def test_bad_rows_are_all_checked_and_nothing_is_reported_written(content_dir):
    rows = [GOOD, GOOD | {"titel": "Ander", "gemeente": "amsterdam"}, GOOD | {"titel": "Derde"}]
    checked, checking = _counts()
    written, writing = _counts()
    report = csv_import.import_csv(_csv(rows), content_dir, checking=checking, writing=writing)
    assert not report.ok and checked[-1] == (3, 3) and written == []

"""`flask counts report`: the findability report from the counts table, written by the CLI, with Dutch
messages for a wrong date, gemeente or period, and no count under the threshold in the file."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from webapp.catalog import catalog
from webapp.production.counts import upsert

from ..reports.htmlcheck import Page, as_value, read

NOVEMBER = ["--from", "2026-11-01", "--to", "2026-11-30"]


def fill(app, rows) -> None:
    with app.app_context():
        catalog()  # the content (and its kernen) is stored, as on a running site
        upsert(app.extensions["dichtbij.content"].engine, rows)


def row(day: int, kern: str, questions: int, good: int, yes: int = 0, no: int = 0, gemeente: str = "oss"):
    key = (date(2026, 11, day), gemeente, kern, "voorziening", "ontmoeting")
    return key, [questions, 0, questions - good, good, yes, no]


@pytest.fixture
def app(make_app):
    return make_app(COUNTS_FLUSH_SECONDS=3600)


def count_cells(page: Page) -> list[tuple[str | None, str, str]]:
    """(caption, column, cell) for every count or share cell of every table."""
    out = []
    for t in page.tables:
        if t.caption and t.caption.startswith("Kerncijfers"):  # label, figure
            figures = [r for r in t.rows if re.fullmatch(r"< \d+|[<>] \d+%|[\d.]+%?", r[1])]
            out += [(t.caption, "Goed antwoord" if r[1].endswith("%") else "Vragen", r[1]) for r in figures]
            continue
        head = t.rows[0]
        for r in t.rows[1:]:
            for name, cell in zip(head, r, strict=True):
                if name in ("Vragen", "Klikken ja/nee", "Goed antwoord") or name.startswith("Ja op"):
                    out.append((t.caption, name, cell))
    return out


def test_the_report_is_written_with_small_cells_hidden(app, tmp_path: Path) -> None:
    fill(
        app,
        [
            row(2, "Oss", 25, 20, 8, 3),
            row(3, "Oss", 21, 18, 6, 5),
            row(4, "Berghem", 7, 6, 2, 1),
            row(5, "Lith", 3, 1, 0, 1),
            row(6, "", 12, 10),
            row(7, "Uden", 500, 400, 0, 0, gemeente="maashorst"),  # another gemeente: not in the report
            ((date(2026, 12, 1), "oss", "Oss", "voorziening", "geld"), [300, 0, 0, 300, 0, 0]),  # after
        ],
    )
    out = tmp_path / "rapport" / "oss.html"
    result = app.test_cli_runner().invoke(
        args=["counts", "report", "--gemeente", "oss", *NOVEMBER, "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"Rapport geschreven: {out.resolve()}" in result.output
    assert not re.search(r"\d", result.output.replace(str(out.resolve()), ""))  # no figure in the terminal
    page = read(out.read_text(encoding="utf-8"))
    assert ("Vindbaarheid in Oss, 1 tot en met 30 november 2026") in [t for _, t in page.headings]
    kernen = page.table("Vragen per kern in Oss")
    assert kernen.row("Oss")[1] == "46"
    for small in ("Berghem", "Lith", "Megen"):  # 7, 3 and a kern of the gemeente without questions
        assert kernen.row(small)[1:] == ["< 10"] * 4
    assert page.table("Vragen per week in Oss").rows[-1][2] == "68"  # the total: 25 + 21 + 7 + 3 + 12
    for caption, column, cell in count_cells(page):
        if column in ("Vragen", "Klikken ja/nee"):
            assert cell == "< 10" or as_value(cell) >= 10, (caption, column, cell)
    for s in page.svgs:
        for value in re.findall(r": (< 10|[\d.]+) vragen", s.desc):
            assert value == "< 10" or as_value(value) >= 10, s.title


def test_a_small_table_prints_no_count_at_all(app, tmp_path: Path) -> None:
    fill(app, [row(2, "Oss", 4, 3, 1, 1), row(9, "Berghem", 3, 2, 1, 0), row(20, "", 2, 1)])  # 9 in all
    out = tmp_path / "klein.html"
    result = app.test_cli_runner().invoke(
        args=["counts", "report", "--gemeente", "oss", *NOVEMBER, "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = read(out.read_text(encoding="utf-8"))
    cells = count_cells(page)
    assert cells
    assert {cell for _, _, cell in cells} == {"< 10"}
    for s in page.svgs:
        assert not re.findall(r": [\d.]+ vragen", s.desc), s.desc


def test_the_default_file_name_says_gemeente_and_period(app, tmp_path: Path, monkeypatch) -> None:
    fill(app, [row(2, "Oss", 25, 20)])
    monkeypatch.chdir(tmp_path)
    result = app.test_cli_runner().invoke(args=["counts", "report", "--gemeente", "Oss", *NOVEMBER])
    assert result.exit_code == 0, result.output
    written = tmp_path / "vindbaarheid-oss-2026-11-01-tot-2026-11-30.html"
    assert written.exists()
    assert str(written) in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--gemeente", "oss", "--from", "2026-13-01", "--to", "2026-11-30"],
            "'2026-13-01' is geen goede datum",
        ),
        (["--gemeente", "oss", "--from", "1-11-2026", "--to", "2026-11-30"], "jaar-maand-dag"),
        (
            ["--gemeente", "tilburg", *NOVEMBER],
            "De gemeente 'tilburg' kennen we niet. Kies uit: geertruidenberg",
        ),
        (["--gemeente", "oss", "--from", "2026-11-30", "--to", "2026-11-01"], "ligt na de laatste dag"),
    ],
)
def test_wrong_input_gets_a_dutch_message_and_no_file(
    app, tmp_path: Path, monkeypatch, args, message
) -> None:
    monkeypatch.chdir(tmp_path)
    result = app.test_cli_runner().invoke(args=["counts", "report", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert not list(tmp_path.glob("*.html"))


def test_all_gemeenten(app, tmp_path: Path) -> None:
    fill(app, [row(2, "Oss", 25, 20), row(3, "Uden", 30, 20, gemeente="maashorst")])
    out = tmp_path / "alle.html"
    result = app.test_cli_runner().invoke(
        args=["counts", "report", "--gemeente", "alle", *NOVEMBER, "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = read(out.read_text(encoding="utf-8"))
    per_gemeente = page.table("Vragen per gemeente")
    assert per_gemeente.row("Oss")[1] == "25" and per_gemeente.row("Maashorst")[1] == "30"


def test_the_counts_table_shows_kern_and_clicks(app) -> None:
    fill(app, [row(2, "Berghem", 25, 20, 6, 2)])
    result = app.test_cli_runner().invoke(args=["counts"])
    assert result.exit_code == 0, result.output
    (line,) = [ln for ln in result.output.splitlines() if ln.startswith("2026-11-02")]
    assert line.split() == [
        "2026-11-02",
        "oss",
        "Berghem",
        "voorziening",
        "ontmoeting",
        "25",
        "0",
        "5",
        "6",
        "2",
    ]

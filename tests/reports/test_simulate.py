"""bench.simulate_counts: a deterministic, realistic month of counts, and the command that writes the page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bench.simulate_counts import BASE_PER_DAY, main, simulate
from webapp.reports.data import tally, tally_by

from .htmlcheck import read

START = date(2025, 6, 1)


@pytest.fixture(scope="module")
def oss() -> list:
    return simulate("oss", START, 30)


def test_deterministic(oss: list) -> None:
    assert simulate("oss", START, 30) == oss
    assert simulate("oss", START, 30, seed=17) != oss


def test_one_gemeente_or_all(oss: list) -> None:
    assert {r.gemeente for r in oss} == {"oss"}
    every = simulate(None, START, 30)
    assert {r.gemeente for r in every} == {*BASE_PER_DAY, ""}
    with pytest.raises(ValueError):
        simulate("amsterdam", START, 30)


def test_a_realistic_month(oss: list) -> None:
    total = tally(oss)
    assert 700 < total.questions < 1400  # about 37 a day on a Thursday
    per_weekday = tally_by(oss, lambda r: r.day.weekday())
    mondays = sum(1 for d in range(30) if date(2025, 6, 1 + d).weekday() == 0)
    sundays = sum(1 for d in range(30) if date(2025, 6, 1 + d).weekday() == 6)
    assert per_weekday[0].questions / mondays > 2 * per_weekday[6].questions / sundays  # busy Monday
    categories = tally_by(oss, lambda r: r.category)
    assert categories["ontmoeting"].questions > 4 * categories["nieuwkomers"].questions  # different demand
    good = {c: t.good_match / t.questions for c, t in categories.items() if t.questions >= 20}
    assert good["psychisch"] < 0.7 < good["ontmoeting"]  # unmet need
    kernen = tally_by(oss, lambda r: r.kern)
    assert any(t.questions < 10 for k, t in kernen.items() if k)  # small cells to suppress
    assert categories["buurtbemiddeling"].questions < 10
    assert 0.25 < kernen[""].questions / total.questions < 0.5  # kern unknown
    assert total.found_yes + total.found_no < total.questions / 2  # not everyone clicks


def test_the_command_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "docs" / "report.html"
    assert main(["--gemeente", "oss", "--days", "30", "--out", str(out)]) == 0
    page = read(out.read_text(encoding="utf-8"))
    assert page.headings[0] == (1, "Vindbaarheid in Oss, 1 tot en met 30 juni 2025")
    assert "questions" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--gemeente", "amsterdam", "--out", str(out)])


def test_via_the_command_the_figures_are_the_same(tmp_path: Path) -> None:
    """Through the counts table and `flask counts report`: the same figures as the report made directly
    (only the kernen without questions come from the stored content instead of the simulation)."""
    direct, stored = tmp_path / "direct.html", tmp_path / "stored.html"
    assert main(["--gemeente", "oss", "--days", "30", "--out", str(direct)]) == 0
    assert main(["--gemeente", "oss", "--days", "30", "--via-command", "--out", str(stored)]) == 0
    a, b = read(direct.read_text(encoding="utf-8")), read(stored.read_text(encoding="utf-8"))
    for caption in (
        "Vragen per week in Oss",
        "Vragen per soort antwoord in Oss",
        "Vragen per onderwerp in Oss",
    ):
        assert a.table(caption).rows == b.table(caption).rows
    assert a.table("Vragen per kern in Oss").row("Berghem") == b.table("Vragen per kern in Oss").row(
        "Berghem"
    )
    assert b.table("Vragen per kern in Oss").row("Neerloon")[1] == "< 10"  # a kern of the demo content

"""Freshness: is_stale and `flask content stale`."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from webapp.content import load_content
from webapp.content.freshness import is_stale, months_before
from webapp.site.hours import TZ


def test_months_before_clamps_to_month_end():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)


def test_is_stale_boundary(content_dir):
    entry = load_content(content_dir, today=date(2027, 1, 1)).entries[0]  # checked 2026-10-01
    assert not is_stale(entry, 12, date(2027, 10, 1))
    assert is_stale(entry, 12, date(2027, 10, 2))
    assert is_stale(entry, 1, date(2026, 11, 2))


def test_stale_command_groups_per_gemeente_and_organisatie_oldest_first(app, runner, write_entry):
    write_entry(
        slug="oss-oud", replace={"laatst_gecontroleerd: 2026-10-01": "laatst_gecontroleerd: 2020-01-01"}
    )
    write_entry(
        slug="oss-ouder",
        replace={
            "laatst_gecontroleerd: 2026-10-01": "laatst_gecontroleerd: 2019-05-01",
            "organisatie: Bibliotheek (voorbeeld)": "organisatie: ONS welzijn",
        },
    )
    result = runner.invoke(args=["content", "stale", "--months", "24"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "oss:"
    assert lines[1] == "  ONS welzijn:" and "2019-05-01" in lines[2] and "oss-ouder.md" in lines[2]
    assert lines[3] == "  Bibliotheek (voorbeeld):" and "oss-oud.md" in lines[4]
    assert "oss-taalcafe" not in result.output
    assert lines[-1] == "2 voorzieningen zijn langer dan 24 maanden niet gecontroleerd."


def test_stale_command_defaults_to_config(app, runner):
    app.config["STALE_MONTHS"] = 1200
    result = runner.invoke(args=["content", "stale"])
    assert result.exit_code == 0
    assert "Alles is in de laatste 1200 maanden gecontroleerd." in result.output


@pytest.mark.parametrize(("today", "stale"), [(date(2027, 10, 1), False), (date(2027, 10, 2), True)])
def test_site_and_command_agree_on_the_boundary_day(app, runner, write_entry, monkeypatch, today, stale):
    """Checked 2026-10-01, STALE_MONTHS 12: on 2027-10-01 not stale yet, a day later stale, everywhere.
    (A real entry: a demo entry claims no check, so the site never calls it outdated.)"""
    write_entry(replace={"voorbeeld: true": "voorbeeld: false"})
    from webapp.commands import editors
    from webapp.site import helpers

    class Today(date):
        @classmethod
        def today(cls) -> date:
            return today

    monkeypatch.setattr(helpers, "now_local", lambda: datetime.combine(today, time(12), tzinfo=TZ))
    monkeypatch.setattr(editors, "date", Today)
    page = app.test_client().get("/voorziening/oss-taalcafe").get_data(as_text=True)
    listed = runner.invoke(args=["content", "stale"]).output
    assert ("niet meer actueel" in page) is stale
    assert ("oss-taalcafe.md" in listed) is stale

"""The findability report: structure and accessibility, the figures of a hand-made example, and that no
count under the threshold is printed anywhere (text, attributes, SVG)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from bench.simulate_counts import KERN_NAMES, KERNEN, simulate
from webapp.reports import CountRow, report_html
from webapp.reports.data import tally_by
from webapp.reports.findability import weeks
from webapp.reports.names import CATEGORY_NAMES, ROUTE_NAMES
from webapp.reports.svg import HIDDEN_BAR

from .htmlcheck import HTMLError, Page, as_value, numbers, read

JUNE = (date(2025, 6, 1), date(2025, 6, 30))
OSS = "Vragen per kern in Oss"


def r(
    day: int, kern: str, route: str, category: str, q: int, good: int, yes: int = 0, no: int = 0
) -> CountRow:
    return CountRow(date(2025, 6, day), "oss", kern, route, category, q, good, yes, no)


# A hand-made month: 150 questions of Oss in weeks 23 and 24, plus rows the report must leave out.
EXAMPLE = [
    r(2, "Oss", "voorziening", "ontmoeting", 60, 45, 20, 10),
    r(3, "Berghem", "voorziening", "geld", 40, 20, 10, 15),
    r(10, "", "wijkteam", "", 30, 15),
    r(11, "Oss", "onbekend", "", 20, 0),
    CountRow(date(2025, 6, 2), "maashorst", "Uden", "voorziening", "geld", 500, 400, 0, 0),  # other gemeente
    CountRow(date(2025, 7, 1), "oss", "Oss", "voorziening", "geld", 500, 400, 0, 0),  # after the period
]


@pytest.fixture(scope="module")
def example() -> Page:
    return read(report_html(EXAMPLE, "oss", *JUNE))


@pytest.fixture(scope="module")
def month_html() -> str:
    rows = simulate("oss", JUNE[0], 30)
    return report_html(rows, "oss", *JUNE, kernen=KERN_NAMES)


# --- structure and accessibility ------------------------------------------------------------------------


def test_one_h1_and_the_title_starts_with_it(example: Page) -> None:
    h1 = [text for level, text in example.headings if level == 1]
    assert h1 == ["Vindbaarheid in Oss, 1 tot en met 30 juni 2025"]
    assert example.title.startswith(h1[0])


def test_headings_in_order(example: Page) -> None:
    levels = [level for level, _ in example.headings]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    titles = [text for level, text in example.headings if level == 2]
    assert "Hoe lees je dit?" in titles
    assert "Waar vinden inwoners het vaakst niets?" in titles


def test_lang_tables_and_charts_are_accessible(example: Page) -> None:
    assert example.lang == "nl"
    assert example.tables
    for t in example.tables:
        assert t.caption, t.rows[:1]
        assert t.header_scopes and all(s in ("col", "row") for s in t.header_scopes), t.caption
    assert len(example.svgs) >= 5
    for s in example.svgs:
        assert s.attrs.get("role") == "img"
        ids = s.attrs["aria-labelledby"].split()
        assert all(i in example.ids for i in ids)
        assert s.title and s.desc


def test_chart_descriptions_give_the_numbers(example: Page) -> None:
    routes = next(s for s in example.svgs if s.title == "Vragen per soort antwoord in Oss")
    assert "Voorziening in de buurt: 100 vragen" in routes.desc
    assert "Spoed: hulplijnen eerst: < 10 vragen" in routes.desc


def test_no_request_leaves_the_page() -> None:
    html = report_html(simulate(None, JUNE[0], 30), None, *JUNE, kernen=KERN_NAMES)
    page = read(html)
    for tag, name, value in page.attrs:
        if name in ("src", "href", "xlink:href", "action", "srcset", "data", "poster"):
            raise AssertionError(f"<{tag} {name}={value!r}>: the report loads nothing")
        assert "http" not in value.lower() and "//" not in value, (tag, name, value)
    assert "<script" not in html and "<link" not in html and "<img" not in html and "<iframe" not in html
    css = "".join(re.findall(r"<style>(.*?)</style>", html, flags=re.S))
    assert "@import" not in css and "@font-face" not in css
    assert re.findall(r"url\(([^)]*)\)", html) == [] or all(
        u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", html)
    )
    assert "http" not in html  # not even a plain text link


def test_print_css() -> None:
    html = report_html(EXAMPLE, "oss", *JUNE)
    assert "@page{size:A4" in html.replace(" ", "")
    assert "break-before:page" in html


def test_the_parser_is_strict() -> None:
    for broken in (
        "<html><body><p>a</div></body></html>",
        "<html><body><p>a</p>",
        '<html><body><p id="x"></p><p id="x"></p></body></html>',
        "<html><body><p>a < 10</p></body></html>",
        "<html><body><p>a & b</p></body></html>",
    ):
        with pytest.raises(HTMLError):
            read(broken)


def test_simulated_pages_parse(month_html: str) -> None:
    read(month_html)
    read(report_html(simulate(None, JUNE[0], 91), None, date(2025, 6, 1), date(2025, 8, 30)))
    read(report_html([], "oirschot", *JUNE))
    read(report_html(EXAMPLE, "oss", date(2025, 6, 2), date(2025, 6, 2)))


# --- the figures ---------------------------------------------------------------------------------------


def test_totals_of_the_hand_made_example(example: Page) -> None:
    keys = example.table("Kerncijfers van Oss, 1 tot en met 30 juni 2025")
    assert keys.row("Vragen") == ["Vragen", "150"]
    assert keys.row("Vragen met een goed antwoord")[1] == "53%"  # 80 / 150
    assert keys.row("Klikken op „Was dit wat je zocht?”")[1] == "55"
    assert keys.row("Daarvan ja")[1] == "55%"  # 30 / 55 = 54.5, half up
    assert keys.row("Meeste vragen over")[1] == "Ontmoeting, Geld"

    w = example.table("Vragen per week in Oss")
    assert w.row("Week 23")[2:] == ["100", "65%", "55", "55%"]
    assert w.row("Week 24")[2:] == ["50", "30%", "< 10", "< 10"]
    assert w.row("Week 22")[1:] == ["1 juni 2025 (niet de hele week: 1 dag)"] + ["< 10"] * 4
    assert w.row("Totaal")[2:] == ["150", "53%", "55", "55%"]

    routes = example.table("Vragen per soort antwoord in Oss")
    assert routes.row("Voorziening in de buurt")[1:] == ["100", "65%", "55", "55%"]
    assert routes.row("Naar het wijkteam")[1:3] == ["30", "50%"]
    assert routes.row("Geen vraag voor Dichtbij")[1:3] == ["20", "< 50%"]  # 0 of 20: fewer than 10
    assert routes.row("Spoed: hulplijnen eerst")[1] == "< 10"  # 0 questions
    assert routes.row("Totaal")[1] == "150"

    cats = example.table("Vragen per onderwerp in Oss")
    assert cats.row("Ontmoeting")[1:] == ["60", "75%", "30", "67%"]
    assert cats.row("Geld")[1:] == ["40", "50%", "25", "40%"]
    assert cats.row("Geen onderwerp")[1:3] == ["50", "30%"]
    assert cats.row("Buurtbemiddeling")[1] == "< 10"
    assert len(cats.rows) == 1 + 16 + 1 + 1  # head, the 16, no category, total
    assert [row[0] for row in cats.rows[1:4]] == ["Ontmoeting", "Geld", CATEGORY_NAMES["bewegen-gezond"]]

    kern = example.table(OSS)
    assert kern.row("Oss")[1:3] == ["80", "56%"]
    assert kern.row("Berghem")[1:3] == ["40", "50%"]
    assert kern.row("Kern niet bekend")[1:3] == ["30", "50%"]
    assert kern.row("Totaal")[1] == "150"


def test_unmet_need_of_the_hand_made_example(example: Page) -> None:
    unmet = example.table("Waar vinden inwoners het vaakst niets? (Oss)")
    assert [row[0] for row in unmet.rows[1:]] == ["Geld", "Ontmoeting"]  # 40 x 60% before 60 x 33%
    assert "Weinig goede antwoorden (50%)" in unmet.row("Geld")[4]
    assert "Vaak „nee” geklikt (ja: 67%)" in unmet.row("Ontmoeting")[4]
    keys = example.table("Kerncijfers van Oss, 1 tot en met 30 juni 2025")
    assert keys.row("Hier vinden inwoners vaak niets")[1] == "Geld, Ontmoeting"


def test_all_gemeenten() -> None:
    rows = [*EXAMPLE, CountRow(date(2025, 6, 4), "", "", "onbekend", "", 12, 0, 0, 0)]
    page = read(report_html(rows, None, *JUNE))
    assert page.headings[0] == (1, "Vindbaarheid in alle gemeenten, 1 tot en met 30 juni 2025")
    g = page.table("Vragen per gemeente")
    assert g.row("Oss")[1] == "150"
    assert g.row("Maashorst")[1] == "500"
    assert g.row("Gemeente niet bekend")[1] == "12"
    assert g.row("Oirschot")[1] == "< 10"
    assert g.row("Totaal")[1] == "662"
    assert page.table(OSS).row("Totaal")[1] == "150"
    assert page.table("Vragen per kern in Maashorst").row("Uden")[1] == "500"
    assert (3, "Kernen in Oirschot") in page.headings


def test_weeks_of_a_period() -> None:
    ws = weeks(date(2025, 6, 1), date(2025, 6, 30))
    assert [w.number for w in ws] == [22, 23, 24, 25, 26, 27]
    assert [w.days for w in ws] == [1, 7, 7, 7, 7, 1]
    assert sum(w.days for w in weeks(date(2024, 12, 20), date(2025, 1, 20))) == 32


def test_wrong_arguments() -> None:
    with pytest.raises(ValueError):
        report_html(EXAMPLE, "oss", date(2025, 6, 30), date(2025, 6, 1))
    with pytest.raises(ValueError):
        report_html(EXAMPLE, "oss", *JUNE, threshold=0)


def test_the_threshold_is_printed_as_chosen() -> None:
    page = read(report_html(EXAMPLE, "oss", *JUNE, threshold=25))
    assert page.table(OSS).row("Kern niet bekend")[1] == "30"
    assert page.table("Vragen per soort antwoord in Oss").row("Geen vraag voor Dichtbij")[1] == "< 25"


# --- suppression ---------------------------------------------------------------------------------------

# With threshold 1000 the small cells are three-digit numbers that nothing else on the page is made of
# (no date, week, percentage, colour or size), so their absence can be checked everywhere, literally.
SECRETS = {617: "Megen", 733: "Lith", 859: "buurtbemiddeling", 911: "spoed", 547: "week 22", 389: "clicks"}


def big_and_small() -> list[CountRow]:
    rows = []
    for day in range(2, 30):  # weeks 23..26, every day a large row
        rows.append(r(day, "Oss", "voorziening", "ontmoeting", 2000, 1500, 700, 300))
        rows.append(r(day, "Berghem", "wijkteam", "geld", 1500, 1400, 0, 0))
    rows += [
        r(3, "Megen", "voorziening", "ontmoeting", 617, 500, 0, 0),
        r(4, "Lith", "voorziening", "geld", 733, 600, 0, 0),
        r(5, "Oss", "voorziening", "buurtbemiddeling", 859, 700, 0, 0),
        r(6, "", "spoed", "", 911, 911, 0, 0),
        r(1, "Oss", "voorziening", "geld", 547, 400, 0, 0),  # week 22: one Sunday
        r(7, "Oss", "voorziening", "jongeren", 1200, 900, 200, 189),  # 389 clicks in a shown group
    ]
    return rows


def leaks(page: Page) -> set[str]:
    found = set()
    for text in page.texts + [v for _, _, v in page.attrs]:
        for token in numbers(text):
            if as_value(token) in SECRETS:
                found.add(SECRETS[int(as_value(token))])
    return found


def test_small_cells_appear_nowhere_literally() -> None:
    rows = big_and_small()
    # the secrets really are cells of the data, and the scan finds them when they are not suppressed
    assert tally_by(rows, lambda x: x.kern)["Megen"].questions == 617
    assert tally_by(rows, lambda x: x.route)["spoed"].questions == 911
    assert leaks(read(report_html(rows, "oss", *JUNE, threshold=10))) >= {"Megen", "Lith", "spoed", "week 22"}
    page = read(report_html(rows, "oss", *JUNE, threshold=1000))
    assert not leaks(page)
    assert page.table(OSS).row("Megen")[1:] == ["< 1000"] * 4
    jongeren = page.table("Vragen per onderwerp in Oss").row("Jongeren")
    assert jongeren[1] == "1.200" and jongeren[3] == "< 1000"  # 389 clicks: hidden, the group shown


def test_hidden_bars_have_one_size() -> None:
    page = read(report_html(big_and_small(), "oss", *JUNE, threshold=1000))
    hidden = [rect for s in page.svgs for rect in s.rects if rect.get("class") == "hidden-bar"]
    assert len(hidden) >= 5
    for rect in hidden:
        assert f"{HIDDEN_BAR:.1f}" in (rect["width"], rect["height"])
        assert rect["fill"].startswith("url(#")
    texts = [t for s in page.svgs for t in s.texts]
    assert "< 1000" in texts


def moved(rows: list[CountRow], a: str, b: str, n: int, field: str = "kern") -> list[CountRow]:
    """Move n questions (and n good matches) from the row with field a to the row with field b."""
    out = []
    for row in rows:
        value = getattr(row, field)
        if value in (a, b):
            sign = -1 if value == a else 1
            row = replace(row, questions=row.questions + sign * n, good_match=row.good_match + sign * n)
        out.append(row)
    return out


def small_cells_month() -> list[CountRow]:
    rows = []
    for day in range(2, 30):
        rows.append(r(day, "Oss", "voorziening", "ontmoeting", 40, 30, 9, 4))
        rows.append(r(day, "Berghem", "wijkteam", "geld", 12, 11, 2, 1))
    rows += [
        r(3, "Megen", "voorziening", "mantelzorg", 7, 6),
        r(3, "Haren", "voorziening", "mantelzorg", 2, 1),
        r(4, "Oss", "voorziening", "buurtbemiddeling", 4, 3),
        r(4, "Oss", "voorziening", "nieuwkomers", 5, 4),
        r(5, "", "spoed", "", 3, 3),
        r(5, "", "onbekend", "", 6, 3),  # (an impossible good match: it keeps the good totals equal)
    ]
    return rows


@pytest.mark.parametrize(
    ("a", "b", "n", "field"),
    [
        ("Megen", "Haren", 4, "kern"),  # 7 + 2 -> 3 + 6
        ("nieuwkomers", "buurtbemiddeling", 2, "category"),  # 4 + 5 -> 6 + 3
        ("onbekend", "spoed", 2, "route"),  # 3 + 6 -> 5 + 4
    ],
)
def test_the_page_does_not_depend_on_hidden_values(a: str, b: str, n: int, field: str) -> None:
    """Moving questions between two hidden cells (same totals) changes nothing, not a byte: the page
    cannot tell 7 + 2 from 3 + 6, in any table, chart, title, description or attribute."""
    rows = small_cells_month()
    before = report_html(rows, "oss", *JUNE)
    after = report_html(moved(rows, a, b, n, field), "oss", *JUNE)
    assert before == after
    shown = report_html(moved(rows, "Oss", "Berghem", 1), "oss", *JUNE)  # the test can fail
    assert shown != before


def test_no_count_under_the_threshold_in_a_simulated_month(month_html: str) -> None:
    page = read(month_html)
    rows = simulate("oss", JUNE[0], 30)
    small_kernen = {k for k, t in tally_by(rows, lambda x: x.kern).items() if t.questions < 10}
    small_categories = {
        CATEGORY_NAMES[c] for c, t in tally_by(rows, lambda x: x.category).items() if c and t.questions < 10
    }
    small_routes = {ROUTE_NAMES[c] for c, t in tally_by(rows, lambda x: x.route).items() if t.questions < 10}
    assert small_kernen and small_categories  # the simulation has cells to suppress
    kern_table = page.table(OSS)
    for kern in small_kernen | (set(KERNEN["oss"]) - set(tally_by(rows, lambda x: x.kern))):
        assert kern_table.row(kern)[1:] == ["< 10"] * 4
    for name in small_categories:
        assert page.table("Vragen per onderwerp in Oss").row(name)[1:] == ["< 10"] * 4
    for name in small_routes:
        assert page.table("Vragen per soort antwoord in Oss").row(name)[1] == "< 10"


def test_every_printed_count_in_a_simulated_month_is_ten_or_more(month_html: str) -> None:
    page = read(month_html)
    # every count in every table is 10 or more, or "< 10"; every share a percentage, a bound or "< 10"
    for t in page.tables:
        if t.caption and t.caption.startswith("Kerncijfers"):
            continue
        head = t.rows[0]
        for row in t.rows[1:]:
            for name, cell in zip(head, row, strict=True):
                if name in ("Vragen", "Klikken ja/nee"):
                    assert cell == "< 10" or as_value(cell) >= 10, (t.caption, row)
                elif name in ("Goed antwoord",) or name.startswith("Ja op"):
                    assert re.fullmatch(r"< 10|[<>] \d{1,3}%|\d{1,3}%", cell), (t.caption, row)
    # and in the charts: every number in a description or a bar label is 10 or more
    for s in page.svgs:
        for value in re.findall(r": (< 10|[\d.]+) vragen", s.desc):
            assert value == "< 10" or as_value(value) >= 10, s.title
        for text in s.texts:
            if re.fullmatch(r"[\d.]+", text) and s.title.startswith("Vragen per") and "week" not in s.title:
                assert as_value(text) >= 10, (s.title, text)


@pytest.mark.parametrize(("days", "labels"), [(91, "long"), (120, "short")])
def test_a_week_chart_of_a_longer_period(days: int, labels: str) -> None:
    start = date(2025, 4, 1)
    end = start + timedelta(days=days - 1)
    page = read(report_html(simulate("oirschot", start, days), "oirschot", start, end))
    chart = next(s for s in page.svgs if s.title.startswith("Vragen per week"))
    numbers_ = [w.number for w in weeks(start, end)]
    if labels == "long":  # up to 14 weeks: "Week 14" with its dates under it
        assert [f"Week {n}" in chart.texts for n in numbers_] == [True] * len(numbers_)
        assert "1-6 april" in chart.texts  # the first week starts with the period
    else:  # more: the week number only, the dates are in the table
        assert all(str(n) in chart.texts for n in numbers_)
        assert not any("apr" in t or "Week" in t for t in chart.texts)

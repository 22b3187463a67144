"""The suppression rules on their own: counts, secondary suppression, shares, order, and the input rows."""

from __future__ import annotations

from datetime import date

import pytest

from webapp.reports.data import CountRow, Tally, select, tally, tally_by
from webapp.reports.suppress import Line, count_text, fmt_int, order, protect, protected_lines, share


def test_counts_under_the_threshold_are_hidden_zero_included() -> None:
    assert protect([0, 3, 9, 10, 250], 10)[:3] == [True, True, True]
    assert count_text(None, 10) == "< 10"
    assert count_text(1234, 10) == "1.234"
    assert fmt_int(1234567) == "1.234.567"


def test_one_hidden_cell_gets_a_companion() -> None:
    # total 7 + 40 + 55 = 102 is shown: 7 alone could be computed back, so the smallest other cell goes too
    assert protect([7, 40, 55], 10) == [True, True, False]


def test_hidden_cells_that_add_up_to_a_small_number_get_a_companion() -> None:
    assert protect([3, 4, 40, 55], 10) == [True, True, True, False]  # 3 + 4 = 7 < 10
    assert protect([6, 5, 40, 55], 10) == [True, True, False, False]  # 11, from two cells: enough


def test_hidden_zeros_give_nothing_away() -> None:
    assert protect([0, 0, 40, 55], 10) == [True, True, False, False]
    assert protect([0, 7, 40, 55], 10) == [True, True, True, False]  # 0 + 7: still one resident group


def test_already_hidden_cells_count() -> None:
    # clicks: the group with 12 clicks is hidden because its questions are; alone it would show as
    # total - shown, so another one is hidden as well
    assert protect([12, 30, 50], 10, hidden=[True, False, False]) == [True, True, False]


def test_everything_hidden_when_nothing_else_can_go() -> None:
    assert protect([3], 10) == [True]
    assert protect([3, 4], 10) == [True, True]


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [
        (45, 60, "75%"),
        (1, 8, "< 10"),  # from fewer than 10 questions
        (5, 12, "< 10"),  # 5 yes and 7 no: both small
        (3, 100, "< 10%"),  # fewer than 10 of 100: under 10 / 100
        (3, 143, "< 7%"),
        (97, 100, "> 90%"),  # fewer than 10 not: over 90 / 100
        (20, 40, "50%"),
        (1, 8000, "< 1%"),
        (2, 3, "< 10"),
    ],
)
def test_shares(part: int, whole: int, text: str) -> None:
    assert share(part, whole, 10).text == text


def test_a_share_of_a_hidden_group_is_hidden() -> None:
    assert share(50, 100, 10, hidden=True).hidden
    assert share(50, 100, 10, hidden=True).text == "< 10"


def test_share_rounds_half_up() -> None:
    assert share(30, 55, 10).text == "55%"  # 54.5
    assert share(11, 40, 10).text == "28%"  # 27.5


def test_bounds_never_give_away_the_small_count() -> None:
    """From a bound and the shown total, the part can be any number under the threshold."""
    for whole in range(10, 400):
        for part in range(0, whole + 1):
            s = share(part, whole, 10)
            if s.kind == "below":
                assert all(p / whole * 100 < s.percent for p in range(10))  # type: ignore[operator]
            elif s.kind == "above":
                assert all((whole - q) / whole * 100 > s.percent for q in range(10))  # type: ignore[operator]
            elif s.kind == "exact":
                assert part >= 10 and whole - part >= 10


def test_under() -> None:
    assert share(60, 100, 10).under(70)
    assert not share(75, 100, 10).under(70)
    assert share(3, 100, 10).under(70)  # "< 10%"
    assert not share(97, 100, 10).under(70)  # "> 90%"
    assert not share(3, 5, 10).under(70)  # hidden


def test_protected_lines_hide_shares_of_hidden_groups() -> None:
    groups = [("A", Tally(7, 7, 3, 1)), ("B", Tally(40, 30, 10, 10)), ("C", Tally(55, 40, 15, 10))]
    lines, total = protected_lines(groups, Tally(102, 77, 28, 21), 10)
    a, b, c = lines
    assert a.questions is None and a.clicks is None and a.good.hidden and a.yes.hidden
    assert b.questions is None and b.good.hidden  # the companion: its share would tell its size
    assert c.questions == 55 and c.good.text == "73%" and c.clicks == 25 and c.yes.text == "60%"
    assert total.questions == 102 and total.good.text == "75%" and total.clicks == 49


def test_a_small_total_hides_everything() -> None:
    lines, total = protected_lines(
        [("A", Tally(5, 5, 0, 0)), ("B", Tally(4, 0, 0, 0))], Tally(9, 5, 0, 0), 10
    )
    assert total.questions is None and all(ln.hidden for ln in lines)


def test_an_outer_hidden_total_stays_hidden() -> None:
    outer = Line("Oss", None, None, share(0, 0, 10), share(0, 0, 10))
    lines, total = protected_lines([("A", Tally(50, 40, 0, 0))], Tally(50, 40, 0, 0), 10, outer=outer)
    assert total.questions is None and lines[0].hidden


def test_order_never_sorts_hidden_lines_by_size() -> None:
    lines, _ = protected_lines(
        [("Zeeland", Tally(2)), ("Avond", Tally(8)), ("Midden", Tally(50)), ("Groot", Tally(80))],
        Tally(140),
        10,
    )
    assert [ln.label for ln in order(lines)] == ["Groot", "Midden", "Avond", "Zeeland"]
    assert [ln.label for ln in order(lines, ["Groot"])][-1] == "Groot"


def test_threshold_must_be_positive() -> None:
    with pytest.raises(ValueError):
        protected_lines([], Tally(), 0)


def row(**kw: object) -> CountRow:
    values: dict[str, object] = {
        "day": date(2025, 6, 2),
        "gemeente": "oss",
        "kern": "",
        "route": "voorziening",
        "category": "geld",
        "questions": 5,
        "good_match": 4,
        "found_yes": 1,
        "found_no": 1,
    }
    values.update(kw)
    return CountRow(**values)  # type: ignore[arg-type]


def test_count_rows_are_checked() -> None:
    with pytest.raises(ValueError, match="route"):
        row(route="anders")
    with pytest.raises(ValueError, match="questions"):
        row(questions=-1)
    with pytest.raises(ValueError, match="good_match"):
        row(good_match=6)
    with pytest.raises(ValueError):
        row(found_yes=True)
    with pytest.raises(AttributeError):
        row().questions = 3  # type: ignore[misc]


def test_tally_and_select() -> None:
    rows = [
        row(),
        row(day=date(2025, 6, 30), kern="Lith", questions=10, good_match=2),
        row(day=date(2025, 7, 1)),
        row(gemeente="maashorst"),
    ]
    assert tally(rows) == Tally(25, 14, 4, 4)
    assert tally(rows).clicks == 8
    picked = select(rows, "oss", date(2025, 6, 1), date(2025, 6, 30))
    assert len(picked) == 2
    assert len(select(rows, None, date(2025, 6, 1), date(2025, 6, 30))) == 3
    assert tally_by(picked, lambda r: r.kern) == {"": Tally(5, 4, 1, 1), "Lith": Tally(10, 2, 1, 1)}

"""Open-now logic: Amsterdam wall-clock time, midnight, DST change days, unknown hours."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from webapp.content.models import Opening, Openingstijden
from webapp.site.hours import TZ, is_open, next_opening


def hours(*openings: tuple[str, str, str], notitie: str = "") -> Openingstijden:
    return Openingstijden(tuple(Opening(d, o, c) for d, o, c in openings), notitie)


TUESDAY = hours(("dinsdag", "14:00", "16:00"))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 3, 13, 59, tzinfo=TZ), False),  # Tuesday, just before
        (datetime(2026, 11, 3, 14, 0, tzinfo=TZ), True),  # opening minute counts
        (datetime(2026, 11, 3, 15, 59, tzinfo=TZ), True),
        (datetime(2026, 11, 3, 16, 0, tzinfo=TZ), False),  # closing minute does not
        (datetime(2026, 11, 4, 14, 30, tzinfo=TZ), False),  # Wednesday
    ],
)
def test_open_within_the_hours_on_that_day(moment: datetime, expected: bool) -> None:
    assert is_open(TUESDAY, moment) is expected


def test_utc_input_is_converted_to_amsterdam_time() -> None:
    # 13:30 UTC on a November Tuesday is 14:30 in Amsterdam (CET, UTC+1).
    assert is_open(TUESDAY, datetime(2026, 11, 3, 13, 30, tzinfo=UTC)) is True
    assert is_open(TUESDAY, datetime(2026, 11, 3, 15, 30, tzinfo=UTC)) is False


def test_naive_datetime_is_taken_as_amsterdam_time() -> None:
    assert is_open(TUESDAY, datetime(2026, 11, 3, 14, 30)) is True


def test_midnight_as_closing_time_means_end_of_day() -> None:
    late = hours(("vrijdag", "20:00", "00:00"))
    assert is_open(late, datetime(2026, 11, 6, 23, 59, tzinfo=TZ)) is True
    assert is_open(late, datetime(2026, 11, 7, 0, 0, tzinfo=TZ)) is False
    assert is_open(late, datetime(2026, 11, 6, 19, 59, tzinfo=TZ)) is False


def test_hours_running_past_midnight_continue_into_the_next_day() -> None:
    night = hours(("zaterdag", "22:00", "02:00"))
    assert is_open(night, datetime(2026, 11, 7, 23, 0, tzinfo=TZ)) is True  # Saturday night
    assert is_open(night, datetime(2026, 11, 8, 1, 30, tzinfo=TZ)) is True  # Sunday early morning
    assert is_open(night, datetime(2026, 11, 8, 2, 0, tzinfo=TZ)) is False
    assert is_open(night, datetime(2026, 11, 8, 23, 0, tzinfo=TZ)) is False  # Sunday night: not open


def test_spring_dst_change_uses_summer_time() -> None:
    # Sunday 29 March 2026: clocks go from 02:00 CET to 03:00 CEST (01:00 UTC).
    sunday = hours(("zondag", "09:00", "10:00"))
    assert is_open(sunday, datetime(2026, 3, 29, 7, 30, tzinfo=UTC)) is True  # 09:30 CEST
    assert is_open(sunday, datetime(2026, 3, 29, 8, 30, tzinfo=UTC)) is False  # 10:30 CEST
    early = hours(("zondag", "02:00", "03:30"))
    assert is_open(early, datetime(2026, 3, 29, 0, 59, tzinfo=UTC)) is False  # 01:59 CET
    assert is_open(early, datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) is True  # 03:00 CEST


def test_autumn_dst_change_uses_winter_time() -> None:
    # Sunday 25 October 2026: clocks go from 03:00 CEST back to 02:00 CET (01:00 UTC).
    sunday = hours(("zondag", "09:00", "10:00"))
    assert is_open(sunday, datetime(2026, 10, 25, 8, 30, tzinfo=UTC)) is True  # 09:30 CET
    assert is_open(sunday, datetime(2026, 10, 25, 7, 30, tzinfo=UTC)) is False  # 08:30 CET
    early = hours(("zondag", "02:00", "02:30"))
    assert is_open(early, datetime(2026, 10, 25, 0, 15, tzinfo=UTC)) is True  # 02:15 CEST
    assert is_open(early, datetime(2026, 10, 25, 1, 15, tzinfo=UTC)) is True  # 02:15 CET, again
    assert is_open(early, datetime(2026, 10, 25, 1, 45, tzinfo=UTC)) is False  # 02:45 CET


def test_op_afspraak_without_times_is_unknown() -> None:
    assert is_open(hours(notitie="Op afspraak."), datetime(2026, 11, 3, 14, 30, tzinfo=TZ)) is None
    assert is_open(Openingstijden(), datetime(2026, 11, 3, 14, 30, tzinfo=TZ)) is None


def test_known_hours_on_another_day_mean_closed_not_unknown() -> None:
    assert is_open(TUESDAY, datetime(2026, 11, 5, 14, 30, tzinfo=TZ)) is False


def test_next_opening() -> None:
    wednesday = datetime(2026, 11, 4, 10, 0, tzinfo=TZ)
    assert next_opening(TUESDAY, wednesday) == datetime(2026, 11, 10, 14, 0, tzinfo=TZ)
    assert next_opening(TUESDAY, datetime(2026, 11, 3, 9, 0, tzinfo=TZ)) == datetime(
        2026, 11, 3, 14, 0, tzinfo=TZ
    )
    assert next_opening(TUESDAY, datetime(2026, 11, 3, 15, 0, tzinfo=TZ)) is None  # open now
    assert next_opening(hours(notitie="Op afspraak."), wednesday) is None

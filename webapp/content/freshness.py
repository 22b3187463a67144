"""Freshness: is an entry's laatst_gecontroleerd older than N months?"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date

from .models import Entry


def months_before(today: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    total = today.year * 12 + (today.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def is_stale(entry: Entry, months: int, today: date | None = None) -> bool:
    """True when the entry was last checked more than `months` months before today.

    Checked exactly `months` months ago is not stale yet; one day earlier is.
    """
    today = today or date.today()
    return entry.laatst_gecontroleerd < months_before(today, months)


def stale_entries(entries: Iterable[Entry], months: int, today: date | None = None) -> list[Entry]:
    """The stale entries, oldest check first."""
    today = today or date.today()
    return sorted(
        (e for e in entries if is_stale(e, months, today)), key=lambda e: (e.laatst_gecontroleerd, e.slug)
    )

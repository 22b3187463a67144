"""Is a voorziening open now? Opening hours are wall-clock times in Europe/Amsterdam.

Comparing wall-clock times (not UTC offsets) keeps DST change days right: at 09:30 on the last Sunday of
March it is 09:30 in Oss, whatever the offset. An end time of "00:00" or "24:00" means midnight (end of
that day); an end before the start runs past midnight into the next day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..content.models import Opening, Openingstijden
from ..content.taxonomy import DAGEN

TZ = ZoneInfo("Europe/Amsterdam")
MINUTES_PER_DAY = 24 * 60


def local(now: datetime) -> datetime:
    """`now` as Amsterdam wall-clock time; a naive datetime is taken to be Amsterdam time already."""
    if now.tzinfo is None:
        return now.replace(tzinfo=TZ)
    return now.astimezone(TZ)


def _minutes(text: str) -> int | None:
    try:
        hours, minutes = text.split(":")
        value = int(hours) * 60 + int(minutes)
    except ValueError:
        return None
    return value if 0 <= value <= MINUTES_PER_DAY else None


def _span(opening: Opening) -> tuple[int, int] | None:
    """(start, end) in minutes after the start of the opening's day; end may exceed one day."""
    start, end = _minutes(opening.open), _minutes(opening.dicht)
    if start is None or end is None or start == MINUTES_PER_DAY:
        return None
    if end <= start:  # "00:00" = midnight, "02:00" after "22:00" = into the next day
        end += MINUTES_PER_DAY
    return start, end


def is_open(openingstijden: Openingstijden, now: datetime) -> bool | None:
    """True/False when opening hours are known; None when unknown or "op afspraak" (no times)."""
    if not openingstijden.tijden:
        return None
    moment = local(now)
    minute = moment.hour * 60 + moment.minute
    today = DAGEN[moment.weekday()]
    yesterday = DAGEN[(moment.weekday() - 1) % 7]
    for opening in openingstijden.tijden:
        span = _span(opening)
        if span is None:
            continue
        start, end = span
        if opening.dag == today and start <= minute < end:
            return True
        if opening.dag == yesterday and minute + MINUTES_PER_DAY < end:
            return True
    return False


def next_opening(openingstijden: Openingstijden, now: datetime) -> datetime | None:
    """The next moment it opens (Amsterdam time), within a week; None when unknown or open now."""
    if not openingstijden.tijden or is_open(openingstijden, now):
        return None
    moment = local(now)
    best: datetime | None = None
    for offset in range(8):
        day: date = moment.date() + timedelta(days=offset)
        for opening in openingstijden.tijden:
            span = _span(opening)
            if span is None or opening.dag != DAGEN[day.weekday()]:
                continue
            start = datetime.combine(day, time(span[0] // 60, span[0] % 60), tzinfo=TZ)
            if start > moment and (best is None or start < best):
                best = start
        if best is not None:
            return best
    return None

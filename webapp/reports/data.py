"""The input of a report: one row of the privacy-safe counts, and sums of rows.

A row is numbers per day, gemeente, kern, route and category: never a question, an address or a time of
day. The app's counts table is adapted to give these rows; a report takes them as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from .names import ROUTES

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class CountRow:
    day: date
    gemeente: str  # slug, "" when unknown
    kern: str  # "" when unknown
    route: str  # voorziening | wijkteam | spoed | onbekend
    category: str  # slug, "" when none
    questions: int
    good_match: int  # answered with a good match
    found_yes: int  # "Was dit wat je zocht?": yes clicks
    found_no: int  # "Was dit wat je zocht?": no clicks

    def __post_init__(self) -> None:
        if self.route not in ROUTES:
            raise ValueError(f"route {self.route!r} is not one of {', '.join(ROUTES)}")
        for name in ("questions", "good_match", "found_yes", "found_no"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number >= 0, not {value!r}")
        if self.good_match > self.questions:
            raise ValueError(f"good_match ({self.good_match}) is more than questions ({self.questions})")


@dataclass(frozen=True)
class Tally:
    """Sums over rows."""

    questions: int = 0
    good_match: int = 0
    found_yes: int = 0
    found_no: int = 0

    @property
    def clicks(self) -> int:
        """Answers to "Was dit wat je zocht?" (yes + no)."""
        return self.found_yes + self.found_no

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.questions + other.questions,
            self.good_match + other.good_match,
            self.found_yes + other.found_yes,
            self.found_no + other.found_no,
        )


def tally(rows: Iterable[CountRow]) -> Tally:
    total = Tally()
    for row in rows:
        total += Tally(row.questions, row.good_match, row.found_yes, row.found_no)
    return total


def tally_by(rows: Iterable[CountRow], key: Callable[[CountRow], K]) -> dict[K, Tally]:
    out: dict[K, Tally] = {}
    for row in rows:
        out[key(row)] = out.get(key(row), Tally()) + Tally(
            row.questions, row.good_match, row.found_yes, row.found_no
        )
    return out


def select(rows: Iterable[CountRow], gemeente: str | None, start: date, end: date) -> list[CountRow]:
    """The rows of one gemeente (all when None) from start to end, both included."""
    return [r for r in rows if start <= r.day <= end and (gemeente is None or r.gemeente == gemeente)]

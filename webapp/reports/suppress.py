"""Small-count suppression: the only place where raw counts become printable figures.

Rules (k-anonymity with threshold k, 10 by default):

1. A count under k is shown as "< k", never as its number. That includes 0.
2. Every table shows its total, so "total minus the shown cells" gives the sum of the hidden cells. When
   that sum would give away a small number (a single hidden cell, or hidden cells together under k), the
   smallest shown cells of the same column are hidden too, until the hidden cells are at least two (not 0)
   and add up to k or more (secondary suppression).
3. A share is shown only when it is computed from k or more questions (or clicks), and only when its group
   is shown. When the share would let a reader compute a count under k (fewer than k "yes", or fewer than
   k "no"), it is shown as a bound: "< 8%" or "> 92%". Shares are rounded to whole percents.
4. Hidden rows are listed in a fixed order (by name), never by their size.

The report renders `Line`s only: a hidden number is None there, so it cannot end up in text, an
attribute or a bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .data import Tally


def hidden_text(threshold: int) -> str:
    return f"< {threshold}"


def fmt_int(n: int) -> str:
    """Dutch thousands separator: 1.234."""
    return f"{n:,}".replace(",", ".")


@dataclass(frozen=True)
class Share:
    text: str  # "83%", "< 8%", "> 92%", or the hidden text "< 10"
    percent: int | None  # the printed percent (exact, or the bound); None when hidden
    kind: str  # "exact", "below" (< percent), "above" (> percent) or "hidden"

    @property
    def hidden(self) -> bool:
        return self.kind == "hidden"

    def under(self, percent: float) -> bool:
        """Does the printed share show that the share is under `percent`?"""
        if self.percent is None:
            return False
        return (
            self.percent < percent
            if self.kind == "exact"
            else self.kind == "below" and self.percent <= percent
        )


@dataclass(frozen=True)
class Line:
    """One printable row of a table: numbers under the threshold are None."""

    label: str
    questions: int | None
    clicks: int | None
    good: Share
    yes: Share
    note: str = ""

    @property
    def hidden(self) -> bool:
        return self.questions is None


def count_text(n: int | None, threshold: int) -> str:
    return hidden_text(threshold) if n is None else fmt_int(n)


def protect(values: Sequence[int], threshold: int, hidden: Sequence[bool] | None = None) -> list[bool]:
    """Which cells of one column to hide (rules 1 and 2); `hidden` marks cells already hidden."""
    hide = [v < threshold or bool(hidden and hidden[i]) for i, v in enumerate(values)]
    while True:
        hidden_cells = [i for i, h in enumerate(hide) if h]
        hidden_sum = sum(values[i] for i in hidden_cells)
        nonzero = sum(1 for i in hidden_cells if values[i] > 0)
        if hidden_sum == 0 or (hidden_sum >= threshold and nonzero >= 2):
            return hide
        shown = [i for i, h in enumerate(hide) if not h]
        if not shown:
            return hide
        hide[min(shown, key=lambda i: (values[i], i))] = True


def share(part: int, whole: int, threshold: int, hidden: bool = False) -> Share:
    """part / whole as a printable share (rule 3)."""
    if hidden or whole < threshold or (part < threshold and whole - part < threshold):
        return Share(hidden_text(threshold), None, "hidden")
    if part < threshold:  # part <= k-1, so the share is under k / whole
        bound = -(-100 * threshold // whole)
        return Share(f"< {bound}%", bound, "below")
    if whole - part < threshold:  # part >= whole-k+1, so the share is over (whole-k) / whole
        bound = 100 * (whole - threshold) // whole
        return Share(f"> {bound}%", bound, "above")
    percent = (200 * part + whole) // (2 * whole)  # half up
    return Share(f"{percent}%", percent, "exact")


def protected_lines(
    groups: Sequence[tuple[str, Tally]],
    total: Tally,
    threshold: int,
    notes: Sequence[str] | None = None,
    outer: Line | None = None,
) -> tuple[list[Line], Line]:
    """The lines of one table whose groups add up to `total`, and its total line. `outer` is the line of
    the same total in another table (a gemeente, for its kernen): what it hides, this total hides too."""
    if threshold < 1:
        raise ValueError("threshold must be 1 or more")
    total_line = _line(
        "Totaal",
        total,
        threshold,
        outer is not None and outer.questions is None,
        outer is not None and outer.clicks is None,
    )
    questions = [t.questions for _, t in groups]
    # a hidden total: every group is smaller, so all are hidden
    hide_q = [True] * len(groups) if total_line.hidden else protect(questions, threshold)
    clicks = [t.clicks for _, t in groups]
    hide_c = [True] * len(groups) if total_line.clicks is None else protect(clicks, threshold, hide_q)
    lines = [
        _line(label, t, threshold, hide_q[i], hide_c[i], notes[i] if notes else "")
        for i, (label, t) in enumerate(groups)
    ]
    return lines, total_line


def _line(label: str, t: Tally, threshold: int, hide_q: bool, hide_c: bool, note: str = "") -> Line:
    hide_q = hide_q or t.questions < threshold
    hide_c = hide_q or hide_c or t.clicks < threshold
    return Line(
        label=label,
        questions=None if hide_q else t.questions,
        clicks=None if hide_c else t.clicks,
        good=share(t.good_match, t.questions, threshold, hide_q),
        yes=share(t.found_yes, t.clicks, threshold, hide_c),
        note=note,
    )


def order(lines: Sequence[Line], fixed_last: Sequence[str] = ()) -> list[Line]:
    """Shown lines by size (largest first), then hidden lines by name (rule 4); `fixed_last` labels last."""
    shown = sorted(
        (ln for ln in lines if not ln.hidden and ln.label not in fixed_last),
        key=lambda ln: (-(ln.questions or 0), ln.label),
    )
    hidden = sorted((ln for ln in lines if ln.hidden and ln.label not in fixed_last), key=lambda ln: ln.label)
    last = [ln for name in fixed_last for ln in lines if ln.label == name]
    return shown + hidden + last

"""Inline SVG bar charts, drawn on the server: no script, no font, no image, no request.

A chart gets `Bar`s that went through suppression: a hidden value is None and is drawn as a short hatched
bar of fixed size with the text "< 10"; its size says nothing about the number. Every chart is an image
for assistive technology (role="img") whose <title> names it and whose <desc> gives all its numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 680.0  # A4 portrait minus margins at 96 dpi
BAR_COLOR = "#1d4f91"  # 8.6:1 on white
INK = "#1a1a1a"
HATCH_INK = "#595959"  # 7:1 on white
HIDDEN_BAR = 18.0  # length (horizontal) or height (vertical) of a hidden bar, always the same
FONT = 13.0
CHAR = 7.4  # average width of a character at FONT, for the label column


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: hidden (under the threshold)
    text: str  # printed next to the bar: "1.234" or "< 10"
    sublabel: str = ""


def n(x: float) -> str:
    """Coordinates always with one decimal."""
    return f"{x:.1f}"


def _open(chart_id: str, title: str, desc: str, width: float, height: float) -> list[str]:
    return [
        f'<svg class="chart" role="img" viewBox="0 0 {n(width)} '
        f'{n(height)}" aria-labelledby="{chart_id}-t {chart_id}-d" font-size="{n(FONT)}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
        "<defs>",
        f'<pattern id="{chart_id}-hatch" width="{n(6)}" height="{n(6)}" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">',
        f'<rect width="{n(6)}" height="{n(6)}" fill="#ffffff"/>',
        f'<line x1="{n(0)}" y1="{n(0)}" x2="{n(0)}" y2="{n(6)}" stroke="{HATCH_INK}" stroke-width="{n(3)}"/>',
        "</pattern>",
        "</defs>",
    ]


def _hidden_rect(chart_id: str, x: float, y: float, w: float, h: float) -> str:
    return (
        f'<rect class="hidden-bar" x="{n(x)}" y="{n(y)}" width="{n(w)}" height="{n(h)}" '
        f'fill="url(#{chart_id}-hatch)" stroke="{HATCH_INK}" stroke-width="{n(1)}"/>'
    )


def describe(bars: Sequence[Bar], unit: str) -> str:
    parts = []
    for bar in bars:
        label = f"{bar.label} ({bar.sublabel})" if bar.sublabel else bar.label
        parts.append(f"{label}: {bar.text} {unit}")
    return "; ".join(parts) + "."


def hbars(chart_id: str, title: str, bars: Sequence[Bar], unit: str = "vragen") -> str:
    """Horizontal bars, one row per bar, its label on the left and its value after the bar."""
    row, bar_h, top = 26.0, 16.0, 6.0
    label_w = min(250.0, max((len(b.label) for b in bars), default=8) * CHAR + 14.0)
    value_w = 64.0
    area = WIDTH - label_w - value_w
    top_value = max((b.value for b in bars if b.value is not None), default=0) or 1
    height = top * 2 + row * max(len(bars), 1)
    out = _open(chart_id, title, describe(bars, unit), WIDTH, height)
    out.append(f'<g fill="{INK}">')
    for i, bar in enumerate(bars):
        y = top + i * row
        text_y = y + row / 2 + FONT * 0.35
        out.append(f'<text x="{n(label_w - 8)}" y="{n(text_y)}" text-anchor="end">{escape(bar.label)}</text>')
        bar_y = y + (row - bar_h) / 2
        if bar.value is None:
            length = HIDDEN_BAR
            out.append(_hidden_rect(chart_id, label_w, bar_y, length, bar_h))
        else:
            length = area * bar.value / top_value
            out.append(
                f'<rect x="{n(label_w)}" y="{n(bar_y)}" width="{n(length)}" height="{n(bar_h)}" '
                f'fill="{BAR_COLOR}"/>'
            )
        out.append(f'<text x="{n(label_w + length + 6)}" y="{n(text_y)}">{escape(bar.text)}</text>')
    out.append(
        f'<line x1="{n(label_w)}" y1="{n(top)}" x2="{n(label_w)}" y2="{n(height - top)}" '
        f'stroke="{INK}" stroke-width="{n(1)}"/>'
    )
    out.append("</g></svg>")
    return "\n".join(out)


def vbars(chart_id: str, title: str, bars: Sequence[Bar], unit: str = "vragen") -> str:
    """Vertical bars (a time series): value above each bar, label and sublabel under it."""
    height, top, bottom, side = 250.0, 26.0, 44.0, 8.0
    plot_h = height - top - bottom
    slot = (WIDTH - 2 * side) / max(len(bars), 1)
    bar_w = min(64.0, slot * 0.62)
    top_value = max((b.value for b in bars if b.value is not None), default=0) or 1
    base = top + plot_h
    out = _open(chart_id, title, describe(bars, unit), WIDTH, height)
    out.append(f'<g fill="{INK}" text-anchor="middle">')
    for i, bar in enumerate(bars):
        mid = side + slot * (i + 0.5)
        x = mid - bar_w / 2
        if bar.value is None:
            h = HIDDEN_BAR
            out.append(_hidden_rect(chart_id, x, base - h, bar_w, h))
        else:
            h = plot_h * bar.value / top_value
            out.append(
                f'<rect x="{n(x)}" y="{n(base - h)}" width="{n(bar_w)}" height="{n(h)}" fill="{BAR_COLOR}"/>'
            )
        out.append(f'<text x="{n(mid)}" y="{n(base - h - 6)}">{escape(bar.text)}</text>')
        out.append(f'<text x="{n(mid)}" y="{n(base + 18)}">{escape(bar.label)}</text>')
        if bar.sublabel:
            out.append(
                f'<text x="{n(mid)}" y="{n(base + 35)}" font-size="{n(FONT - 1.5)}">'
                f"{escape(bar.sublabel)}</text>"
            )
    out.append(
        f'<line x1="{n(side)}" y1="{n(base)}" x2="{n(WIDTH - side)}" y2="{n(base)}" stroke="{INK}" '
        f'stroke-width="{n(1)}"/>'
    )
    out.append("</g></svg>")
    return "\n".join(out)


def hidden_example(chart_id: str, threshold: int) -> str:
    """A small picture of a hidden bar, for the explanation."""
    text = f"< {threshold}"
    out = _open(
        chart_id,
        "Voorbeeld van een gestreepte balk",
        f"Een korte gestreepte balk met de tekst {text}: een aantal onder de {threshold}.",
        160.0,
        28.0,
    )
    out.append(_hidden_rect(chart_id, 2.0, 6.0, HIDDEN_BAR, 16.0))
    out.append(f'<text x="{n(2 + HIDDEN_BAR + 6)}" y="{n(18.5)}" fill="{INK}">{escape(text)}</text>')
    out.append("</svg>")
    return "\n".join(out)

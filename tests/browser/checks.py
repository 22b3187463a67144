"""The checks every page gets in the browser: axe-core (WCAG 2.2 A and AA) and what a phone needs of a page:
nothing wider than the screen, nothing off-screen, every control large enough to tap.

- Overflow: the page is exactly as wide as the window (with mobile emulation an overflowing page does not
  scroll: the phone zooms out, so `clientWidth` grows past the device width), and no element's box reaches
  past the left or right edge or above the top, except inside a clipping box allowed below.
- Targets: every link, button and form field is at least 44 x 44 px (a checkbox or radio button together
  with its label). Exempt, as WCAG 2.5.8 allows: a link inside a sentence (axe still checks it against
  24 px), and controls with an equivalent that meets the size (below).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TARGET = 44  # px, WCAG 2.5.5 (AAA) and the platforms' guidelines; 2.5.8 (AA, 24 px) is axe's

# Boxes whose content may reach past the window because they clip or scroll it; each must itself fit.
CLIPPING = {
    ".leaflet-container": "the map: Leaflet's panes are larger than the map box, which clips them",
}

# Controls exempt from the 44 px rule, and why.
SMALL_ALLOWED = {
    ".leaflet-marker-icon": "every marker is also a 44 px link in the list of places under the map",
    ".leaflet-control-attribution a": "a credit line; the same credit is printed under the map",
}

_SCRIPT = (Path(__file__).parent / "layout.js").read_text(encoding="utf-8")


def measure(page: Any) -> dict[str, Any]:
    """The page's widths, the elements outside the window and the controls too small to tap."""
    result: dict[str, Any] = page.evaluate(_SCRIPT, [list(CLIPPING), list(SMALL_ALLOWED), TARGET])
    return result


def problems(page: Any, width: int) -> list[str]:
    """Everything that keeps the page from working at `width` px: empty when it fits."""
    m = measure(page)
    found = []
    if m["client"] != width:
        found.append(f"the layout is {m['client']} px wide, not {width} (the phone zooms out)")
    if m["scroll"] > m["client"]:
        found.append(f"the page scrolls sideways: {m['scroll']} px content in {m['client']} px")
    found += [f"outside the window: {e}" for e in m["outside"][:10]]
    found += [f"smaller than {TARGET} px: {e}" for e in m["small"][:10]]
    return found


def axe_violations(axe: Any, page: Any) -> list[dict[str, Any]]:
    results = axe.run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(map(str, node["target"])) for node in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)

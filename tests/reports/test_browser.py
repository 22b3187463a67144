"""The report in Debian's Chromium: no WCAG 2.2 A/AA violation (axe-core), nothing requested but the page
itself, no sideways overflow at A4 width, and a PDF on A4 with a page per section."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.simulate_counts import A4_WIDTH, KERN_NAMES, simulate
from webapp.reports import report_html

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module", params=["oss", None])
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    start, end = date(2025, 6, 1), date(2025, 6, 30)
    html = report_html(simulate(request.param, start, 30), request.param, start, end, kernen=KERN_NAMES)
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture
def page(browser: Any, report: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": A4_WIDTH, "height": 1123})
    requests: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri(), wait_until="load")
    yield page
    context.close()
    assert requests == [report.as_uri()]


@pytest.mark.parametrize("width", [360, A4_WIDTH])
def test_no_wcag_violations(page: Any, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size({"width": width, "height": 900})
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    violations = results.response["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]


def test_fits_a4_in_print(page: Any) -> None:
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 680, "height": 1000})  # A4 minus the page margins, at 96 dpi
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_prints_on_a4_with_a_page_per_section(page: Any) -> None:
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert sizes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in sizes)
    sections = page.locator("section.part").count()
    assert len(sizes) >= sections + 1  # the first page, then every section starts a page

"""axe-core on every page type, at phone and desktop size, in Dutch and in Arabic (right to left):
no WCAG 2.2 A/AA violations."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from .conftest import DETAIL, ONBEKEND, QUESTION, SPOED, WIJKTEAM

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORTS = {"phone": (360, 740), "desktop": (1280, 800)}

PAGES = {
    "home": "/",
    "answer-voorziening": f"/vraag?q={quote(QUESTION)}&gemeente=oss",
    "answer-spoed": f"/vraag?q={quote(SPOED)}",
    "answer-wijkteam": f"/vraag?q={quote(WIJKTEAM)}&gemeente=oss",
    "answer-onbekend": f"/vraag?q={quote(ONBEKEND)}&gemeente=oss",
    "answer-form-error": "/vraag?q=&gemeente=oss",
    "categorie": "/categorie/ontmoeting?gemeente=meierijstad",
    "detail": f"/voorziening/{DETAIL}",
    "kaart": f"/kaart?focus={DETAIL}",  # with the focused place's popup open
    "wijkteam": "/wijkteam/oss",
    "nood": "/nood",
    "hulpkaart": f"/hulpkaart?gemeente=geertruidenberg&slug={DETAIL}&slug=de-luisterlijn",
    "toegankelijkheid": "/toegankelijkheid",
    "404": "/bestaat-niet",
}


@pytest.fixture(scope="session")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def with_lang(path: str, lang: str) -> str:
    if lang == "nl":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(map(str, node["target"])) for node in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("lang", ["nl", "ar"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_no_wcag_violations(page, base_url, axe, name: str, viewport: str, lang: str) -> None:
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(base_url + with_lang(PAGES[name], lang), wait_until="load")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    if name == "kaart":
        page.wait_for_selector(".leaflet-popup-content a")  # the map is built and the popup is open
        page.wait_for_function(  # and fully shown (axe measures contrast through any fade)
            "() => { const p = document.querySelector('.leaflet-popup');"
            " return p && getComputedStyle(p).opacity === '1'; }"
        )
    results = axe.run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    violations = results.response["violations"]
    assert not violations, f"{name} {viewport} {lang}:\n{describe(violations)}"


def test_axe_reports_a_violation(page, axe) -> None:
    """The check above can fail: an unlabelled field is reported."""
    page.set_content('<!doctype html><html lang="nl"><title>x</title><main><input type="text"></main></html>')
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert "label" in {v["id"] for v in results.response["violations"]}

"""Every page type, in every UI language, on a phone (360 x 740, mobile emulation) and on a laptop
(1280 x 800): no WCAG 2.2 A/AA violation (axe-core), nothing wider than the screen or off-screen, every
control 44 px or more (checks.py). Pages that JavaScript changes are checked without it too.

Answers are asked as a resident asks them: the question form on the home page, sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from .checks import WCAG_TAGS, axe_violations, describe, problems
from .conftest import DETAIL, DEVICES, LANGS, ONBEKEND, SPOED, WIJKTEAM, with_lang

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Asked:
    """An answer page: this question sent with the home page's form (gemeente chosen or not)."""

    question: str
    gemeente: str = ""


PAGES: dict[str, str | Asked] = {
    "home": "/",
    "answer-voorziening": Asked("mijn moeder wordt vergeetachtig, waar kan ze overdag heen", "oss"),
    "answer-spoed": Asked(SPOED),
    "answer-wijkteam": Asked(WIJKTEAM, "oss"),
    "answer-onbekend": Asked(ONBEKEND, "oss"),
    "answer-form-error": Asked("", "oss"),
    "categorie": "/categorie/ontmoeting?gemeente=meierijstad",
    "detail": f"/voorziening/{DETAIL}",
    "kaart": f"/kaart?focus={DETAIL}",  # with the focused place's popup open
    "hulpkaart": f"/hulpkaart?gemeente=geertruidenberg&slug={DETAIL}&slug=de-luisterlijn",
    "nood": "/nood",
    "wijkteam-index": "/wijkteam",
    "wijkteam": "/wijkteam/oss",
    "toegankelijkheid": "/toegankelijkheid",
    "404": "/bestaat-niet",
}

# What shows on these pages changes with JavaScript (the map, the print, copy and share buttons, the quick
# exit's keyboard hint), so each is also checked without it.
JS_CHANGES = ("answer-spoed", "detail", "kaart", "hulpkaart", "nood")

# A part of the page that tells which page it is, so a wrong page cannot pass unnoticed.
LANDMARK = {
    "answer-voorziening": "article.card",
    "answer-spoed": ".emergency-lines",
    "answer-wijkteam": "#wijkteam",
    "answer-onbekend": ".bubble--answer",
    "answer-form-error": ".error-summary",
    "categorie": "article.card",
    "detail": "#adres",
    "kaart": ".places",
    "hulpkaart": ".hulpkaart__item",
    "nood": ".emergency-lines",
    "wijkteam": ".panel--handoff",
}

CASES = [
    pytest.param(name, device, js, lang, id=f"{name}-{device}{'' if js else '-nojs'}-{lang}")
    for name in PAGES
    for js in ((True, False) if name in JS_CHANGES else (True,))
    for device in DEVICES
    for lang in LANGS
]


@pytest.fixture(scope="session")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def open_page(page: Any, base_url: str, name: str, lang: str, js: bool) -> None:
    target = PAGES[name]
    if isinstance(target, str):
        page.goto(base_url + with_lang(target, lang), wait_until="load")
    else:
        home = with_lang(f"/?gemeente={target.gemeente}" if target.gemeente else "/", lang)
        page.goto(base_url + home, wait_until="load")
        page.fill("#q", target.question)
        with page.expect_navigation(wait_until="load"):
            page.click("form.ask-form [type=submit]")
    if name == "kaart" and js:
        page.wait_for_selector(".leaflet-popup-content a")  # the map is built and the popup is open
        page.wait_for_function(  # and fully shown (axe measures contrast through any fade)
            "() => { const p = document.querySelector('.leaflet-popup');"
            " return p && getComputedStyle(p).opacity === '1'; }"
        )


@pytest.mark.parametrize(("name", "device", "js", "lang"), CASES)
def test_page_works_on_phone_and_desktop(
    device_page, base_url, axe, name: str, device: str, js: bool, lang: str
) -> None:
    page = device_page(device, js)
    open_page(page, base_url, name, lang, js)
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (lang, "rtl" if lang == "ar" else "ltr")
    if name in LANDMARK:
        assert page.locator(LANDMARK[name]).count() > 0, f"{name}: no {LANDMARK[name]} on {page.url}"
    width = DEVICES[device]["viewport"]["width"]
    found = problems(page, width)
    assert not found, f"{name} {device} {lang} at {width} px:\n" + "\n".join(found)
    violations = axe_violations(axe, page if js else static_copy(page, device_page(device, "blocked")))
    assert not violations, f"{name} {device} {lang}:\n{describe(violations)}"


def static_copy(page: Any, blocked: Any) -> Any:
    """The page as rendered without JavaScript, copied into `blocked` (same device, the site's scripts never
    load) at the same address, with <noscript> content shown as it was."""
    html = page.content().replace("<noscript>", "<div>").replace("</noscript>", "</div>")
    blocked.goto(page.url, wait_until="commit")  # the same origin and path, so relative links resolve alike
    blocked.set_content(html, wait_until="load")
    return blocked


def test_axe_reports_a_violation(device_page, axe) -> None:
    """The axe check can fail: an unlabelled field is reported."""
    page = device_page("phone", True)
    page.set_content('<!doctype html><html lang="nl"><title>x</title><main><input type="text"></main></html>')
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert "label" in {v["id"] for v in results.response["violations"]}


def test_layout_check_reports_what_a_phone_cannot_show(browser) -> None:
    """The layout check can fail: the old skip link (left: -9999px) in a right-to-left page, a box wider
    than the screen and a small button are each reported."""
    page = browser.new_context(**DEVICES["phone"]).new_page()  # fresh: no zoom left by other pages
    page.set_content(
        '<!doctype html><html lang="ar" dir="rtl"><head><meta name="viewport" content="width=device-width">'
        "</head><body>"
        '<a href="#x" style="position:absolute;left:-9999px">skip</a>'
        '<div style="width:500px">wide</div><button style="height:30px">small</button></body></html>'
    )
    found = "\n".join(problems(page, 360))
    assert "the layout is" in found or "scrolls sideways" in found
    assert 'outside the window: a "skip"' in found
    assert "outside the window: div" in found
    assert 'smaller than 44 px: button "small"' in found
    page.context.close()

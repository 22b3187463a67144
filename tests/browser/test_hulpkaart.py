"""/hulpkaart in a browser: a volunteer picks places without JavaScript and prints one page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from webapp.content import load_content

from ..conftest import ROOT
from .conftest import DETAIL

pytestmark = pytest.mark.browser


def fullest_entries(n: int) -> list[Any]:
    """The n entries that take most room on paper: most opening lines, longest note and title."""
    entries = load_content(ROOT / "content").entries
    return sorted(
        entries,
        key=lambda e: (len(e.openingstijden.tijden), len(e.openingstijden.notitie) + len(e.titel)),
        reverse=True,
    )[:n]


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_pick_places_without_javascript(nojs_page, base_url) -> None:
    page = nojs_page
    page.goto(base_url + "/hulpkaart")
    assert page.locator(".hulpkaart__item").count() == 0
    page.select_option("#h-gemeente", "oss")
    page.click("button:text-is('Zoek plekken')")
    page.wait_for_url("**gemeente=oss**")
    boxes = page.locator("#kies input[type=checkbox]")
    assert boxes.count() > 6
    for i in range(3):
        boxes.nth(i).check()
    names = [
        page.locator(f"label[for='{boxes.nth(i).get_attribute('id')}'] span[lang]").inner_text()
        for i in range(3)
    ]
    page.click("button:text-is('Maak de hulpkaart')")
    page.wait_for_url("**slug=**")
    assert len(parse_qs(urlsplit(page.url).query)["slug"]) == 3
    assert page.locator(".hulpkaart__name").all_inner_texts() == names

    # A different filter keeps the chosen places (ticked, on top), and adds a fourth.
    page.select_option("#h-gemeente", "maashorst")
    page.click("button:text-is('Zoek plekken')")
    page.wait_for_url("**gemeente=maashorst**")
    chosen = page.locator("#kies fieldset").first.locator("input[type=checkbox]")
    assert chosen.count() == 3 and all(chosen.nth(i).is_checked() for i in range(3))
    page.locator("#kies fieldset").nth(1).locator("input[type=checkbox]").first.check()
    # Untick one.
    chosen.first.uncheck()
    page.click("button:text-is('Maak de hulpkaart')")
    page.wait_for_url("**slug=**")
    items = page.locator(".hulpkaart__name").all_inner_texts()
    assert len(items) == 3 and names[0] not in items and items[:2] == names[1:]


def test_from_a_detail_page(page, base_url) -> None:
    page.goto(base_url + f"/voorziening/{DETAIL}")
    name = page.locator("h1").inner_text()
    page.click("a:text-is('Zet op een hulpkaart om te printen')")
    page.wait_for_url(f"**/hulpkaart?slug={DETAIL}")
    assert page.locator(".hulpkaart__name").all_inner_texts() == [name]
    assert page.locator(f"#h-{DETAIL}").is_checked()
    assert page.locator(".js-print").is_visible()  # the print button shows when JavaScript runs


def test_six_places_print_on_one_page_in_large_type(page, base_url) -> None:
    entries = fullest_entries(6)
    query = "&".join(f"slug={e.slug}" for e in entries)
    page.goto(base_url + f"/hulpkaart?{query}")
    page.emulate_media(media="print")
    try:
        for hidden in (".site-header", ".site-footer", ".hulpkaart-form", ".js-print", ".skip-link"):
            assert not page.locator(hidden).is_visible(), f"{hidden} is printed"
        items = page.locator(".hulpkaart__item")
        assert items.count() == 6
        assert all(items.nth(i).is_visible() for i in range(6))
        demo = sum(1 for e in entries if e.voorbeeld)
        assert page.locator(".hulpkaart__item .badge--voorbeeld").count() == demo
        if demo:
            assert page.locator(".hulpkaart__item .badge--voorbeeld").first.is_visible()
        missing = sum(1 for e in entries if not e.telefoon)
        assert page.locator(".hulpkaart__item dd:text-is('Nog niet bekend.')").count() == missing
        size = page.eval_on_selector(".hulpkaart__facts dd", "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 20, f"print type is {size}px (15pt is 20px)"
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        page.emulate_media(media="screen")
    assert pdf_pages(pdf) == 1

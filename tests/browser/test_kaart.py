"""/kaart in a browser: the folium/Leaflet map runs under the strict CSP from the app's own files, every
listed place is a keyboard-operable marker, and without JavaScript the list is the page."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import DETAIL

pytestmark = pytest.mark.browser

FILTERED = "/kaart?categorie=ontmoeting&gemeente=meierijstad"


def open_map(page: Any, base_url: str, path: str) -> None:
    page.goto(base_url + path)
    page.wait_for_selector(".leaflet-marker-icon")


def test_every_place_in_the_list_is_a_marker_with_a_name(page, base_url) -> None:
    open_map(page, base_url, FILTERED)
    titles = page.locator(".place h3 a").all_inner_texts()
    assert len(titles) > 3
    markers = page.locator("img.leaflet-marker-icon")
    alts = [markers.nth(i).get_attribute("alt") for i in range(markers.count())]
    assert sorted(alts) == sorted(titles)
    for i in range(markers.count()):
        marker = markers.nth(i)
        assert marker.get_attribute("title") == marker.get_attribute("alt")
        assert marker.get_attribute("tabindex") == "0"
        assert marker.get_attribute("role") == "button"

    box = page.locator("#map_kaart")
    assert box.is_visible()
    assert box.get_attribute("role") == "region"
    assert box.get_attribute("aria-label") == f"Kaart met {len(titles)} plekken"
    # TILE_URL is empty: no tiles, and the page says so.
    assert page.locator(".leaflet-tile").count() == 0
    assert "geen achtergrondkaart" in page.locator("#kaart").inner_text()
    # Leaflet and the map script come from the app itself.
    sources = page.eval_on_selector_all("script[src]", "els => els.map(e => e.getAttribute('src'))")
    assert "/static/vendor/leaflet/leaflet.js" in sources
    assert any(s.startswith("/kaart/kaart.js?") for s in sources)


def test_marker_popup_by_keyboard(page, base_url) -> None:
    open_map(page, base_url, FILTERED)
    marker = page.locator("img.leaflet-marker-icon").first
    name = marker.get_attribute("alt")
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup-content a")
    link.wait_for()
    assert link.inner_text() == name
    assert link.get_attribute("href").startswith("/voorziening/")
    assert page.evaluate("document.activeElement.textContent") == name, "focus did not move into the popup"
    assert page.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "Sluiten"

    page.keyboard.press("Escape")
    page.locator(".leaflet-popup").wait_for(state="detached")
    assert page.evaluate("document.activeElement.getAttribute('alt')") == name, "focus not back on the marker"

    # The popup's link leads to the place's page.
    marker.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.wait_for_url("**/voorziening/**")
    assert page.locator("h1").inner_text() == name


def test_show_on_map_button_in_the_list(page, base_url) -> None:
    open_map(page, base_url, FILTERED)
    buttons = page.locator(".place .js-show-on-map")
    assert buttons.count() == page.locator(".place").count()
    third = page.locator(".place").nth(2)
    name = third.locator("h3 a").inner_text()
    third.locator(".js-show-on-map").click()
    assert page.locator(".leaflet-popup-content a").inner_text() == name
    assert page.evaluate("document.activeElement.getAttribute('alt')") == name
    assert page.locator(".leaflet-control-zoom-in").get_attribute("aria-label") == "Inzoomen"


def test_focus_centres_on_one_place(page, base_url) -> None:
    open_map(page, base_url, f"/kaart?focus={DETAIL}")
    first = page.locator(".place").first
    assert "place--focus" in (first.get_attribute("class") or "")
    name = first.locator("h3 a").inner_text()
    popup = page.locator(".leaflet-popup-content a")
    popup.wait_for()
    assert popup.inner_text() == name
    assert page.evaluate("map_kaart.getZoom()") == 16


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_an_open_popup_fits_inside_the_map_on_a_phone(page, base_url, lang: str) -> None:
    open_map(page, base_url, f"/kaart?focus={DETAIL}&lang={lang}")
    page.locator(".leaflet-popup-close-button").wait_for()
    page.wait_for_timeout(400)  # Leaflet's pan into view is animated
    box = page.locator("#map_kaart").bounding_box()
    for part in (".leaflet-popup-content-wrapper", ".leaflet-popup-close-button"):
        inner = page.locator(part).bounding_box()
        assert box["x"] <= inner["x"] and inner["x"] + inner["width"] <= box["x"] + box["width"] + 0.5, part


def test_detail_page_links_to_its_place_on_the_map(page, base_url) -> None:
    page.goto(base_url + f"/voorziening/{DETAIL}")
    page.click("a:text-is('Bekijk op de kaart')")
    page.wait_for_selector(".leaflet-popup-content a")
    assert (
        page.locator(".place--focus h3 a").inner_text()
        == page.locator(".leaflet-popup-content a").inner_text()
    )


def test_without_javascript_the_list_is_the_page(nojs_page, base_url) -> None:
    nojs_page.goto(base_url + FILTERED)
    assert not nojs_page.locator("#kaart").is_visible()
    assert nojs_page.locator(".leaflet-container").count() == 0
    assert "Zonder JavaScript zie je geen kaart" in nojs_page.locator("main").inner_text()
    before = nojs_page.locator(".place").count()
    assert before > 3
    assert nojs_page.locator(".js-show-on-map").count() == 0
    # The filters work as a plain form (folded away once a choice is made).
    assert not nojs_page.locator("#f-kern").is_visible()
    nojs_page.click("summary:text-is('Kies onderwerp en plaats')")
    nojs_page.select_option("#f-kern", "Veghel")
    nojs_page.click(".filters button[type=submit]")
    nojs_page.wait_for_url("**kern=Veghel**")
    assert 0 < nojs_page.locator(".place").count() < before
    assert "Plaats: Veghel." in nojs_page.locator(".lead").inner_text()

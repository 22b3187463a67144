"""/kaart and /kaart/kaart.js: the list is the page, the folium map script shows the same places and only
ever points at the app's own Leaflet."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from webapp.site.map import ELEMENT_ID, Marker, build_map, render_map

DETAIL = "geertruidenberg-alzheimer-cafe"
FILTERED = "/kaart?categorie=ontmoeting&gemeente=meierijstad"


def list_slugs(page) -> list[str]:
    return [
        e.get("href").split("?")[0].rsplit("/", 1)[1]
        for e in page.all("a")
        if "li" in e.parents and "h3" in e.parents and e.get("href").startswith("/voorziening/")
    ]


def script_rows(client, page) -> list[list]:
    src = next(e.get("src") for e in page.all("script") if e.get("src", "").startswith("/kaart/kaart.js"))
    response = client.get(src)
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    match = re.search(r"^  (\[\[.*\]\])\.forEach", response.get_data(as_text=True), re.M)
    assert match, "no places in the map script"
    return json.loads(match.group(1))


@pytest.mark.parametrize(
    "url",
    [
        "/kaart",
        FILTERED,
        "/kaart?gemeente=oss&kern=Berghem&gratis=1",
        f"/kaart?focus={DETAIL}",
        f"/kaart?focus={DETAIL}&lang=ar",
        "/kaart?categorie=bestaat-niet&gemeente=atlantis&kern=Nergens",
        "/kaart?categorie=ontmoeting&gemeente=oss&open=1&rolstoel=1&zonder=1",
    ],
)
def test_kaart_pages_pass_checks(get_page, url: str) -> None:
    page = get_page(url)
    assert page.one("h1").text == "Plekken op de kaart" or "lang=ar" in url


def test_every_marker_is_in_the_list_and_the_other_way_round(client, get_page, catalog) -> None:
    page = get_page(FILTERED)
    slugs = list_slugs(page)
    assert slugs
    rows = script_rows(client, page)
    assert sorted(r[0] for r in rows) == sorted(slugs)
    for slug, name, lat, lon, _address, demo in rows:
        entry = catalog.entries[slug]
        assert entry.gemeente in ("meierijstad", "landelijk") and "ontmoeting" in entry.categorieen
        assert (name, lat, lon, demo) == (entry.titel, entry.lat, entry.lon, int(entry.voorbeeld))
    heading = page.by_id("lijst-titel").text
    assert heading == f"{len(slugs)} plekken op de kaart"


def test_map_is_an_enhancement_with_a_text_alternative(get_page) -> None:
    page = get_page(FILTERED)
    section = page.by_id("kaart")
    assert "hidden" in section.attrs  # map.js shows it; without JS the list is the page
    box = page.by_id(ELEMENT_ID)
    assert box.get("role") == "region" and box.get("aria-label").startswith("Kaart met ")
    assert box.get("aria-describedby") == "kaart-uitleg"
    assert "Zonder JavaScript zie je geen kaart" in " ".join(e.text for e in page.all("noscript"))
    assert any(e.get("href") == "#lijst" for e in page.all("a"))


def test_only_the_local_leaflet_is_loaded(client, get_page) -> None:
    page = get_page(FILTERED)
    scripts = [e.get("src") for e in page.all("script")]
    assert "/static/vendor/leaflet/leaflet.js" in scripts
    assert scripts.index("/static/js/map.js") < scripts.index("/static/vendor/leaflet/leaflet.js")
    assert [e.get("href") for e in page.all("link") if "vendor" in e.get("href")] == [
        "/static/vendor/leaflet/leaflet.css"
    ]
    script = client.get(next(s for s in scripts if s.startswith("/kaart/kaart.js"))).get_data(as_text=True)
    assert "http" not in script and "$(" not in script and "<script" not in script
    assert f'var {ELEMENT_ID} = L.map(\n                "{ELEMENT_ID}"' in script
    for name in (
        "leaflet.js",
        "leaflet.css",
        "LICENSE",
        "images/marker-icon.png",
        "images/marker-shadow.png",
    ):
        assert client.get(f"/static/vendor/leaflet/{name}").status_code == 200, name


def test_script_is_deterministic_and_cached_by_etag(client) -> None:
    url = "/kaart/kaart.js?categorie=ontmoeting&gemeente=oss"
    first, second = client.get(url), client.get(url)
    assert first.data == second.data
    assert first.headers["ETag"] and first.headers["Cache-Control"] == "no-cache"
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get("/kaart/kaart.js?gemeente=oirschot").headers["ETag"] != first.headers["ETag"]


def test_no_tiles_without_tile_url(client) -> None:
    script = client.get("/kaart/kaart.js").get_data(as_text=True)
    assert "tileLayer" not in script
    page = client.get("/kaart").get_data(as_text=True)
    assert "geen achtergrondkaart" in page


def test_tiles_and_attribution_from_config(site_app, client, monkeypatch) -> None:
    monkeypatch.setitem(site_app.config, "TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    monkeypatch.setitem(site_app.config, "TILE_ATTRIBUTION", "© Kaart <b>bron</b>")
    script = client.get("/kaart/kaart.js").get_data(as_text=True)
    assert 'L.tileLayer(\n                "https://tiles.example.org/{z}/{x}/{y}.png"' in script
    assert "\\u0026lt;b\\u0026gt;bron" in script  # HTML-escaped for Leaflet, then JSON-escaped
    page = client.get("/kaart").get_data(as_text=True)
    assert "Kaart: © Kaart &lt;b&gt;bron&lt;/b&gt;" in page


def test_focus_centres_on_one_place_among_its_neighbours(client, get_page, catalog) -> None:
    entry = catalog.entries[DETAIL]
    page = get_page(f"/kaart?focus={DETAIL}")
    slugs = list_slugs(page)
    assert slugs[0] == DETAIL
    assert "Deze plek zocht je." in page.main_text
    assert all(catalog.entries[s].gemeente in (entry.gemeente, "landelijk") for s in slugs)
    script = client.get(f"/kaart/kaart.js?focus={DETAIL}").get_data(as_text=True)
    assert f'markers["{DETAIL}"].openPopup()' in script
    assert f"center: [{entry.lat}, {entry.lon}]" in script and '"zoom": 16' in script
    assert "fitBounds" not in script


def test_focus_on_a_place_without_an_address_is_ignored(client, get_page, catalog) -> None:
    slug = next(s for s, e in catalog.entries.items() if e.lat is None)
    page = get_page(f"/kaart?focus={slug}")
    assert slug not in list_slugs(page)
    assert "openPopup" not in client.get(f"/kaart/kaart.js?focus={slug}").get_data(as_text=True)


def test_kern_filter(get_page, catalog) -> None:
    page = get_page("/kaart?gemeente=meierijstad&kern=Veghel")
    slugs = list_slugs(page)
    assert slugs
    for slug in slugs:
        entry = catalog.entries[slug]
        assert entry.landelijk or not entry.kernen or "Veghel" in entry.kernen
    assert len(slugs) < len(list_slugs(get_page("/kaart?gemeente=meierijstad")))


def test_places_without_an_address_are_pointed_to(get_page, catalog) -> None:
    page = get_page("/kaart?categorie=psychisch")
    without = [e for e in catalog.in_category("psychisch") if e.lat is None]
    assert without
    assert f"{len(without)} plekken hebben geen adres" in page.main_text
    assert "/categorie/psychisch" in page.hrefs()


def test_links_keep_the_language(client, get_page) -> None:
    page = get_page(f"/kaart?focus={DETAIL}&lang=ar")
    for href in list_slugs(page):
        assert href
    links = [e.get("href") for e in page.all("a") if e.get("href", "").startswith("/voorziening/")]
    assert links and all(parse_qs(urlsplit(h).query).get("lang") == ["ar"] for h in links)
    src = next(e.get("src") for e in page.all("script") if e.get("src", "").startswith("/kaart/kaart.js"))
    assert parse_qs(urlsplit(src).query)["lang"] == ["ar"]
    script = client.get(src).get_data(as_text=True)
    assert '"/voorziening/{slug}?lang=ar"' in script


def test_category_and_detail_pages_link_to_the_map(get_page) -> None:
    assert (
        "/kaart?categorie=ontmoeting&gemeente=oss" in get_page("/categorie/ontmoeting?gemeente=oss").hrefs()
    )
    assert f"/kaart?focus={DETAIL}" in get_page(f"/voorziening/{DETAIL}").hrefs()


def test_build_map_references_only_what_it_is_given() -> None:
    markers = [Marker("a", 'Naam "x" </script>', 51.7, 5.5, "Straat 1"), Marker("b", "B", 51.8, 5.6)]
    fmap = build_map(markers, href="/p/{slug}", leaflet_js="/l.js", leaflet_css="/l.css")
    rendered = render_map(fmap)
    assert rendered.js == ("/l.js",) and rendered.css == ("/l.css",)
    assert "</script>" not in rendered.script and "\\u003c/script>" in rendered.script
    assert "keyboard: true" in rendered.script and "title: p[1], alt: p[1]" in rendered.script
    full = fmap.get_root().render()
    assert not re.search(r"(src|href)=\"https?://", full), "folium's own page points at a CDN"

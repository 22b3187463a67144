"""The resident pages: every page type passes the page checks, and the behaviour residents rely on."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from webapp.site import helpers
from webapp.site.hours import TZ

SPOED = "ik wil dood, echt waar"
QUESTION = "ik voel me alleen"


# Every page type passes the house rules (one h1, title, unique ids, labels, lang, no inline script/style).
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?gemeente=oss",
        "/?lang=en",
        f"/vraag?q={QUESTION}&gemeente=oss",
        f"/vraag?q={QUESTION}",
        f"/vraag?q={QUESTION}&gemeente=oss&vervolg=nee",
        f"/vraag?q={QUESTION}&gemeente=oss&vervolg=nee&mee=1",
        f"/vraag?q={SPOED}",
        "/categorie/ontmoeting",
        "/categorie/ontmoeting?gemeente=meierijstad&kern=Veghel&gratis=1",
        "/voorziening/de-luisterlijn",
        "/voorziening/de-luisterlijn?lang=pl",
        "/wijkteam",
        "/wijkteam/oss",
        "/nood",
        "/nood?lang=ar",
        "/toegankelijkheid",
        "/tuintips",
    ],
)
def test_page_passes_checks(get_page, url: str) -> None:
    get_page(url)


def test_every_voorziening_page_passes_checks(get_page, catalog) -> None:
    for slug in sorted(catalog.entries):
        get_page(f"/voorziening/{slug}")


def test_not_found_pages(get_page) -> None:
    assert "bestaat niet" in get_page("/bestaat-niet", 404).main_text
    get_page("/categorie/geen-categorie", 404)
    get_page("/voorziening/geen-plek", 404)
    get_page("/wijkteam/atlantis", 404)


def test_server_error_page(site_app, client, monkeypatch) -> None:
    def broken(slug: str) -> str:
        raise RuntimeError("boom")

    monkeypatch.setitem(site_app.view_functions, "toegankelijkheid.index", broken)
    monkeypatch.setitem(site_app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/toegankelijkheid")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.get_data(as_text=True)


def test_nood_link_in_the_header_of_every_page(get_page) -> None:
    for url in ("/", "/categorie/geld", "/voorziening/de-luisterlijn", "/wijkteam", "/toegankelijkheid"):
        page = get_page(url)
        assert any(e.get("href") == "/nood" for e in page.all("a") if "header" in e.parents), url


def test_home_has_question_box_examples_gemeente_and_16_tiles(get_page) -> None:
    page = get_page("/?gemeente=maashorst")
    assert page.one("label", **{"for": "q"}).text == "Stel je vraag"
    select = page.by_id("gemeente")
    assert select.tag == "select"
    selected = [e.get("value") for e in page.all("option") if "selected" in e.attrs]
    assert selected == ["maashorst"]
    examples = [h for h in page.hrefs() if h.startswith("/vraag?q=")]
    assert 3 <= len(examples) <= 4
    assert all("gemeente=maashorst" in h for h in examples)
    tiles = [h for h in page.hrefs() if h.startswith("/categorie/")]
    assert len(tiles) == 16
    assert all(h.endswith("?gemeente=maashorst") for h in tiles)


def test_answer_page_shows_question_answer_and_cards(get_page, catalog) -> None:
    page = get_page(f"/vraag?q={QUESTION}&gemeente=oss")
    assert QUESTION in page.main_text
    cards = page.all("article")
    assert 1 <= len(cards) <= 5
    slugs = [h.split("?")[0].removeprefix("/voorziening/") for h in page.hrefs() if "#" not in h]
    shown = [s for s in slugs if s in catalog.entries]
    assert shown and all(catalog.entries[s].gemeente in ("oss", "landelijk") for s in shown)
    for slug in shown:
        entry = catalog.entries[slug]
        tels = [h for h in page.hrefs() if h.startswith("tel:")]
        if entry.telefoon:
            assert "tel:" + entry.telefoon.replace("-", "").replace(" ", "") in tels


def test_question_is_escaped(client) -> None:
    html = client.get("/vraag?q=<b>eenzaam</b> alleen&gemeente=oss").get_data(as_text=True)
    assert "<b>eenzaam</b>" not in html
    assert "&lt;b&gt;eenzaam&lt;/b&gt;" in html


def test_unknown_gemeente_asks_for_it_and_keeps_the_question(get_page) -> None:
    page = get_page(f"/vraag?q={QUESTION}")
    assert "In welke gemeente woon je?" in page.main_text
    hidden = [e for e in page.all("input", type="hidden", name="q")]
    assert hidden and {e.get("value") for e in hidden} == {QUESTION}  # in every follow-up form
    assert page.by_id("vervolg-gemeente").tag == "select"


def test_the_question_is_posted_and_never_cached(get_page, post_page) -> None:
    home = get_page("/")
    (form,) = [f for f in home.all("form") if "ask-form" in f.get("class")]
    assert form.get("method") == "post" and form.get("action") == "/vraag"
    page = post_page("/vraag", {"q": QUESTION, "gemeente": "oss"})
    assert page.headers["Cache-Control"] == "no-store"
    assert QUESTION in page.main_text
    assert all(f.get("method") == "post" for f in page.all("form") if "vraag" in f.get("action"))
    assert not [h for h in page.hrefs() if "q=" in h]  # no link carries the question
    again = post_page("/vraag?lang=ar", {"q": QUESTION, "gemeente": "oss", "vervolg": "ja"})
    assert "Fijn dat we je konden helpen." not in again.main_text  # translated, in Arabic
    assert again.headers["Cache-Control"] == "no-store"
    bad = post_page("/vraag", {"q": ""}, 400)
    assert bad.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("q=", "q"),
        ("q=%20%20", "q"),
        ("", "q"),
        ("q=" + "a" * 501, "q"),
        ("q=hallo%07daar", "q"),
        ("q=hulp&gemeente=atlantis", "gemeente"),
    ],
)
def test_bad_input_gives_400_with_error_summary(get_page, query: str, field: str) -> None:
    page = get_page(f"/vraag?{query}", 400)
    summary = page.one_where(lambda e: "error-summary" in e.get("class").split())
    assert summary.get("role") == "alert"
    links = [e.get("href") for e in page.all("a") if "div" in e.parents and e.get("href").startswith("#")]
    assert f"#{field}" in links
    invalid = page.by_id(field)
    assert invalid.get("aria-invalid") == "true"
    assert f"{field}-fout" in invalid.get("aria-describedby").split()
    page.by_id(f"{field}-fout")


def test_spoed_shows_emergency_lines_before_anything_else(get_page) -> None:
    page = get_page(f"/vraag?q={SPOED}")
    text = page.main_text
    positions = [text.find(number) for number in ("112", "0800-0113")]
    assert all(p >= 0 for p in positions), text[:300]
    before = text[: max(positions)]
    assert text.startswith("Bel nu voor hulp")
    for later in (SPOED, "Jouw vraag", "Antwoord", "Snel weg"):
        assert later not in before, later
    assert text.find(SPOED) > max(positions)
    assert "tel:112" in page.hrefs() and "tel:08000113" in page.hrefs()


def test_zorg_block_stands_above_an_ordinary_answer(get_page, route_as) -> None:
    question = "mijn buurman is zo stil de laatste tijd, is er een buurthuis"
    route_as(question, "voorziening", "zorg", "violence")
    page = get_page(f"/vraag?q={question}&gemeente=oss")
    block = page.by_id("veiligheid-titel")
    assert block.text == "Hulp als het niet veilig is"
    text = page.main_text
    assert (
        text.index("Hulp als het niet veilig is") < text.index("Jouw vraag") < text.index("Dit kan je helpen")
    )
    assert "tel:112" in page.hrefs() and "tel:08002000" in page.hrefs()
    assert "tel:08000113" not in page.hrefs()  # only the lines that fit


def test_an_answer_without_a_safety_level_has_no_block(get_page, route_as) -> None:
    route_as("waar is een buurthuis", "voorziening")
    page = get_page("/vraag?q=waar is een buurthuis&gemeente=oss")
    assert "Hulp als het niet veilig is" not in page.main_text


def test_nood_page_lists_the_three_lines_first(get_page) -> None:
    page = get_page("/nood")
    text = page.main_text
    for number in ("112", "0800-0113", "0800-2000"):
        assert number in text[:800]
    for tel in ("tel:112", "tel:08000113", "tel:08002000"):
        assert tel in page.hrefs()
    assert "De Luisterlijn" in text


@pytest.mark.parametrize("url", [f"/vraag?q={SPOED}", "/nood"])
def test_quick_exit_on_spoed_and_nood(get_page, url: str) -> None:
    page = get_page(url)
    exit_link = page.by_id("snel-weg")
    assert exit_link.tag == "a" and exit_link.text == "Snel weg"
    assert "js-quick-exit" in exit_link.get("class")
    neutral = get_page(exit_link.get("href"), check=False)
    assert "Dichtbij" not in neutral.html and "nood" not in neutral.html.lower()
    # its own empty icon: the browser asks for no /favicon.ico (a 404) and shows no Dichtbij icon in the tab
    assert '<link rel="icon" href="data:,">' in neutral.html and "favicon" not in neutral.html


def test_no_quick_exit_on_an_ordinary_answer(get_page) -> None:
    page = get_page(f"/vraag?q={QUESTION}&gemeente=oss")
    assert not [e for e in page.elements if e.get("id") == "snel-weg"]


def mailto_body(page) -> str:
    (href,) = [h for h in page.hrefs() if h.startswith("mailto:")]
    return parse_qs(urlsplit(href).query)["body"][0]


def test_handoff_without_an_email_address_says_where_to_find_it(get_page) -> None:
    page = get_page(f"/vraag?q={quote(QUESTION)}&gemeente=oss&vervolg=nee")
    assert "Neem contact op met het wijkteam" in page.main_text
    assert not [h for h in page.hrefs() if h.startswith("mailto:")]  # never a mailto with an empty To:
    assert "nog geen e-mailadres van het wijkteam" in page.main_text


def test_no_handoff_until_the_resident_says_no(get_page) -> None:
    page = get_page(f"/vraag?q={QUESTION}&gemeente=oss")
    assert "Neem contact op met het wijkteam" not in page.main_text
    (nee,) = page.all("button", name="vervolg", value="nee")
    assert nee.get("formaction").endswith("#wijkteam")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_language_is_kept_in_links_and_forms(get_page, lang: str) -> None:
    for url in (
        f"/?lang={lang}",
        f"/vraag?q={QUESTION}&gemeente=oss&lang={lang}",
        f"/categorie/geld?lang={lang}",
    ):
        page = get_page(url)
        internal = [
            h
            for h in page.hrefs()
            if h.startswith("/") and not h.startswith("/static/") and "lang=" not in h.split("#")[0]
        ]
        switch_to_nl = [h for h in internal if h.split("?")[0] == urlsplit(url).path]
        assert len(internal) - len(switch_to_nl) == 0, (url, internal)
        forms = page.all("form")
        hidden = page.all("input", type="hidden", name="lang")
        in_action = [f for f in forms if f"lang={lang}" in f.get("action")]  # the posting forms
        assert forms and len(hidden) + len(in_action) == len(forms), url
        assert all(e.get("value") == lang for e in hidden)


def test_category_filters_filter(get_page, catalog) -> None:
    def slugs(url: str) -> set[str]:
        page = get_page(url)
        return {e.get("id").removeprefix("plek-") for e in page.all("h3") if e.get("id")}

    everything = slugs("/categorie/ontmoeting")
    oss = slugs("/categorie/ontmoeting?gemeente=oss")
    assert oss and oss < everything
    assert all(catalog.entries[s].gemeente in ("oss", "landelijk") for s in oss)

    kern = slugs("/categorie/ontmoeting?gemeente=oss&kern=Berghem")
    assert kern <= oss
    assert all(not catalog.entries[s].kernen or "Berghem" in catalog.entries[s].kernen for s in kern)

    for flag, test in [
        ("gratis", lambda e: e.kosten.gratis),
        ("zonder", lambda e: e.aanmelden == "binnenlopen"),
        ("rolstoel", lambda e: "rolstoel" in e.toegankelijkheid),
    ]:
        filtered = slugs(f"/categorie/ontmoeting?{flag}=1")
        expected = {s for s in everything if test(catalog.entries[s])}
        assert filtered == expected, flag


def test_category_filter_open_now(get_page, catalog, monkeypatch) -> None:
    tuesday_afternoon = datetime(2026, 11, 3, 14, 30, tzinfo=TZ)
    monkeypatch.setattr(helpers, "now_local", lambda: tuesday_afternoon)
    page = get_page("/categorie/taal-digitaal?open=1")
    shown = {e.get("id").removeprefix("plek-") for e in page.all("h3") if e.get("id")}
    from webapp.site.hours import is_open

    expected = {
        e.slug for e in catalog.in_category("taal-digitaal") if is_open(e.openingstijden, tuesday_afternoon)
    }
    assert shown == expected
    assert all("Nu open" in e.text for e in page.all("article"))


def test_category_kern_choice_and_map_link(get_page) -> None:
    page = get_page("/categorie/geld?gemeente=meierijstad")
    kernen = [e.get("value") for e in page.all("option") if "select" in e.parents]
    assert "Veghel" in kernen and "Oss" not in kernen
    assert "/kaart?categorie=geld&gemeente=meierijstad" in page.hrefs()


def test_detail_of_a_voorbeeld_entry_shows_the_label(get_page, catalog) -> None:
    demo = next(e for e in catalog.entries.values() if e.voorbeeld)
    real = next(e for e in catalog.entries.values() if not e.voorbeeld)
    assert "Voorbeeld" in get_page(f"/voorziening/{demo.slug}").main_text
    assert "Voorbeeld" not in get_page(f"/voorziening/{real.slug}").main_text


def test_detail_shows_the_entry(get_page, catalog) -> None:
    entry = catalog.entries["de-luisterlijn"]
    page = get_page("/voorziening/de-luisterlijn")
    assert page.one("h1").text == entry.titel
    assert "tel:0880767000" in page.hrefs()
    assert entry.website in page.hrefs()
    assert "Geen vast adres" in page.main_text
    assert "/categorie/psychisch" in page.hrefs()
    share = page.by_id("deel-link")
    assert share.get("readonly") is not None and share.get("value").endswith("/voorziening/de-luisterlijn")
    assert any(h.startswith("https://wa.me/?text=") for h in page.hrefs())
    assert any(h.startswith("sms:?&body=") for h in page.hrefs())


def test_detail_in_another_language_marks_the_dutch_text(get_page) -> None:
    page = get_page("/voorziening/de-luisterlijn?lang=en")
    assert page.one("h1").get("lang") == "nl"
    assert page.one_where(lambda e: "prose" in e.get("class").split()).get("lang") == "nl"
    assert "The information about this place is in Dutch." in page.main_text


def test_detail_hours_and_map_link(get_page, catalog) -> None:
    entry = next(e for e in catalog.entries.values() if e.openingstijden.tijden and e.lat is not None)
    page = get_page(f"/voorziening/{entry.slug}")
    table = page.one("table")
    first = entry.openingstijden.tijden[0]
    assert first.dag in table.text and first.open in table.text
    assert f"/kaart?focus={entry.slug}" in page.hrefs()


def test_stale_mark_for_an_old_entry(get_page, monkeypatch) -> None:
    monkeypatch.setattr(helpers, "now_local", lambda: datetime(2031, 1, 1, 12, 0, tzinfo=TZ))
    assert "niet meer actueel" in get_page("/voorziening/de-luisterlijn").main_text


def test_no_stale_mark_for_a_fresh_entry(get_page, catalog, monkeypatch) -> None:
    checked = catalog.entries["de-luisterlijn"].laatst_gecontroleerd
    monkeypatch.setattr(helpers, "now_local", lambda: datetime(checked.year, checked.month, 28, tzinfo=TZ))
    assert "niet meer actueel" not in get_page("/voorziening/de-luisterlijn").main_text


def test_body_markdown_is_sanitised(site_app) -> None:
    from webapp.site.helpers import render_markdown

    html = str(
        render_markdown("Hoi **jij**\n\n<script>alert(1)</script> [x](javascript:alert(1)) [y](https://a.nl)")
    )
    assert "<strong>jij</strong>" in html
    assert "<script" not in html and "javascript:" not in html
    assert 'href="https://a.nl"' in html


def test_wijkteam_pages(get_page, catalog) -> None:
    index = get_page("/wijkteam")
    for slug in catalog.gemeenten:
        assert f"/wijkteam/{slug}" in index.hrefs()
    info = catalog.gemeenten["oss"]
    page = get_page("/wijkteam/oss")
    assert info.wijkteam.naam in page.one("h1").text
    assert info.website in page.hrefs() or info.wijkteam.website in page.hrefs()
    for kern in info.kernen:
        assert kern.naam in page.main_text


def test_wijkteam_choice_redirects(client) -> None:
    response = client.get("/wijkteam?gemeente=oirschot&lang=en")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/wijkteam/oirschot?lang=en")


def test_onbekend_answer_links_to_the_gemeente_website(get_page, catalog, route_as) -> None:
    route_as("hoe laat gaat de trein naar utrecht", "onbekend")
    page = get_page("/vraag?q=hoe laat gaat de trein naar utrecht&gemeente=oss")
    assert "niet mee helpen" in page.main_text
    assert catalog.gemeenten["oss"].website in page.hrefs()
    assert not page.all("article")


def test_wijkteam_answer_puts_the_handoff_before_the_cards(get_page, route_as) -> None:
    route_as("ik heb een indicatie nodig voor huishoudelijke hulp", "wijkteam")
    page = get_page("/vraag?q=ik heb een indicatie nodig voor huishoudelijke hulp&gemeente=oss")
    text = page.main_text
    assert "Neem contact op met het wijkteam" in text
    if page.all("article"):
        assert text.index("Neem contact op met het wijkteam") < text.index("Dit kan je helpen")


def test_privacy_page_names_the_map_tiles_and_every_other_party(get_page, site_app) -> None:
    page = get_page("/privacy")
    assert "bewaart je vraag niet" in page.main_text
    assert "geen cookies" in page.main_text
    assert "OpenStreetMap" in page.main_text and "WhatsApp" in page.main_text


def test_the_default_map_tiles_are_the_governments_and_the_csp_allows_only_them() -> None:
    from webapp.production.security import content_security_policy
    from webapp.settings import SETTINGS

    default = next(s.default for s in SETTINGS if s.name == "TILE_URL")
    assert default.startswith("https://service.pdok.nl/brt/achtergrondkaart/")
    csp = content_security_policy(default)
    assert "img-src 'self' data: https://service.pdok.nl;" in csp

"""/hulpkaart: pick places with GET (no JavaScript), print one page with names, addresses, phones, hours."""

from __future__ import annotations

from datetime import date

import pytest

from webapp.content.models import Entry, Kosten, Opening, Openingstijden
from webapp.site.hulpkaart import MAX_PLACES, hours

DETAIL = "geertruidenberg-alzheimer-cafe"


def names(page) -> list[str]:
    return [e.text for e in page.all("h3") if "hulpkaart__name" in e.get("class")]


@pytest.mark.parametrize(
    "url",
    [
        "/hulpkaart",
        "/hulpkaart?gemeente=oss",
        "/hulpkaart?categorie=geld",
        f"/hulpkaart?gemeente=geertruidenberg&categorie=ontmoeting&slug={DETAIL}&slug=de-luisterlijn",
        f"/hulpkaart?slug={DETAIL}&lang=ar",
        "/hulpkaart?gemeente=atlantis&categorie=niets&slug=bestaat-niet",
    ],
)
def test_hulpkaart_pages_pass_checks(get_page, url: str) -> None:
    get_page(url)


def test_chosen_places_in_order_without_repeats_or_unknowns(get_page, catalog) -> None:
    page = get_page(f"/hulpkaart?slug=de-luisterlijn&slug=bestaat-niet&slug={DETAIL}&slug=de-luisterlijn")
    assert names(page) == [catalog.entries["de-luisterlijn"].titel, catalog.entries[DETAIL].titel]
    ticked = [e.get("value") for e in page.all("input") if e.get("name") == "slug" and "checked" in e.attrs]
    assert ticked == ["de-luisterlijn", DETAIL]


def test_nothing_to_pick_until_a_filter_is_chosen(get_page) -> None:
    page = get_page("/hulpkaart")
    assert not [e for e in page.all("input") if e.get("name") == "slug"]
    assert "Je hebt nog geen plekken gekozen." in page.main_text


def test_options_follow_the_filters_and_leave_out_the_chosen(get_page, catalog) -> None:
    page = get_page(f"/hulpkaart?gemeente=geertruidenberg&categorie=ontmoeting&slug={DETAIL}")
    boxes = [e for e in page.all("input") if e.get("name") == "slug"]
    values = [e.get("value") for e in boxes]
    assert values[0] == DETAIL and values.count(DETAIL) == 1
    for slug in values[1:]:
        entry = catalog.entries[slug]
        assert entry.gemeente in ("geertruidenberg", "landelijk") and "ontmoeting" in entry.categorieen
    expected = {e.slug for e in catalog.in_category("ontmoeting", "geertruidenberg")} - {DETAIL}
    assert set(values[1:]) == expected
    for box in boxes:  # every checkbox has its label and its address/where hint
        assert page.one("label", **{"for": box.get("id")})
        assert box.get("aria-describedby") == f"{box.get('id')}-waar"


def test_printed_facts_phone_unknown_and_voorbeeld_label(get_page, catalog) -> None:
    entry = catalog.entries[DETAIL]
    assert entry.voorbeeld and not entry.telefoon
    page = get_page(f"/hulpkaart?slug={DETAIL}&slug=de-luisterlijn")
    item = page.main_text
    assert "Voorbeeld" in item and "Nog niet bekend." in item
    assert entry.adres in item and entry.openingstijden.notitie in item
    luisterlijn = catalog.entries["de-luisterlijn"]
    assert f"tel:{luisterlijn.telefoon.replace('-', '').replace(' ', '')}" in page.hrefs()
    assert page.all("link", href="/static/css/hulpkaart-print.css", media="print")


def test_every_printed_card_says_where_to_call_in_danger(get_page) -> None:
    page = get_page(f"/hulpkaart?slug={DETAIL}")
    assert "Hulp als het niet veilig is" in page.main_text
    for tel in ("tel:112", "tel:08000113", "tel:08002000"):
        assert tel in page.hrefs()
    assert "Hulp als het niet veilig is" not in get_page("/hulpkaart").main_text  # nothing chosen yet


def test_at_most_twelve_places(get_page, catalog) -> None:
    slugs = sorted(s for s, e in catalog.entries.items() if e.gemeente == "oss")[: MAX_PLACES + 2]
    page = get_page("/hulpkaart?" + "&".join(f"slug={s}" for s in slugs))
    assert len(names(page)) == MAX_PLACES
    assert f"Je kunt hoogstens {MAX_PLACES} plekken kiezen" in page.main_text
    assert "past het niet op één blad" in page.main_text


def test_detail_page_links_to_the_hulpkaart(get_page) -> None:
    assert f"/hulpkaart?slug={DETAIL}" in get_page(f"/voorziening/{DETAIL}").hrefs()
    assert (
        f"/hulpkaart?slug={DETAIL}&lang=en" in get_page(f"/voorziening/{DETAIL}?lang=en", lang="en").hrefs()
    )


def entry_with(*openings: tuple[str, str, str]) -> Entry:
    return Entry(
        slug="x",
        path="x.md",
        titel="X",
        samenvatting="",
        categorieen=("ontmoeting",),
        gemeente="oss",
        organisatie="",
        kosten=Kosten(),
        aanmelden="binnenlopen",
        doelgroep=("iedereen",),
        laatst_gecontroleerd=date(2026, 1, 1),
        voorbeeld=True,
        trefwoorden=(),
        openingstijden=Openingstijden(tuple(Opening(*o) for o in openings)),
    )


def test_hours_share_lines_for_days_in_a_row(site_app) -> None:
    week = [(d, "09:00", "17:00") for d in ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag")]
    with site_app.test_request_context("/"):
        assert hours(entry_with(*week, ("zaterdag", "10:00", "13:00"))) == [
            ("maandag tot en met vrijdag", "09:00 - 17:00"),
            ("zaterdag", "10:00 - 13:00"),
        ]
        assert hours(
            entry_with(
                ("dinsdag", "13:00", "16:00"), ("dinsdag", "09:00", "12:00"), ("woensdag", "09:00", "12:00")
            )
        ) == [
            ("dinsdag", "09:00 - 12:00, 13:00 - 16:00"),
            ("woensdag", "09:00 - 12:00"),
        ]
        assert hours(entry_with(("maandag", "09:00", "12:00"), ("woensdag", "09:00", "12:00"))) == [
            ("maandag", "09:00 - 12:00"),
            ("woensdag", "09:00 - 12:00"),
        ]
        assert hours(entry_with(("zaterdag", "10:00", "12:00"), ("zondag", "10:00", "12:00"))) == [
            ("zaterdag en zondag", "10:00 - 12:00")
        ]
        assert hours(entry_with()) == []


def test_a_hulpkaart_straight_from_an_answer(get_page, post_page, catalog, route_as) -> None:
    route_as("ik zoek een buurthuis waar ik koffie kan drinken", "voorziening")
    answer = post_page("/vraag", {"q": "ik zoek een buurthuis waar ik koffie kan drinken", "gemeente": "oss"})
    (link,) = [h for h in answer.hrefs() if h.startswith("/hulpkaart?")]
    assert "koffie" not in link and "q=" not in link  # the places, never the question
    slugs = [a.get("aria-labelledby").removeprefix("plek-") for a in answer.all("article")]
    assert all(f"slug={s}" in link for s in slugs) and "gemeente=oss" in link
    card = get_page(link.split("#")[0])
    assert [e.text for e in card.all("h3") if e.get("class") == "hulpkaart__name"] == [
        catalog.entries[s].titel for s in slugs
    ]
    assert "Het wijkteam van de gemeente Oss" in card.main_text
    assert "Hulp als het niet veilig is" in card.main_text

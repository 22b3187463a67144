"""Every card and detail page offers only actions a resident can take (webapp/site/actions.py).

Walks every entry of the demo content: Bel only with a number, a route or the map only with a fixed
address, an e-mail link only with an address, and always at least one next step.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from webapp.content.models import Opening, Openingstijden


def steps(page, entry):  # type: ignore[no-untyped-def]
    hrefs = page.hrefs()
    return {
        "tel": [h for h in hrefs if h.startswith("tel:")],
        "mailto": [h for h in hrefs if h.startswith("mailto:")],
        "route": [
            h
            for h in hrefs
            if "openstreetmap.org/directions" in h or h.startswith(f"/kaart?focus={entry.slug}")
        ],
    }


def test_every_detail_page_offers_only_what_the_entry_has(get_page, catalog) -> None:  # type: ignore[no-untyped-def]
    for entry in catalog.entries.values():
        page = get_page(f"/voorziening/{entry.slug}")
        found = steps(page, entry)
        own_tel = [
            h
            for h in found["tel"]
            if entry.telefoon and h.endswith(entry.telefoon.replace(" ", "").replace("-", ""))
        ]
        assert bool(own_tel) == bool(entry.telefoon), entry.slug
        assert bool(found["mailto"]) == bool(entry.email), entry.slug
        assert bool(found["route"]) == bool(entry.adres and entry.lat is not None), entry.slug
        (buttons,) = [p for p in page.all("p") if "card__actions" in p.get("class")]
        assert buttons.text, f"{entry.slug}: no next step"
        if not entry.telefoon:
            assert "Bel " not in buttons.text, entry.slug


def test_every_card_has_one_first_step_that_can_be_taken(get_page, catalog) -> None:  # type: ignore[no-untyped-def]
    seen = set()
    for category in sorted({c for e in catalog.entries.values() for c in e.categorieen}):
        html = get_page(f"/categorie/{category}").html
        for chunk in html.split("<article")[1:]:
            card = chunk.split("</article>")[0]
            slug = re.search(r'aria-labelledby="plek-([^"]+)"', card).group(1)  # type: ignore[union-attr]
            entry = catalog.entries[slug]
            seen.add(slug)
            assert ("tel:" in card) == bool(entry.telefoon), slug
            assert ("#adres" in card) == bool(entry.adres and entry.lat is not None), slug
            assert 'class="button' in card, f"{slug}: no next step"
    assert seen == set(catalog.entries)  # every entry was checked on some category page


@pytest.fixture
def actions_in(site_app):  # type: ignore[no-untyped-def]
    def run(entry):  # type: ignore[no-untyped-def]
        from webapp.site.actions import actions

        with site_app.test_request_context("/"):
            return actions(entry)

    return run


def test_the_first_action_follows_how_you_join(actions_in, catalog) -> None:  # type: ignore[no-untyped-def]
    base = next(e for e in catalog.entries.values() if e.adres and e.lat is not None)
    bare = replace(base, telefoon="", email="", website="", adres="", aanmelden="bellen")
    assert actions_in(replace(bare, telefoon="0412 123456"))[0].kind == "bellen"
    assert (
        actions_in(replace(bare, aanmelden="aanmelden", website="https://example.nl"))[0].kind == "aanmelden"
    )
    assert (
        actions_in(replace(bare, aanmelden="aanmelden", email="a@example.nl"))[0].href
        == "mailto:a@example.nl"
    )
    walk = actions_in(replace(bare, aanmelden="binnenlopen", adres=base.adres))[0]
    assert walk.kind == "binnenlopen" and base.adres in walk.place
    # "bellen" without a number, nothing else known: the gemeente, never a Bel button
    (only,) = actions_in(bare)
    assert only.kind in ("gemeente", "wijkteam") and "contactgegevens" in only.note


def test_demo_hours_are_called_examples(actions_in, catalog) -> None:  # type: ignore[no-untyped-def]
    base = next(e for e in catalog.entries.values() if e.adres and e.lat is not None)
    hours = Openingstijden((Opening("maandag", "00:00", "23:59"), Opening("zondag", "00:00", "23:59")), "")
    week = tuple(
        Opening(d, "00:00", "23:59") for d in ("dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag")
    )
    entry = replace(base, aanmelden="binnenlopen", openingstijden=replace(hours, tijden=hours.tijden + week))
    assert "voorbeeldtijden" in actions_in(replace(entry, voorbeeld=True))[0].note
    assert "voorbeeldtijden" not in actions_in(replace(entry, voorbeeld=False))[0].note


def test_a_walk_in_note_keeps_the_dutch_address_apart_and_translates_the_rest(get_page, catalog) -> None:  # type: ignore[no-untyped-def]
    entry = next(
        e
        for e in sorted(catalog.entries.values(), key=lambda e: e.slug)
        if e.voorbeeld and e.aanmelden == "binnenlopen" and e.adres and e.lat is not None and e.openingstijden
    )
    html = get_page(f"/voorziening/{entry.slug}?lang=ar").html
    (note,) = re.findall(r'<p class="card__note">(.*?)</p>', html, flags=re.S)
    assert re.match(r'<bdi lang="nl">[^<]*' + re.escape(entry.adres.split(",")[0]), note), note
    assert "voorbeeldtijden" not in note  # the page's language, not the source text

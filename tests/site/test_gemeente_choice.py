"""Choosing a gemeente: a list while there are few, a text field with suggestions (<datalist>) when there are
many; what is typed is matched on the server (webapp/gemeenten.py), with "bedoel je ...?" when it matches
none. The many-gemeenten app runs on the demo content plus every other Dutch gemeente as generated files."""

from __future__ import annotations

import re
import shutil
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from webapp import create_app
from webapp.catalog import Catalog
from webapp.content.models import GemeenteInfo, Kern, Wijkteam
from webapp.content.taxonomy import FEW_GEMEENTEN
from webapp.gemeenten import choose, many, names

from ..conftest import ROOT, demo_config
from .conftest import Page

NEDERLAND = ROOT / "search" / "data" / "nederland.yaml"
LEFT_OUT = {"Zwolle", "Eindhoven"}  # stay outside the area: the honest answer is still given
QUESTION = "Ik zoek een taalcafé om Nederlands te oefenen"


def slug_of(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_name).split())


def gemeente_file(naam: str, kernen: list[str], ook: list[str], lat: float, lon: float) -> str:
    places = list(dict.fromkeys([naam, *kernen]))
    return (
        "---\n"
        + yaml.safe_dump(
            {
                "naam": naam,
                "ook": ook,
                "website": "https://www.example.org",
                "wijkteam": {"naam": "Wijkteam"},
                "kernen": [{"naam": k, "lat": lat, "lon": lon} for k in places],
                "laatst_gecontroleerd": "2026-10-01",
                "voorbeeld": True,
            },
            allow_unicode=True,
        )
        + "---\nHet wijkteam van de gemeente helpt je verder.\n"
    )


def many_gemeenten_content(root: Path) -> int:
    """The demo content and a gemeente file for every other Dutch gemeente; returns how many there are."""
    shutil.copytree(ROOT / "content", root)
    ours = {p.stem for p in (root / "gemeenten").glob("*.md")}
    for i, row in enumerate(yaml.safe_load(NEDERLAND.read_text(encoding="utf-8"))):
        slug = slug_of(row["naam"])
        if slug in ours or row["naam"] in LEFT_OUT:
            continue
        ours.add(slug)
        text = gemeente_file(row["naam"], row.get("kernen", []), row.get("ook", []), 51.0 + i / 500, 5.0)
        (root / "gemeenten" / f"{slug}.md").write_text(text, encoding="utf-8")
    return len(ours)


@pytest.fixture(scope="module")
def many_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("many")
    count = many_gemeenten_content(tmp / "content")
    assert count > 300
    return create_app(demo_config(tmp, CONTENT_DIR=str(tmp / "content")))


@pytest.fixture
def many_client(many_app: Any) -> Any:
    return many_app.test_client()


def test_stats_lists_many_gemeenten_a_line_each(many_app: Any) -> None:
    runner = many_app.test_cli_runner()
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    result = runner.invoke(args=["content", "stats"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:2] == ["gemeente", "voorzieningen"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert len(rows) > 300 and "landelijk" in rows
    assert rows["utrecht"][0] == "0"  # a generated gemeente without entries: every category missing
    assert int(rows["oss"][0]) > 10


def page_of(response: Any, url: str) -> Page:
    return Page(url, response.status_code, response.get_data(as_text=True)).check()


# --- matching what is typed (no Flask) ---


def info(slug: str, naam: str, kernen: tuple[str, ...] = (), ook: tuple[str, ...] = ()) -> GemeenteInfo:
    return GemeenteInfo(
        slug=slug,
        path=f"content/gemeenten/{slug}.md",
        naam=naam,
        website="https://www.example.org",
        wijkteam=Wijkteam("Wijkteam"),
        kernen=tuple(Kern(k, 51.7, 5.5) for k in (naam, *kernen)),
        laatst_gecontroleerd=date(2026, 10, 1),
        voorbeeld=True,
        ook=ook,
    )


SMALL = Catalog(
    gemeenten={
        "oss": info("oss", "Oss", ("Berghem", "Nes")),
        "s-hertogenbosch": info("s-hertogenbosch", "'s-Hertogenbosch", ("Rosmalen",), ("Den Bosch",)),
        "sudwest-fryslan": info("sudwest-fryslan", "Súdwest-Fryslân", ("Sneek", "Nes")),
        "ossendrecht": info("ossendrecht", "Ossendrecht"),
    }
)


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("oss", "oss"),
        ("  OSS ", "oss"),
        ("Gemeente Oss", "oss"),
        ("Berghem", "oss"),  # a kern: the resident's own place
        ("den bosch", "s-hertogenbosch"),  # another name
        ("s Hertogenbosch", "s-hertogenbosch"),
        ("Sudwest Fryslan", "sudwest-fryslan"),  # without the accents
        ("sneek", "sudwest-fryslan"),
    ],
)
def test_a_slug_name_other_name_or_kern_chooses_the_gemeente(typed: str, slug: str) -> None:
    choice = choose(typed, SMALL)
    assert choice.slug == slug and not choice.unknown


def test_nothing_typed_chooses_nothing_and_is_no_error() -> None:
    assert choose("", SMALL) == choose("   ", SMALL) == choose(None, SMALL)
    assert choose(None, SMALL).slug is None and not choose(None, SMALL).unknown


def test_a_typo_gets_the_nearest_names() -> None:
    choice = choose("Hertogenbosh", SMALL)
    assert choice.unknown and choice.suggestions == ("'s-Hertogenbosch",)


def test_the_start_of_a_name_suggests_every_name_that_begins_so() -> None:
    assert choose("Os", SMALL).suggestions == ("Oss", "Ossendrecht")


def test_a_kern_in_two_gemeenten_asks_which_one() -> None:
    choice = choose("Nes", SMALL)
    assert choice.unknown and choice.suggestions == ("Oss", "Súdwest-Fryslân")


def test_something_unlike_any_name_suggests_nothing() -> None:
    choice = choose("xyzzy", SMALL)
    assert choice.unknown and choice.suggestions == ()


def test_names_are_alphabetical_and_few_is_a_list() -> None:
    assert list(names(SMALL).values()) == ["Oss", "Ossendrecht", "'s-Hertogenbosch", "Súdwest-Fryslân"]
    assert not many(SMALL)


# --- the site with the five demo gemeenten: plain lists ---


def test_with_few_gemeenten_every_form_offers_a_list(get_page) -> None:
    assert get_page("/").by_id("gemeente").tag == "select"
    assert get_page("/categorie/ontmoeting").by_id("f-gemeente").tag == "select"
    assert get_page("/kaart").by_id("f-gemeente").tag == "select"
    assert get_page("/hulpkaart").by_id("h-gemeente").tag == "select"
    assert get_page("/wijkteam").by_id("wt-gemeente").tag == "select"
    assert not get_page("/").all("datalist")


def test_with_few_gemeenten_a_typo_in_the_address_says_which_one_is_meant(get_page) -> None:
    page = get_page("/categorie/ontmoeting?gemeente=Osss")
    assert "Bedoel je Oss?" in page.one("div", role="alert").text
    assert page.by_id("f-gemeente").get("aria-invalid") == "true"


def test_a_kern_in_the_address_chooses_its_gemeente(client) -> None:
    response = client.get("/wijkteam?gemeente=Uden")
    assert response.status_code == 302 and response.headers["Location"].endswith("/wijkteam/maashorst")


# --- the site with every Dutch gemeente: a text field with suggestions ---


def test_with_many_gemeenten_the_question_form_has_a_text_field_with_suggestions(many_client) -> None:
    page = page_of(many_client.get("/"), "/")
    field = page.by_id("gemeente")
    assert field.tag == "input" and field.get("type") == "text" and field.get("list") == "gemeente-namen"
    assert field.get("aria-describedby") == "gemeente-hint"
    assert "Typ de naam van je gemeente." in page.by_id("gemeente-hint").text
    options = [o.get("value") for o in page.all("option") if "datalist" in o.parents]
    assert len(options) > 300 and "Tilburg" in options and "Oss" in options
    assert not page.all("select", name="gemeente")


@pytest.mark.parametrize(
    ("url", "field_id"),
    [("/categorie/ontmoeting", "f-gemeente"), ("/kaart", "f-gemeente"), ("/hulpkaart", "h-gemeente")],
)
def test_with_many_gemeenten_the_filters_have_a_text_field(many_client, url: str, field_id: str) -> None:
    page = page_of(many_client.get(url), url)
    assert page.by_id(field_id).tag == "input"
    assert page.by_id(f"{field_id}-namen").tag == "datalist"


def test_a_typed_name_filters_the_list(many_client) -> None:
    url = "/categorie/ontmoeting?gemeente=oss"
    by_slug = page_of(many_client.get(url), url)
    url = "/categorie/ontmoeting?gemeente=Gemeente+Oss"
    typed = page_of(many_client.get(url), url)
    assert typed.one("h2", id="resultaten-titel").text == by_slug.one("h2", id="resultaten-titel").text
    everywhere = page_of(many_client.get("/categorie/ontmoeting"), "/categorie/ontmoeting")
    assert typed.one("h2", id="resultaten-titel").text != everywhere.one("h2", id="resultaten-titel").text
    assert typed.by_id("f-gemeente").get("value") == "Oss"


def test_a_typo_in_a_filter_says_what_is_meant_in_the_error_summary(many_client) -> None:
    url = "/kaart?gemeente=Tilbrug"
    page = page_of(many_client.get(url), url)
    summary = page.one("div", role="alert")
    assert "We kennen geen gemeente „Tilbrug”. Bedoel je Tilburg?" in summary.text
    assert "Tilburg" in page.one("a", href="#f-gemeente").text  # the summary leads to the field
    field = page.by_id("f-gemeente")
    assert field.get("aria-invalid") == "true" and field.get("value") == "Tilbrug"
    assert field.get("aria-describedby") == "f-gemeente-hint f-gemeente-fout"
    assert "Tilburg" in page.by_id("f-gemeente-fout").text


def test_a_name_like_no_gemeente_asks_to_check_the_spelling(many_client) -> None:
    url = "/wijkteam?gemeente=xyzzy"
    page = page_of(many_client.get(url), url)
    assert "Kijk of je de naam goed schreef." in page.by_id("wt-gemeente-fout").text
    assert page.by_id("wt-gemeente").get("aria-invalid") == "true"


def test_with_many_gemeenten_a_typed_name_or_other_name_finds_the_wijkteam(many_client) -> None:
    for typed, slug in [
        ("Den+Bosch", "s-hertogenbosch"),
        ("tilburg", "tilburg"),
        ("Rosmalen", "s-hertogenbosch"),
    ]:
        response = many_client.get(f"/wijkteam?gemeente={typed}")
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/wijkteam/{slug}")


def test_a_question_with_a_typed_gemeente_is_answered_there(many_client) -> None:
    response = many_client.post("/vraag", data={"q": QUESTION, "gemeente": "Oss"})
    assert response.status_code == 200
    page = page_of(response, "/vraag")
    assert page.by_id("gemeente").get("value") == "Oss"  # the new-question form keeps the gemeente


def test_a_question_with_a_misspelt_gemeente_keeps_the_question_and_suggests(many_client) -> None:
    response = many_client.post("/vraag", data={"q": QUESTION, "gemeente": "Meierijsstad"})
    assert response.status_code == 400
    page = page_of(response, "/vraag")
    assert "Bedoel je Meierijstad?" in page.one("div", role="alert").text
    assert page.by_id("q").get("value") == QUESTION
    assert page.by_id("gemeente").get("aria-invalid") == "true"
    assert page.by_id("gemeente").get("value") == "Meierijsstad"


def test_the_follow_up_question_asks_for_the_gemeente_in_a_text_field(many_client) -> None:
    response = many_client.post("/vraag", data={"q": QUESTION})
    page = page_of(response, "/vraag")
    assert "In welke gemeente woon je?" in page.main_text
    assert page.by_id("vervolg-gemeente").tag == "input"
    assert page.by_id("vervolg-gemeente-namen").tag == "datalist"


def test_the_api_understands_a_name_and_suggests_for_a_typo(many_client) -> None:
    body = many_client.get("/api/v1/ask", query_string={"q": QUESTION, "gemeente": "Oss"}).get_json()
    assert body["gemeente"] == "oss"
    response = many_client.get("/api/v1/ask", query_string={"q": QUESTION, "gemeente": "Osss"})
    assert response.status_code == 400
    assert "Bedoel je Oss" in response.get_data(as_text=True)


def test_a_place_outside_the_area_still_gets_an_honest_answer(many_client) -> None:
    body = many_client.get("/api/v1/ask", query_string={"q": "taalcafé in Zwolle"}).get_json()
    assert body["elsewhere"] == {"place": "Zwolle", "gemeente": "Zwolle"}
    assert "Zwolle ligt buiten ons gebied" in body["answer"]
    assert "Dichtbij kent alleen" not in body["answer"]  # no list of 340 gemeenten in an answer


def test_the_threshold_is_where_the_list_stops(many_app) -> None:
    with many_app.app_context():
        from webapp.catalog import catalog

        assert len(catalog().gemeenten) > FEW_GEMEENTEN and many(catalog())


def test_with_many_gemeenten_the_wijkteam_contact_leads_to_the_choice(many_client, route_as) -> None:
    question = "ik weet niet meer waar ik moet beginnen met alles thuis"
    route_as(question, "wijkteam")
    body = many_client.get("/api/v1/ask", query_string={"q": question}).get_json()
    assert body["contact"]["gemeente"] is None and body["contact"]["options"] == []
    page = page_of(many_client.post("/vraag", data={"q": question}), "/vraag")
    handoff = page.html.split('id="wijkteam"', 1)[1].split("</section>", 1)[0]
    assert '<a href="/wijkteam">Zo bereik je het wijkteam</a>' in handoff
    assert handoff.count('<li><a href="/wijkteam/') == 0  # no list of 340 wijkteams


def test_the_home_page_names_the_gemeenten_from_the_content(get_page, many_client) -> None:
    few = get_page("/").one("p", **{"class": "lead"}).text
    assert few.endswith("In Geertruidenberg, Maashorst, Meierijstad, Oirschot en Oss.")
    many_lead = page_of(many_client.get("/"), "/").one("p", **{"class": "lead"}).text
    assert re.search(r"In [1-9][0-9]{2} gemeenten\.$", many_lead) and "Oss" not in many_lead


def test_the_gazetteer_knows_a_gemeentes_other_name() -> None:
    from webapp.searching import gazetteer_of

    place = gazetteer_of(SMALL).detect("is er een taalcafé in Den Bosch")
    assert place is not None and place.gemeente == "s-hertogenbosch"


def test_a_generated_gemeente_is_found_in_a_question_also_misspelt(many_client) -> None:
    for question in ("taalcafé in Tilburg", "taalcafé in Tillburg"):
        body = many_client.get("/api/v1/ask", query_string={"q": question}).get_json()
        assert body["gemeente"] == "tilburg" and body["elsewhere"] is None, question

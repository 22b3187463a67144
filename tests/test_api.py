"""GET /api/v1/ask: contract, bad input, and routes, on the real demo content."""

from __future__ import annotations

import pytest

from webapp import create_app

from .conftest import demo_config


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api")
    return create_app(demo_config(tmp)).test_client()


def ask(client, q, **params):
    response = client.get("/api/v1/ask", query_string={"q": q, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Typ eerst een vraag."),
        ({"q": "   "}, "Typ eerst een vraag."),
        ({"q": "a" * 501}, "Je vraag is te lang. Gebruik hoogstens 500 tekens."),
        ({"q": "hulp\x00bij geld"}, "tekens die we niet kunnen lezen"),
        ({"q": "hulp\x1b[31m"}, "tekens die we niet kunnen lezen"),
        ({"q": "buurthuis", "gemeente": "amsterdam"}, "Deze gemeente kennen we niet"),
    ],
)
def test_bad_input_gets_a_clear_400(client, params, message):
    response = client.get("/api/v1/ask", query_string=params)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_bad_input_message_follows_lang(client):
    response = client.get("/api/v1/ask", query_string={"q": "", "lang": "en"})
    assert response.status_code == 400
    assert response.get_json()["error"]  # translated when the catalog exists; never empty


@pytest.mark.parametrize(
    "q", ["🙂🙃", "ﷺ", "\u202eabc", "ß" * 500, "ｆｕｌｌ ｗｉｄｔｈ", "e\u0301e\u0301", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]
)
def test_any_unicode_gets_an_answer(client, q):
    body = ask(client, q)
    assert body["route"] in {"voorziening", "wijkteam", "spoed", "onbekend"}


def test_answer_contract(client):
    body = ask(client, "taalcafé", gemeente="oss")
    assert set(body) >= {"route", "answer", "services", "contact", "emergency", "gemeente_detected"}
    assert body["route"] == "voorziening"
    assert 1 <= len(body["services"]) <= 5
    for service in body["services"]:
        assert set(service) >= {
            "slug",
            "title",
            "samenvatting",
            "categories",
            "gemeente",
            "kern",
            "url",
            "why",
        }
        assert service["gemeente"] in ("oss", None)
        assert service["url"] == f"/voorziening/{service['slug']}"
    assert "taal-digitaal" in body["services"][0]["categories"]


def test_kern_sets_the_gemeente(client):
    body = ask(client, "waar is een taalcafé in Schijndel")
    assert body["gemeente_detected"] == "meierijstad"
    assert body["gemeente"] == "meierijstad"
    assert all(s["gemeente"] in ("meierijstad", None) for s in body["services"])


def test_asked_gemeente_wins_over_a_named_kern(client):
    body = ask(client, "taalcafé in Veghel", gemeente="oss")
    assert body["gemeente_detected"] == "meierijstad"
    assert body["gemeente"] == "oss"


def test_no_gemeente_asks_which_one(client):
    body = ask(client, "taalcafé")
    assert body["gemeente"] is None
    assert body["ask_gemeente"] is True
    assert "In welke gemeente woon je?" in body["answer"]


def test_spoed_shows_the_crisis_lines_without_a_model(client):
    body = ask(client, "ik wil er een eind aan maken")
    assert body["route"] == "spoed"
    phones = [line["phone"] for line in body["emergency"]]
    assert "0800-0113" in phones and "112" in phones
    assert body["services"] == []


def test_wijkteam_route_names_the_gemeentes_team(client, route_as):
    route_as("ik wil een scootmobiel aanvragen", "wijkteam")
    body = ask(client, "ik wil een scootmobiel aanvragen", gemeente="maashorst")
    assert body["route"] == "wijkteam"
    assert body["contact"]["gemeente"] == "maashorst"
    assert body["contact"]["name"]


def test_outside_the_social_domain_is_onbekend(client, route_as):
    route_as("mijn rijbewijs verlengen", "onbekend")
    body = ask(client, "mijn rijbewijs verlengen", gemeente="oirschot")
    assert body["route"] == "onbekend"
    assert body["services"] == []
    assert "oirschot.nl" in body["contact"]["website"]


def test_answer_in_the_requested_language_code(client):
    body = ask(client, "buurthuis", lang="en")
    assert body["lang"] == "en"


def test_openapi_describes_ask(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    op = spec["paths"]["/api/v1/ask"]["get"]
    assert [p["name"] for p in op["parameters"]] == ["q", "gemeente", "lang", "onderwerp"]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    body = ask(client, "buurthuis", gemeente="oss")
    assert set(schema["required"]) <= set(body)
    assert body["route"] in schema["properties"]["route"]["enum"]


def test_openapi_describes_the_hsds_services_endpoint(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    op = spec["paths"]["/api/v1/services"]["get"]
    assert [p["name"] for p in op["parameters"]] == ["page", "per_page", "modified_after"]
    per_page = op["parameters"][1]["schema"]["maximum"]
    assert client.get(f"/api/v1/services?per_page={per_page}").status_code == 200
    assert client.get(f"/api/v1/services?per_page={per_page + 1}").status_code == 400


def test_zorg_answers_as_usual_with_the_fitting_lines(client, route_as):
    route_as("ik zoek een buurthuis in Oss, het gaat niet goed met me", "voorziening", "zorg", "suicide")
    body = ask(client, "ik zoek een buurthuis in Oss, het gaat niet goed met me")
    assert (body["route"], body["safety"]) == ("voorziening", "zorg")
    assert body["services"]
    assert [line["key"] for line in body["emergency"]] == ["113", "112"]
    assert all(line["short"] and line["tel"] for line in body["emergency"])


def test_no_safety_level_means_no_lines(client, route_as):
    route_as("ik zoek een buurthuis", "voorziening")
    body = ask(client, "ik zoek een buurthuis")
    assert body["safety"] is None and body["emergency"] == []


def test_a_place_outside_the_area_gets_an_honest_answer_and_national_help(client, route_as):
    question = "ik voel me somber en wil met iemand praten, ik woon in Eindhoven"
    route_as(question, "voorziening")
    body = ask(client, question)
    assert body["elsewhere"] == {"place": "Eindhoven", "gemeente": "Eindhoven"}
    assert body["gemeente"] is None and body["ask_gemeente"] is False
    assert "Eindhoven ligt buiten ons gebied" in body["answer"]
    assert body["services"] and all(s["gemeente"] is None for s in body["services"])  # landelijk only


def test_a_place_of_ours_wins_over_one_elsewhere(client):
    body = ask(client, "ik woon in Uden en werk in Eindhoven, waar is een taalcafe")
    assert body["gemeente_detected"] == "maashorst"
    assert body["elsewhere"] is None


def test_the_answer_says_what_help_fits_what_it_costs_and_what_to_do(client, route_as):
    route_as("ik zoek een buurthuis waar ik koffie kan drinken", "voorziening")
    body = ask(client, "ik zoek een buurthuis waar ik koffie kan drinken", gemeente="oss")
    text = body["answer"]
    assert "in Oss" in text and "geen indicatie" in text and "Bij elke plek staat wat je nu kunt doen" in text
    assert ("gratis" in text) or ("bijdrage" in text)
    for service in body["services"]:
        assert service["why"] and service["title"] not in service["why"]  # never just the title


def test_the_why_names_the_residents_words_and_kern(client, route_as):
    route_as("koffie drinken in Berghem", "voorziening")
    body = ask(client, "koffie drinken in Berghem")
    whys = " ".join(s["why"] for s in body["services"])
    assert "koffie" in whys
    assert "Gaat over:" in whys


def test_the_why_is_in_the_answers_language(client, route_as):
    route_as("coffee with neighbours in Berghem", "voorziening")
    body = client.get(
        "/api/v1/ask", query_string={"q": "coffee with neighbours in Berghem", "lang": "en"}
    ).json
    whys = [s["why"] for s in body["services"]]
    assert whys and all("About:" in why and "Gaat over" not in why for why in whys)


def test_without_a_gemeente_one_entry_per_kind_of_help(client, route_as):
    route_as("maatje", "voorziening")
    body = ask(client, "maatje")
    kinds = [s["categories"][0] for s in body["services"]]
    assert body["ask_gemeente"] and len(kinds) == len(set(kinds))


def test_a_vague_question_gets_one_follow_up_question_and_the_choice_narrows_it(client, route_as):
    route_as("hulp", "voorziening")
    body = ask(client, "hulp")
    assert body["follow_up"]["field"] == "onderwerp" and len(body["follow_up"]["choices"]) >= 6
    assert "algemeen" in body["answer"]
    narrowed = ask(client, "hulp", onderwerp="geld", gemeente="oss")
    assert narrowed["follow_up"] is None
    assert narrowed["services"] and all(
        set(s["categories"]) & {"geld", "formulieren-recht"} for s in narrowed["services"]
    )
    bad = client.get("/api/v1/ask", query_string={"q": "hulp", "onderwerp": "raket"})
    assert bad.status_code == 400 and bad.get_json()["error"]

"""The API answers as its OpenAPI document says: every /api/v1/ask response (each route, and a bad request)
and a page of /api/v1/services validated against the schemas in /api/v1/openapi.json with jsonschema
(JSON Schema 2020-12, as OpenAPI 3.1 uses, with the format checker)."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from webapp import create_app

from .conftest import demo_config


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return create_app(demo_config(tmp_path_factory.mktemp("openapi"))).test_client()


ROUTED = {
    "ik zoek een plek om andere ouderen te ontmoeten": "voorziening",
    "wie beslist of ik een scootmobiel vergoed krijg": "wijkteam",
    "mijn buurman ligt op de grond en ademt niet": "spoed",
    "wanneer wordt het oud papier opgehaald": "onbekend",
}


def response_schema(client: Any, path: str, status: str) -> Draft202012Validator:
    spec = client.get("/api/v1/openapi.json").get_json()
    schema = spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def problems(validator: Draft202012Validator, body: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]


@pytest.mark.parametrize(("question", "route"), list(ROUTED.items()))
def test_every_route_answers_as_documented(client, route_as, question: str, route: str) -> None:
    route_as(question, route)
    validator = response_schema(client, "/api/v1/ask", "200")
    response = client.get("/api/v1/ask", query_string={"q": question, "gemeente": "oss"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["route"] == route
    assert problems(validator, body) == []


def test_a_bad_request_answers_as_documented(client) -> None:
    validator = response_schema(client, "/api/v1/ask", "400")
    response = client.get("/api/v1/ask", query_string={"q": "", "gemeente": "oss"})
    assert response.status_code == 400
    assert problems(validator, response.get_json()) == []


def test_the_validation_can_fail(client) -> None:
    """A body without its required fields, or with a route the document does not name, is reported."""
    validator = response_schema(client, "/api/v1/ask", "200")
    body = client.get("/api/v1/ask", query_string={"q": "buurthuis", "gemeente": "oss"}).get_json()
    assert problems(validator, {**body, "route": "elders"})
    assert problems(validator, {k: v for k, v in body.items() if k != "route"})

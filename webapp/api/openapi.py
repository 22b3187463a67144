"""GET /api/v1/openapi.json: the OpenAPI 3.1 description of the public API."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from ..answers import TOPICS
from ..catalog import catalog
from ..content.taxonomy import CATEGORY_SLUGS, FEW_GEMEENTEN
from ..i18n import LANGUAGES
from .hsds import DEFAULT_PER_PAGE, MAX_PER_PAGE

bp = Blueprint("openapi", __name__)

ROUTES = ["voorziening", "wijkteam", "spoed", "onbekend"]


def service_schema() -> dict[str, Any]:
    """One voorziening in an answer."""
    return {
        "type": "object",
        "required": ["slug", "title", "samenvatting", "categories", "gemeente", "url", "why"],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "samenvatting": {"type": "string"},
            "categories": {"type": "array", "items": {"type": "string", "enum": list(CATEGORY_SLUGS)}},
            "gemeente": {"type": ["string", "null"], "description": "null: a national (landelijk) service"},
            "kern": {"type": ["string", "null"]},
            "kernen": {"type": "array", "items": {"type": "string"}},
            "url": {"type": "string"},
            "lat": {"type": ["number", "null"]},
            "lon": {"type": ["number", "null"]},
            "why": {"type": "string", "description": "one line: why this fits the question"},
            "gratis": {"type": "boolean"},
            "kosten": {"type": "string"},
            "aanmelden": {"type": "string", "enum": ["binnenlopen", "bellen", "aanmelden"]},
            "telefoon": {"type": "string"},
            "voorbeeld": {"type": "boolean", "description": "demo entry: contact details are not real"},
        },
    }


def answer_schema() -> dict[str, Any]:
    """The body of /api/v1/ask."""
    return {
        "type": "object",
        "required": ["route", "answer", "services", "contact", "safety", "emergency", "gemeente_detected"],
        "properties": {
            "route": {"type": "string", "enum": ROUTES},
            "answer": {"type": "string", "description": "B1 text in the resident's language"},
            "lang": {"type": "string", "enum": list(LANGUAGES)},
            "question_language": {"type": "string"},
            "gemeente": {"type": ["string", "null"]},
            "gemeente_detected": {"type": ["string", "null"]},
            "ask_gemeente": {"type": "boolean"},
            "elsewhere": {
                "type": ["object", "null"],
                "description": "a place outside the five gemeenten that the question names: only national "
                "help is listed, and the answer says where to look instead",
                "properties": {"place": {"type": "string"}, "gemeente": {"type": "string"}},
            },
            "services": {"type": "array", "maxItems": 5, "items": service_schema()},
            "follow_up": {
                "type": ["object", "null"],
                "description": "a vague question: one follow-up question; ask again with its field set to "
                "a choice",
                "properties": {
                    "question": {"type": "string"},
                    "field": {"type": "string"},
                    "choices": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"value": {"type": "string"}, "label": {"type": "string"}},
                        },
                    },
                },
            },
            "contact": {"type": ["object", "null"], "description": "the wijkteam to contact"},
            "safety": {
                "type": ["string", "null"],
                "enum": ["spoed", "zorg", None],
                "description": "spoed: show the emergency lines first and large, nothing above them; "
                "zorg: answer as usual with a compact block of the lines above the results; null: neither",
            },
            "emergency": {
                "type": "array",
                "description": "the crisis lines that fit, most fitting first (for safety spoed and zorg)",
                "items": {
                    "type": "object",
                    "required": ["key", "name", "phone", "when", "short"],
                    "properties": {
                        "key": {"type": "string", "enum": ["112", "113", "veilig-thuis"]},
                        "name": {"type": "string"},
                        "phone": {"type": "string"},
                        "tel": {"type": "string"},
                        "when": {"type": "string"},
                        "short": {"type": "string", "description": "one line for the compact block"},
                        "url": {"type": "string"},
                    },
                },
            },
        },
    }


def get_operation(
    operation_id: str, summary: str, parameters: list[dict[str, Any]], responses: dict[str, Any]
) -> dict[str, Any]:
    """A path with one GET operation."""
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": parameters,
            "responses": responses,
        }
    }


def services_path() -> dict[str, Any]:
    """GET /api/v1/services: HSDS 3.0 pages."""
    return get_operation(
        "services",
        "All voorzieningen as Open Referral HSDS 3.0 services, one page at a time",
        [
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
            {
                "name": "per_page",
                "in": "query",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PER_PAGE,
                    "default": DEFAULT_PER_PAGE,
                },
            },
            {
                "name": "modified_after",
                "in": "query",
                "description": "entries checked on or after this date (YYYY-MM-DD or ISO datetime)",
                "schema": {"type": "string"},
            },
        ],
        {
            "200": {
                "description": "an HSDS 3.0 Page of services "
                "(total_items, total_pages, page_number, size, contents, ...)",
                "content": {"application/json": {"schema": {"type": "object", "required": ["contents"]}}},
            },
            "400": {"description": "a bad page, per_page or modified_after, with a clear message"},
        },
    )


def ask_path() -> dict[str, Any]:
    """GET /api/v1/ask: a resident's question answered."""
    return get_operation(
        "ask",
        "Answer a resident's question",
        [
            {
                "name": "q",
                "in": "query",
                "required": True,
                "schema": {"type": "string", "minLength": 1, "maxLength": 500},
            },
            {
                "name": "gemeente",
                "in": "query",
                "description": "the gemeente (its slug; its name or a kern's name is understood too)",
                "schema": {"type": "string", "examples": sorted(catalog().gemeenten)[:FEW_GEMEENTEN]},
            },
            {
                "name": "lang",
                "in": "query",
                "description": "answer language; default: detected from the question",
                "schema": {"type": "string", "enum": list(LANGUAGES)},
            },
            {
                "name": "onderwerp",
                "in": "query",
                "description": "the resident's choice in the follow-up question of a vague question "
                "(follow_up.choices[].value): narrows the search to that topic",
                "schema": {"type": "string", "enum": list(TOPICS)},
            },
        ],
        {
            "200": {
                "description": "the answer",
                "content": {"application/json": {"schema": answer_schema()}},
            },
            "400": {
                "description": "empty, too long, control characters, or unknown gemeente",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["error"],
                            "properties": {"error": {"type": "string"}},
                        }
                    }
                },
            },
        },
    )


def spec() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Dichtbij API",
            "version": "1",
            "description": "Answers a resident's question with algemene voorzieningen, the wijkteam, "
            "emergency lines or an honest 'not ours'. No question text is stored.",
        },
        "paths": {"/api/v1/services": services_path(), "/api/v1/ask": ask_path()},
    }


@bp.get("/openapi.json")
def index() -> Any:
    return jsonify(spec())

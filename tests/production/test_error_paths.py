"""One error path: every error status is JSON under /api/ and a page elsewhere, with the security headers,
no-store and the headers of the status (Allow, Retry-After); a path trick on a 404 page never links
off-site."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app

from .conftest import base_config

BIG = b"x" * 70_000
LONG = "a" * 9000


def broken() -> Any:
    raise RuntimeError("a bug")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    app = create_app(
        base_config(tmp_path_factory.mktemp("errors"), RATE_LIMIT_PER_MINUTE=1, PROPAGATE_EXCEPTIONS=False)
    )
    # a bug in a view, under /api/ and elsewhere (added before the first request, as Flask wants)
    app.add_url_rule("/api/v1/kapot", "api_broken", broken)
    app.add_url_rule("/kapot", "site_broken", broken)
    return app


def fresh_client(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address  # its own rate-limit bucket
    return client


API = [
    ("GET", "/api", None, 404),
    ("GET", "/api/v1/bestaat-niet", None, 404),
    ("GET", "/api/v1/services/bestaat-niet", None, 404),
    ("DELETE", "/api/v1/ask", None, 405),
    ("POST", "/api/v1/services", None, 405),
    ("POST", "/api/v1/ask", BIG, 413),
    ("GET", f"/api/v1/ask?q={LONG}", None, 414),
    ("GET", "/api/v1/ask?q=", None, 400),
    ("GET", "/api/v1/kapot", None, 500),
]
SITE = [
    ("GET", "/bestaat-niet", None, 404),
    ("POST", "/nood", None, 405),
    ("POST", "/vraag", BIG, 413),
    ("GET", f"/vraag?q={LONG}", None, 414),
    ("GET", "/kapot", None, 500),
]


def check_common(response: Any, status: int) -> None:
    assert response.status_code == status
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "Traceback" not in response.get_data(as_text=True)
    if status == 405:
        assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(("method", "path", "body", "status"), API, ids=lambda v: str(v)[:30])
def test_every_api_error_is_json(app, method: str, path: str, body: bytes | None, status: int) -> None:
    response = fresh_client(app, "203.0.113.10").open(path, method=method, data=body)
    check_common(response, status)
    assert response.mimetype == "application/json"
    message = response.get_json()["error"]
    assert isinstance(message, str) and message


@pytest.mark.parametrize(("method", "path", "body", "status"), SITE, ids=lambda v: str(v)[:30])
def test_every_site_error_is_a_page(app, method: str, path: str, body: bytes | None, status: int) -> None:
    response = fresh_client(app, "203.0.113.11").open(path, method=method, data=body)
    check_common(response, status)
    assert response.mimetype == "text/html"
    assert "<h1" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [("/api/v1/ask?q=buurthuis", "application/json"), ("/vraag?q=buurthuis", "text/html")],
)
def test_too_many_questions_is_429_with_retry_after(app, path: str, mimetype: str) -> None:
    client = fresh_client(app, f"203.0.113.{20 + len(mimetype)}")
    assert client.get(path).status_code == 200
    response = client.get(path)
    check_common(response, 429)
    assert response.mimetype == mimetype
    assert int(response.headers["Retry-After"]) > 0


@pytest.mark.parametrize("path", ["/\\evil.example.com", "//evil.example.com", "/\\/evil.example.com"])
def test_language_links_on_a_404_stay_on_this_site(app, path: str) -> None:
    """The path as the server decoded it (the test client would read //host as a host)."""
    response = fresh_client(app, "203.0.113.12").get("/", environ_overrides={"PATH_INFO": path})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    links = [part for part in html.split('"') if "evil.example.com" in part]
    assert links, "the 404 page links to itself in the other languages"
    assert all(link.startswith("/evil.example.com") for link in links), links

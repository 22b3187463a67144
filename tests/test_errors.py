"""One error handler: JSON under /api/, a page in the site's layout elsewhere, a B1 text per status."""

from __future__ import annotations

import pytest

from webapp import create_app, errors

from .conftest import demo_config
from .site.conftest import Page


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    return create_app(demo_config(tmp_path_factory.mktemp("errors"), RATE_LIMIT_PER_MINUTE=0))


@pytest.fixture
def client(app):
    return app.test_client()


def test_unknown_api_path_is_json_404(client) -> None:
    response = client.get("/api/v1/bestaat-niet")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Misschien is de link oud. Of er zit een typefout in het adres."}
    assert response.headers["Cache-Control"] == "no-store"


def test_wrong_method_is_405_with_allow_as_page_and_as_json(client) -> None:
    page = client.post("/nood")
    assert page.status_code == 405 and page.mimetype == "text/html"
    assert "GET" in page.headers["Allow"]
    Page("/nood", 405, page.get_data(as_text=True)).check()
    assert "Dit adres klopt niet" in page.get_data(as_text=True)
    api = client.post("/api/v1/services")
    assert api.status_code == 405 and "GET" in api.headers["Allow"]
    assert api.get_json()["error"]


def test_every_error_page_passes_the_page_checks(client) -> None:
    for url, status in (("/bestaat-niet", 404), ("/vraag?q=" + "a" * 9000, 414)):
        response = client.get(url)
        assert response.status_code == status
        Page(url, status, response.get_data(as_text=True)).check()


def test_an_error_inside_the_api_is_json_500(app, client, monkeypatch) -> None:
    def broken() -> str:
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "api.openapi.index", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 500
    assert response.get_json()["error"].startswith("Dit is onze fout")


def test_the_error_page_never_fails_on_its_layout(client, monkeypatch) -> None:
    def no_layout(*args: object, **kwargs: object) -> str:
        raise RuntimeError("storage down")

    monkeypatch.setattr(errors, "render_template", no_layout)
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<h1>Deze pagina bestaat niet</h1>" in html and '<a href="/">' in html


def test_bad_input_carries_its_message(client) -> None:
    response = client.get("/api/v1/ask?q=")
    assert response.status_code == 400
    assert response.get_json() == {"error": "Typ eerst een vraag."}


def test_the_translation_of_an_error_follows_the_page_language(client) -> None:
    html = client.get("/bestaat-niet?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in html and "Deze pagina bestaat niet" not in html

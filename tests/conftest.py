"""Shared fixtures: a small valid content folder written per test, and apps built on it."""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from webapp import create_app

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("DICHTBIJ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test of the session (one Playwright per process)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/system-deps.sh")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def demo_config(tmp: Path, **extra: Any) -> dict[str, Any]:
    """The app on the real demo content: no model, no router, no map tiles, its own storage and index."""
    return {
        "TESTING": True,
        "CONTENT_DIR": str(ROOT / "content"),
        "DATABASE_URL": f"sqlite:///{tmp / 'dichtbij.db'}",
        "INDEX_DIR": str(tmp / "index"),
        "VECTOR_CACHE_DIR": str(tmp / "vectors"),
        "ROUTER_DIR": str(tmp / "no-router"),  # the short rule list alone: the router is measured apart
        "EMBEDDER": "none",
        "TILE_URL": "",
        "MEILI_PREPARE_WORDS": 0,  # nothing asked ahead (tests/search/test_meili_answers.py asks ahead)
        **extra,
    }


GEMEENTE = """\
---
naam: Oss
website: https://www.oss.nl
wijkteam:
  naam: Sociaal wijkteam
  organisatie: Gemeente Oss
  telefoon: ""
  website: https://www.oss.nl
  bereikbaarheid: Bel de gemeente.
  voorbeeld: true
kernen:
  - naam: Oss
    lat: 51.765
    lon: 5.518
    wijken:
      - {naam: de Ruwaard, lat: 51.757, lon: 5.541}
  - {naam: Berghem, lat: 51.770, lon: 5.570}
laatst_gecontroleerd: 2026-10-01
voorbeeld: true
---
Het sociaal wijkteam helpt als je meer nodig hebt.
"""

ENTRY = """\
---
titel: Taalcafé in de bibliotheek
samenvatting: Oefen Nederlands praten met andere mensen.
categorieen: [taal-digitaal, nieuwkomers]
gemeente: oss
kernen: [Oss]
wijk: de Ruwaard
organisatie: Bibliotheek (voorbeeld)
adres: Voorbeeldstraat 1
postcode: 5341 AA
plaats: Oss
lat: 51.758
lon: 5.540
telefoon: ""
openingstijden:
  tijden:
    - {dag: dinsdag, open: "14:00", dicht: "16:00"}
  notitie: In de schoolvakanties dicht.
kosten:
  soort: gratis
  bedrag: ""
aanmelden: binnenlopen
doelgroep: [nieuwkomers, volwassenen]
toegankelijkheid: [rolstoel]
talen: [nl, en]
laatst_gecontroleerd: 2026-10-01
voorbeeld: true
trefwoorden: [nederlands leren, taal oefenen, praten]
---
"""
ENTRY_BODY = """\
Wil je beter Nederlands praten? Kom naar het taalcafé.

Je praat in kleine groepjes over gewone dingen. Een vrijwilliger helpt je als je een woord niet weet.
Je hoeft nog niet goed Nederlands te spreken. Iedereen is welkom, ook als je net in Nederland woont.
De koffie en de thee zijn gratis.
"""
ENTRY += ENTRY_BODY

OTHER_GEMEENTEN = ("maashorst", "meierijstad", "oirschot", "geertruidenberg")


def gemeente_text(naam: str, lat: float = 51.7, lon: float = 5.5) -> str:
    return textwrap.dedent(f"""\
        ---
        naam: {naam}
        website: https://www.example.org
        wijkteam: {{naam: Wijkteam}}
        kernen:
          - {{naam: {naam}, lat: {lat}, lon: {lon}}}
        laatst_gecontroleerd: 2026-10-01
        voorbeeld: true
        ---
        Het wijkteam.
        """)


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A complete, valid content folder: five gemeenten and one voorziening in Oss."""
    root = tmp_path / "content"
    (root / "gemeenten").mkdir(parents=True)
    (root / "gemeenten" / "oss.md").write_text(GEMEENTE, encoding="utf-8")
    for slug in OTHER_GEMEENTEN:
        (root / "gemeenten" / f"{slug}.md").write_text(gemeente_text(slug.capitalize()), encoding="utf-8")
    (root / "voorzieningen" / "oss").mkdir(parents=True)
    (root / "voorzieningen" / "oss" / "oss-taalcafe.md").write_text(ENTRY, encoding="utf-8")
    return root


@pytest.fixture
def write_entry(content_dir: Path) -> Callable[..., Path]:
    """Write an entry: the valid ENTRY with `replace` substitutions applied."""

    def write(slug: str = "oss-taalcafe", folder: str = "oss", replace: dict[str, str] | None = None) -> Path:
        text = ENTRY
        for old, new in (replace or {}).items():
            assert old in text, f"test setup: {old!r} not in ENTRY"
            text = text.replace(old, new)
        path = content_dir / "voorzieningen" / folder / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def app(content_dir: Path, tmp_path: Path):
    return create_app(
        {
            "TESTING": True,
            "CONTENT_DIR": str(content_dir),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
            "INDEX_DIR": str(tmp_path / "index"),
            "VECTOR_CACHE_DIR": str(tmp_path / "vectors"),
            "ROUTER_DIR": str(tmp_path / "no-router"),
            "EMBEDDER": "none",
            "TILE_URL": "",
        }
    )


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the translations first (.mo files are build output, not in git)."""
    from webapp.commands.translate import compile_translations

    compile_translations()


@pytest.fixture
def route_as(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """route_as(question, route, safety=None, kind=None): the triage answers this question so, whatever a
    model would say. For tests of what the site and the API do with a route; how well the router routes
    is measured on held-out files (bench/triage.py, tests/search/test_triage_heldout.py)."""
    from search.question import Meaning
    from search.triage import Triage, TriageResult, lines_for_kinds

    fixed: dict[str, TriageResult] = {}
    original = Triage.classify

    def same_question(text: str, question: str) -> bool:
        """The matcher hands the router the question without its place names: the words left, in order."""
        words, rest = re.findall(r"\w+", text.casefold()), iter(re.findall(r"\w+", question.casefold()))
        return bool(words) and all(any(w == r for r in rest) for w in words)

    def classify(self: Triage, meaning: Meaning) -> TriageResult:
        found = [result for question, result in fixed.items() if same_question(meaning.text, question)]
        return found[0] if found else original(self, meaning)

    def set_route(question: str, route: str, safety: str | None = None, kind: str | None = None) -> None:
        kinds = (kind,) if kind else ()
        emergency = lines_for_kinds(kinds, safety == "spoed") if safety else ()
        fixed[" ".join(question.split())] = TriageResult(route, "set by the test", safety, emergency, kinds)

    monkeypatch.setattr(Triage, "classify", classify)
    return set_route


@pytest.fixture(autouse=True)
def _no_count_threads_left() -> Iterator[None]:
    """Every app starts a counts thread on its first question: stop them (and write their counts) after
    each test, so no test leaves a thread behind."""
    yield
    from webapp.production import counts

    counts.close_all()

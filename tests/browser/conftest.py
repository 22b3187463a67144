"""Browser tests: Debian's Chromium driven by Python Playwright (never `playwright install`), the app on
127.0.0.1 in a thread. One browser and one page per session; every request any page makes is recorded and
must go to the app itself.

    scripts/system-deps.sh          # apt-get install chromium (CI does this)
    pytest tests/browser -q
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ..conftest import demo_config

QUESTION = "ik voel me alleen"
SPOED = "ik wil dood, echt waar"
WIJKTEAM = "ik heb een indicatie nodig voor huishoudelijke hulp"
ONBEKEND = "hoe laat gaat de trein naar utrecht"
DETAIL = "geertruidenberg-alzheimer-cafe"  # a demo entry with an address, hours and a place on the map

# The browser asks for Dutch (Accept-Language), so a page without ?lang= is Dutch; Playwright's default
# would be en-US, and the site follows the browser's language on a first visit.
LOCALE = "nl-NL"
LANGS = ("nl", "en", "pl", "tr", "ar", "uk")

# A phone as residents hold one (mobile emulation: the meta viewport counts, touch, a dense screen) and a
# laptop. With is_mobile a page wider than the screen makes the phone zoom out, as a real one does.
DEVICES: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


def with_lang(path: str, lang: str) -> str:
    """The path in the UI language `lang` (Dutch needs no ?lang=: the browser asks for Dutch)."""
    if lang == "nl":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def browser_config(tmp: Path, **extra: Any) -> dict[str, Any]:
    """The app as the browser tests and the bench scripts run it: real content, no model, no tiles."""
    defaults: dict[str, Any] = {
        "TESTING": False,  # a real server: errors become the 500 page
        "HSTS_SECONDS": 0,
        "RATE_LIMIT_PER_MINUTE": 0,
        "CONTENT_POLL_SECONDS": 0,
        "COUNTS_FLUSH_SECONDS": 3600.0,
    }
    return demo_config(tmp, **{**defaults, **extra})


# The browser tests run without the triage router (it is measured apart); the rule list alone only knows
# danger. So that a wijkteam and an onbekend answer can be looked at, these questions are routed so.
ROUTES = {WIJKTEAM: "wijkteam", ONBEKEND: "onbekend"}


@contextlib.contextmanager
def fixed_routes(routes: dict[str, str] = ROUTES) -> Iterator[None]:
    """The triage routes these questions so while the app runs in this process (the tests' server thread)."""
    from search.question import Meaning
    from search.triage import Triage, TriageResult

    original = Triage.classify

    def words(text: str) -> list[str]:
        return re.findall(r"\w+", text.casefold())

    def classify(self: Triage, meaning: Meaning) -> TriageResult:
        for question, route in routes.items():
            rest = iter(words(question))  # the router reads the question without its place names
            if words(meaning.text) and all(any(w == r for r in rest) for w in words(meaning.text)):
                return TriageResult(route, "set by the browser tests", None, (), ())
        return original(self, meaning)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Triage, "classify", classify)
        yield


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from bench.servers import serve

    with fixed_routes(), serve(browser_config(tmp_path_factory.mktemp("browser"))) as url:
        yield url


class Requests:
    """Every request made by pages of the contexts it watches, and every CSP complaint on the console."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.csp: list[str] = []

    def watch(self, context: Any) -> Any:
        context.on("request", lambda request: self.urls.append(request.url))
        context.on(
            "console",
            lambda message: (
                self.csp.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        return context

    def foreign(self, base_url: str) -> list[str]:
        own = urlsplit(base_url).netloc
        return [u for u in self.urls if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != own]


@pytest.fixture(scope="session")
def requests_seen() -> Requests:
    return Requests()


@pytest.fixture(scope="session")
def js_context(browser: Any, requests_seen: Requests) -> Iterator[Any]:
    context = requests_seen.watch(browser.new_context(locale=LOCALE, viewport={"width": 360, "height": 740}))
    yield context
    context.close()


@pytest.fixture(scope="session")
def nojs_context(browser: Any, requests_seen: Requests) -> Iterator[Any]:
    context = requests_seen.watch(
        browser.new_context(locale=LOCALE, java_script_enabled=False, viewport={"width": 360, "height": 740})
    )
    yield context
    context.close()


@pytest.fixture(scope="session")
def shared_page(js_context: Any) -> Any:
    return js_context.new_page()


@pytest.fixture
def page(shared_page: Any) -> Any:
    """The session's page with JavaScript, at phone size."""
    shared_page.set_viewport_size({"width": 360, "height": 740})
    return shared_page


@pytest.fixture(scope="session")
def shared_nojs_page(nojs_context: Any) -> Any:
    return nojs_context.new_page()


@pytest.fixture
def nojs_page(shared_nojs_page: Any) -> Any:
    """The session's page without JavaScript."""
    return shared_nojs_page


@pytest.fixture(scope="session")
def device_page(browser: Any, requests_seen: Requests) -> Iterator[Callable[[str, bool | str], Any]]:
    """device_page("phone" | "desktop", js): one page per device and JavaScript setting for the session,
    opened the first time it is asked for."""
    pages: dict[tuple[str, bool | str], Any] = {}
    contexts: list[Any] = []

    def get(device: str, js: bool | str = True) -> Any:
        """js=False: scripts disabled. js="blocked": JavaScript on, but none of the site's scripts load: a
        page to hold a copy of a page rendered without JavaScript, for checks that run scripts themselves
        (axe-core needs timers, which never fire where JavaScript is off)."""
        if (device, js) not in pages:
            context = browser.new_context(
                locale=LOCALE, java_script_enabled=js is not False, **DEVICES[device]
            )
            if js == "blocked":
                context.route(
                    "**/*",
                    lambda route: (
                        route.abort() if route.request.resource_type == "script" else route.continue_()
                    ),
                )
            contexts.append(requests_seen.watch(context))
            pages[device, js] = context.new_page()
        return pages[device, js]

    yield get
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def only_own_host(request: pytest.FixtureRequest, requests_seen: Requests) -> Iterator[None]:
    """After every browser test: no request went to another host, and the CSP blocked nothing."""
    base = request.getfixturevalue("base_url") if "base_url" in request.fixturenames else None
    yield
    if base is None:
        return
    seen = requests_seen
    foreign, blocked = seen.foreign(base), list(seen.csp)
    seen.urls.clear()
    seen.csp.clear()
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not blocked, f"Content-Security-Policy blocked something: {blocked}"

"""The resident site on the real content: an app fixture and a page checker (in the spirit of
notifications-admin's page fixtures) that every page type goes through."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from webapp import create_app

from ..conftest import demo_config

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parents: tuple[str, ...]
    chunks: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.chunks).split())

    def get(self, name: str, default: str = "") -> str:
        return self.attrs.get(name, default)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []
        self.main_chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, tuple(e.tag for e in self.stack))
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}, tuple(e.tag for e in self.stack)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.chunks.append(data)
        if any(e.tag == "main" for e in self.stack):
            self.main_chunks.append(data)


class Page:
    """A fetched page, parsed; `check()` asserts the house rules every page must keep."""

    def __init__(self, url: str, status: int, html: str) -> None:
        self.url = url
        self.status = status
        self.html = html
        parser = _Parser()
        parser.feed(html)
        self.elements = parser.elements
        self.main_text = " ".join("".join(parser.main_chunks).split())
        self.headers: dict[str, str] = {}

    def all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e for e in self.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())
        ]

    def one(self, tag: str, **attrs: str) -> Element:
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"{self.url}: expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def by_id(self, ident: str) -> Element:
        return self.one_where(lambda e: e.attrs.get("id") == ident)

    def one_where(self, test: Callable[[Element], bool]) -> Element:
        found = [e for e in self.elements if test(e)]
        assert len(found) == 1, f"{self.url}: expected one match, found {len(found)}"
        return found[0]

    def hrefs(self) -> list[str]:
        return [e.get("href") for e in self.elements if e.tag == "a" and "href" in e.attrs]

    def check(self, *, lang: str = "nl") -> Page:
        url = self.url
        h1s = self.all("h1")
        assert len(h1s) == 1, f"{url}: {len(h1s)} h1 elements"
        h1 = h1s[0].text
        assert h1, f"{url}: empty h1"
        title = self.one("title").text
        assert title.startswith(h1), f"{url}: title {title!r} does not start with h1 {h1!r}"

        ids = [e.get("id") for e in self.elements if "id" in e.attrs]
        dupes = {i for i in ids if ids.count(i) > 1}
        assert not dupes, f"{url}: duplicate ids {dupes}"

        html = self.one("html")
        assert html.get("lang") == lang, f"{url}: <html lang={html.get('lang')!r}>, expected {lang!r}"
        assert html.get("dir") == ("rtl" if lang == "ar" else "ltr"), f"{url}: wrong dir for {lang}"

        labelled = {e.get("for") for e in self.all("label")}
        for e in self.elements:
            if e.tag in ("input", "select", "textarea") and e.get("type", "text") not in UNLABELLED_INPUTS:
                assert "label" in e.parents or (e.get("id") and e.get("id") in labelled), (
                    f"{url}: <{e.tag} name={e.get('name')!r}> has no label"
                )

        for e in self.all("script"):
            assert e.get("src") or e.get("type") == "application/json", f"{url}: inline script"
        assert not self.all("style"), f"{url}: <style> element (CSP style-src 'self')"
        for e in self.elements:
            assert "style" not in e.attrs, f"{url}: style= on <{e.tag}>"
            handlers = [a for a in e.attrs if a.startswith("on")]
            assert not handlers, f"{url}: inline event handler {handlers} on <{e.tag}>"

        resources = [
            e.get("src") for e in self.elements if e.tag in ("script", "img", "iframe") and e.get("src")
        ]
        # a canonical link names the page's public address (PUBLIC_URL); it loads nothing
        resources += [
            e.get("href") for e in self.all("link") if e.get("href") and e.get("rel") != "canonical"
        ]
        for ref in resources:
            host = urlsplit(ref).netloc
            assert not host or host == "localhost", f"{url}: third-party resource {ref}"
        return self


@pytest.fixture(scope="session")
def site_app(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("site")
    return create_app(demo_config(tmp))


@pytest.fixture
def client(site_app):
    return site_app.test_client()


@pytest.fixture
def get_page(client) -> Callable[..., Page]:
    """Fetch a URL, assert its status, and run the page checks."""

    def get(url: str, status: int = 200, *, check: bool = True, lang: str | None = None) -> Page:
        response = client.get(url)
        assert response.status_code == status, f"{url}: status {response.status_code}, expected {status}"
        page = Page(url, response.status_code, response.get_data(as_text=True))
        if check:
            match = re.search(r"[?&]lang=([a-z]{2})", url)
            page.check(lang=lang or (match.group(1) if match else "nl"))
        return page

    return get


@pytest.fixture
def post_page(client) -> Callable[..., Page]:
    """Post a form (as the site's question forms do), assert the status, and run the page checks."""

    def post(url: str, data: dict[str, str], status: int = 200, *, check: bool = True) -> Page:
        response = client.post(url, data=data)
        assert response.status_code == status, f"{url}: status {response.status_code}, expected {status}"
        page = Page(url, response.status_code, response.get_data(as_text=True))
        page.headers = dict(response.headers)
        if check:
            match = re.search(r"[?&]lang=([a-z]{2})", url)
            page.check(lang=match.group(1) if match else "nl")
        return page

    return post


@pytest.fixture
def catalog(site_app):
    with site_app.app_context():
        from webapp.catalog import catalog as current

        return current()

"""A strict reading of a report page with the standard library's html.parser.

`read(html)` returns a `Page`, or raises `HTMLError` for what a browser would silently repair: an end tag
that closes nothing, elements left open, a duplicate id, a stray "<" in text, an unescaped "&".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SVG_EMPTY = {"rect", "line", "path", "circle", "stop"}  # written as <rect .../> in the report


class HTMLError(AssertionError):
    pass


@dataclass
class Table:
    caption: str | None = None
    rows: list[list[str]] = field(default_factory=list)  # cell texts, th and td alike
    header_scopes: list[str | None] = field(default_factory=list)

    def row(self, label: str) -> list[str]:
        found = [r for r in self.rows if r and r[0] == label]
        assert len(found) == 1, f"{label!r} in {self.caption!r}: {len(found)} rows"
        return found[0]


@dataclass
class Svg:
    attrs: dict[str, str]
    title: str = ""
    desc: str = ""
    rects: list[dict[str, str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@dataclass
class Page:
    lang: str | None = None
    title: str = ""
    headings: list[tuple[int, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    svgs: list[Svg] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # every text node, <style> included
    attrs: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, name, value)
    ids: list[str] = field(default_factory=list)

    def table(self, caption: str) -> Table:
        found = [t for t in self.tables if t.caption == caption]
        assert len(found) == 1, f"{len(found)} tables with caption {caption!r}"
        return found[0]


class Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[str] = []
        self._text: list[str] | None = None  # collecting text of a heading, title, caption, cell
        self._heading: int | None = None
        self._table: Table | None = None
        self._row: list[str] | None = None
        self._svg: Svg | None = None

    def _attributes(self, tag: str, a: dict[str, str]) -> None:
        for k, v in a.items():
            self.page.attrs.append((tag, k, v))
        if "id" in a:
            if a["id"] in self.page.ids:
                raise HTMLError(f"duplicate id {a['id']!r}")
            self.page.ids.append(a["id"])
        if tag == "html":
            self.page.lang = a.get("lang")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self._attributes(tag, a)
        if tag in VOID:
            return
        self.stack.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = int(tag[1]), []
        elif tag in ("title", "caption", "th", "td") and self._svg is None:
            self._text = []
            if tag == "th" and self._table is not None:
                self._table.header_scopes.append(a.get("scope"))
        elif tag == "table":
            self._table = Table()
        elif tag == "tr":
            self._row = []
        elif tag == "svg":
            self._svg = Svg(a)
        elif self._svg is not None and tag in ("title", "desc", "text"):
            self._text = []
        if self._svg is not None and tag == "rect":
            self._svg.rects.append(a)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID and tag not in SVG_EMPTY:
            raise HTMLError(f"<{tag} /> is not an empty element")
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def _end_in_svg(self, tag: str, text: str) -> None:
        assert self._svg is not None
        if tag == "title":
            self._svg.title = text
        elif tag == "desc":
            self._svg.desc = text
        elif tag == "text":
            self._svg.texts.append(text)
        elif tag == "svg":
            self.page.svgs.append(self._svg)
            self._svg = None
        if tag in ("title", "desc", "text"):
            self._text = None

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            raise HTMLError(f"</{tag}> closes a void element")
        if not self.stack or self.stack[-1] != tag:
            raise HTMLError(f"</{tag}> while open: {self.stack[-4:]}")
        self.stack.pop()
        text = " ".join("".join(self._text).split()) if self._text is not None else ""
        if self._svg is not None:
            self._end_in_svg(tag, text)
            return
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.page.headings.append((self._heading, text))
            self._heading, self._text = None, None
        elif tag == "title":
            self.page.title, self._text = text, None
        elif tag == "caption" and self._table is not None:
            self._table.caption, self._text = text, None
        elif tag in ("th", "td") and self._row is not None:
            self._row.append(text)
            self._text = None
        elif tag == "tr" and self._table is not None and self._row is not None:
            self._table.rows.append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.page.tables.append(self._table)
            self._table = None

    def handle_data(self, data: str) -> None:
        self.page.texts.append(data)
        if self._text is not None:
            self._text.append(data)

    def handle_entityref(self, name: str) -> None:  # not called with convert_charrefs
        raise HTMLError(f"&{name}")


def read(html: str) -> Page:
    raw_text = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    for m in re.finditer(r"<(?![a-zA-Z/!])", raw_text):
        raise HTMLError(f"a bare '<' at {m.start()}: {raw_text[m.start() - 30 : m.start() + 30]!r}")
    for m in re.finditer(r"&(?!(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);)", raw_text):
        raise HTMLError(f"a bare '&' at {m.start()}: {raw_text[m.start() - 30 : m.start() + 30]!r}")
    reader = Reader()
    reader.feed(html)
    reader.close()
    if reader.stack:
        raise HTMLError(f"left open: {reader.stack}")
    return reader.page


NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> list[str]:
    """The numbers in a text, except percentages (a share is no count): '1.234', '617', '617.0'."""
    return [m.group() for m in NUMBER.finditer(text) if text[m.end() : m.end() + 1] != "%"]


def as_value(token: str) -> float:
    """'1.234' (Dutch thousands) -> 1234; '617.0' (a coordinate) -> 617.0."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
        return float(token.replace(".", ""))
    return float(token.replace(",", "."))

"""Split a Markdown file into YAML front matter and body, remembering where each key stands."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader that leaves dates as text, so a bad date becomes a field message, not a crash."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _Loader.yaml_implicit_resolvers.items()
}

KEY_RE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


class FrontMatterError(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Parsed:
    data: dict[str, Any]
    body: str
    key_lines: dict[str, int]  # top-level key -> 1-based line number in the file
    body_line: int  # 1-based line number of the body's first line


def parse(text: str) -> Parsed:
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError("het bestand moet beginnen met een regel '---' en dan de velden", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise FrontMatterError("de velden worden niet afgesloten met een regel '---'", len(lines)) from None
    raw = "\n".join(lines[1:end])
    try:
        data = yaml.load(raw, Loader=_Loader) if raw.strip() else {}
    except yaml.YAMLError as exc:
        message, at = explain_yaml_error(exc, lines[1:end])
        raise FrontMatterError(message, at) from None
    if not isinstance(data, dict):
        raise FrontMatterError("tussen de regels '---' horen velden als 'titel: ...'", 2)
    key_lines: dict[str, int] = {}
    for number, line in enumerate(lines[1:end], start=2):
        match = KEY_RE.match(line)
        if match:
            key_lines.setdefault(match.group(1), number)
    rest = lines[end + 1 :]
    blank = next((i for i, line in enumerate(rest) if line.strip()), 0)  # the body starts after these
    body = "\n".join(rest).strip()
    return Parsed({str(k): v for k, v in data.items()}, body, key_lines, end + 2 + blank)


def _mark_line(exc: yaml.YAMLError, name: str) -> int | None:
    """A YAML mark as a file line: line 0 of the front matter is line 2 of the file."""
    mark = getattr(exc, name, None)
    return mark.line + 2 if mark is not None else None


def _opens_a_quote(line: str) -> bool:
    """A value that starts with a quote and does not end with it: titel: "Koffie"""
    value = line.split(":", 1)[1].strip() if ":" in line else line.strip().removeprefix("- ")
    return value[:1] in ("'", '"') and (len(value) == 1 or value[-1] != value[0])


def explain_yaml_error(exc: yaml.YAMLError, field_lines: list[str]) -> tuple[str, int | None]:
    """A YAML error as a Dutch message with advice, and the file line where the editor should look."""
    problem = str(getattr(exc, "problem", None) or "")
    context = str(getattr(exc, "context", None) or "")
    line = _mark_line(exc, "problem_mark")
    tabs = [number for number, text in enumerate(field_lines, start=2) if "\t" in text]
    if tabs:
        return "er staat een tab op deze regel; spring in met spaties, niet met de Tab-toets", tabs[0]
    unclosed = [number for number, text in enumerate(field_lines, start=2) if _opens_a_quote(text)]
    if unclosed and ("quoted scalar" in context or "expected" in problem):
        return (
            "een tekst tussen aanhalingstekens wordt niet afgesloten; zet er een \" of ' achter",
            unclosed[0],
        )
    if "mapping values are not allowed" in problem:
        return (
            "er staat een dubbele punt (:) waar die niet kan. Staat er een : in je tekst? Zet de tekst dan "
            'tussen aanhalingstekens, zoals titel: "Hulp: thuis". Of springt deze regel te ver in?',
            line,
        )
    if "flow sequence" in context:
        return "een lijst tussen [ en ] is niet afgesloten; zet een ] aan het eind van de regel", _mark_line(
            exc, "context_mark"
        )
    if "flow mapping" in context:
        return "een groep tussen { en } is niet afgesloten; zet een } aan het eind", _mark_line(
            exc, "context_mark"
        )
    if "quoted scalar" in context:
        return (
            "een tekst tussen aanhalingstekens wordt niet afgesloten; zet er een \" of ' achter",
            _mark_line(exc, "context_mark"),
        )
    if "expected ':'" in problem or "simple key" in context:
        return "deze regel heeft geen dubbele punt; schrijf elk veld als naam: waarde", _mark_line(
            exc, "context_mark"
        )
    if "expected key" in problem or "block mapping" in context or "block end" in problem:
        return "deze regel springt niet goed in; zet de velden van een groep recht onder elkaar", line
    if "cannot start any token" in problem:
        return (
            "een waarde mag niet beginnen met @, ` of %; zet de waarde tussen aanhalingstekens",
            line,
        )
    return (
        f"de velden zijn geen geldige YAML ({problem or 'onleesbaar'}); schrijf elk veld als naam: waarde",
        line,
    )

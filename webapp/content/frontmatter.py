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
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(exc, "problem", None) or "onleesbare YAML"
        raise FrontMatterError(f"de velden zijn geen geldige YAML ({problem})", line) from None
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

"""Writing entry files, shared by `flask content new` and the CSV import: a slug from the titel, the
Markdown file in the documented field order and style, the same check the loader runs, and atomic writes
(temp file + rename) so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .frontmatter import FrontMatterError, parse
from .models import Entry, GemeenteInfo, Problem
from .schema import ENTRY_FIELDS, check_entry

if TYPE_CHECKING:  # the callback type only: the content package does not load the search code
    from search.cache import Progress

_PLAIN_RE = re.compile(r"^[^\W\d_][^:#\n\"'{}\[\],&*!|>%@`]*$")
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}


def yaml_scalar(value: object) -> str:
    """A YAML scalar: plain when that reads back as the same text, else a double-quoted JSON string."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN_RE.match(text) and text.lower() not in _RESERVED and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)


def yaml_list(values: Iterable[object]) -> str:
    return "[" + ", ".join(yaml_scalar(v) for v in values) + "]"


def render_entry(data: Mapping[str, Any], body: str) -> str:
    """A Markdown entry file: front matter in the documented field order and style, then the body."""
    lines = ["---"]
    for key in ENTRY_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key == "openingstijden" and isinstance(value, Mapping):
            lines.append("openingstijden:")
            tijden = value.get("tijden") or []
            if isinstance(tijden, list) and tijden:
                lines.append("  tijden:")
                for t in tijden:
                    if isinstance(t, Mapping):
                        inner = ", ".join(
                            f"{k}: {json.dumps(str(v), ensure_ascii=False)}" for k, v in t.items()
                        )
                        lines.append(f"    - {{{inner}}}")
                    else:
                        lines.append(f"    - {yaml_scalar(t)}")
            if value.get("notitie"):
                lines.append(f"  notitie: {yaml_scalar(value['notitie'])}")
        elif key == "kosten" and isinstance(value, Mapping):
            lines.append("kosten:")
            lines.append(f"  soort: {yaml_scalar(value.get('soort', ''))}")
            lines.append(f"  bedrag: {yaml_scalar(value.get('bedrag', ''))}")
        elif isinstance(value, list | tuple):
            lines.append(f"{key}: {yaml_list(value)}")
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body.strip() + "\n"


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"\(voorbeeld\)", "", ascii_text, flags=re.I)
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def make_slug(titel: str, prefix: str) -> str:
    """Slug from the titel, prefixed by the kern or gemeente (unless the titel already starts with it)."""
    base = slugify(titel)
    pre = slugify(prefix)
    if not pre or base == pre or base.startswith(pre + "-"):
        return base
    return f"{pre}-{base}" if base else pre


def _stage(path: Path, text: str) -> Path:
    """Write text to a temp file next to path; the caller renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and rename: readers never see half a file."""
    os.replace(_stage(path, text), path)


def write_all(files: Sequence[tuple[Path, str]], progress: Progress | None = None) -> None:
    """Write every file, or none: all temp files first; only when they are all there, rename them.
    `progress(done, total)` follows the temp files written (the renames are quick)."""
    staged: list[tuple[Path, Path]] = []
    if progress is not None:
        progress(0, len(files))
    try:
        for path, text in files:
            staged.append((_stage(path, text), path))
            if progress is not None:
                progress(len(staged), len(files))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)


def validate_text(
    text: str,
    slug: str,
    folder: str,
    shown: str,
    gemeenten: Mapping[str, GemeenteInfo],
    today: date,
    *,
    draft: bool = False,
) -> tuple[Entry | None, list[Problem]]:
    """Parse a rendered entry back and run the schema check on it, exactly like the loader does (a draft
    may still hold the example texts of `flask content new`)."""
    try:
        parsed = parse(text)
    except FrontMatterError as exc:
        return None, [Problem(shown, "bestand", str(exc), exc.line)]
    entry, problems = check_entry(shown, slug, folder, parsed, dict(gemeenten), today, draft=draft)
    return entry, [p for p in problems if p.severity == "error"]

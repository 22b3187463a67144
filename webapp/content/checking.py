"""The editors' check as plain functions, shared by `flask content check | publish` and
`python -m webapp.content check` (the CI of a content repository, without the app or its database).

Errors come first (they block), then the language warnings, then one summary line.
"""

from __future__ import annotations

from pathlib import Path

from .b1 import average, check_entries, score_errors
from .loader import ContentSet, load_content
from .scope import Scope


def b1_summary_of(warnings: int, mean: float) -> str:
    word = "B1-waarschuwing" if warnings == 1 else "B1-waarschuwingen"
    return f"{warnings} {word}, B1-score gemiddeld {mean:.1f}"


def full_check(root: Path, scope: Scope) -> tuple[ContentSet, str]:
    """The schema's problems and the B1 check of the files in scope, and the B1 part of the summary."""
    content = scope.narrow(load_content(root))
    b1 = check_entries(content.entries, root)
    content.problems += [w for result in b1 for w in result.warnings] + score_errors(b1)
    return content, b1_summary_of(sum(len(r.warnings) for r in b1), average(b1))


def report_lines(
    content: ContentSet, extra: str = "", seconds: float | None = None
) -> list[tuple[bool, str]]:
    """(is_error, line) in the order an editor should read them."""
    errors = content.errors
    warnings = [p for p in content.problems if p.severity != "error"]
    lines: list[tuple[bool, str]] = []
    if errors:
        lines.append((True, "Fouten (los ze op; een bestand met een fout komt niet op de site):"))
        lines += [(True, f"  {problem}") for problem in errors]
    if warnings:
        lines.append((False, "Waarschuwingen (taal; het bestand komt wel op de site):"))
        lines += [(False, f"  {problem}") for problem in warnings]
    broken = {p.path for p in errors}
    good = len([e for e in content.entries if e.path not in broken])
    took = f" ({seconds * 1000:.0f} ms)" if seconds is not None else ""
    lines.append(
        (
            False,
            f"{content.files_read} bestanden gelezen, {good} voorzieningen in orde, "
            f"{len(errors)} {'fout' if len(errors) == 1 else 'fouten'}{extra}{took}.",
        )
    )
    return lines

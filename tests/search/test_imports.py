"""search/ is a library: it never imports Flask or the webapp, and answering never imports the build tools."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SEARCH = Path(__file__).resolve().parents[2] / "search"
MODULES = sorted(SEARCH.rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module `path` imports (import x.y, from x.y import z, relative imports resolved)."""
    package = path.relative_to(SEARCH.parent).with_suffix("").parts[:-1]
    if path.name == "__init__.py":
        package = path.relative_to(SEARCH.parent).parts[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join((*base, *([node.module] if node.module else [])))
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_every_module_is_read() -> None:
    assert SEARCH / "matcher.py" in MODULES and SEARCH / "triage" / "router.py" in MODULES
    assert "search.question" in imported(SEARCH / "matcher.py")
    assert "search.triage.rules.crisis_kinds" in imported(SEARCH / "triage" / "__init__.py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SEARCH.parent)))
def test_search_never_imports_flask_or_webapp(path: Path) -> None:
    roots = {name.split(".")[0] for name in imported(path)}
    assert not {r for r in roots if r in ("flask", "webapp") or r.startswith("flask_")}


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if SEARCH / "model" not in p.parents],
    ids=lambda p: str(p.relative_to(SEARCH.parent)),
)
def test_only_the_build_tools_import_the_build_tools(path: Path) -> None:
    assert not {name for name in imported(path) if name == "search.model" or name.startswith("search.model.")}

"""Every package the code imports is declared in pyproject.toml (not merely pulled in by another one), and
pytest has a default timeout. Checked on the imports themselves; deptry runs too when installed."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions

import pytest

from ..conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
FIRST_PARTY = {"webapp", "search", "bench", "tests", "wsgi"}
SOURCES = ["webapp", "search", "bench", "tests"]


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = PYPROJECT["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return {normal(re.match(r"[A-Za-z0-9._-]+", r).group(0)) for r in requirements}  # type: ignore[union-attr]


def imported_modules(source: str) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def third_party_imports() -> dict[str, set[str]]:
    """Top-level module -> the files importing it, for modules outside the standard library and this repo."""
    found: dict[str, set[str]] = {}
    files = [p for folder in SOURCES for p in (ROOT / folder).rglob("*.py")]
    files += [ROOT / "wsgi.py", ROOT / "gunicorn.conf.py"]
    for path in files:
        for module in imported_modules(path.read_text(encoding="utf-8")):
            if module not in sys.stdlib_module_names and module not in FIRST_PARTY and module != "__future__":
                found.setdefault(module, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_imported_package_is_declared() -> None:
    distributions = packages_distributions()
    wanted = declared()
    missing = {}
    for module, files in sorted(third_party_imports().items()):
        names = {normal(d) for d in distributions.get(module, [module])}
        if not names & wanted:
            missing[module] = sorted(files)[:3]
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_the_import_scan_sees_imports_inside_functions() -> None:
    source = "import os\nfrom a.b import c\n\ndef f():\n    import d.e\n    from . import g\n"
    assert imported_modules(source) == {"os", "a", "d"}


def test_pytest_has_a_default_timeout() -> None:
    options = PYPROJECT["tool"]["pytest"]["ini_options"]
    assert 60 <= int(options["timeout"]) <= 3600
    assert "pytest-timeout" in declared()


@pytest.mark.skipif(
    importlib.util.find_spec("deptry") is None, reason="deptry is not installed (test extras)"
)
def test_deptry_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "deptry", "."], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    found = re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", text, flags=re.M)
    return {normal(name): version for name, version in found}


def names(requirements: list[str]) -> set[str]:
    return {normal(re.match(r"[A-Za-z0-9._-]+", r).group(0)) for r in requirements}  # type: ignore[union-attr]


def test_the_locks_pin_every_declared_package_and_no_cuda_build():
    runtime, test = pins("requirements.lock"), pins("requirements-test.lock")
    project = PYPROJECT["project"]
    assert names(project["dependencies"]) - {"torch"} <= set(runtime)
    assert names(project["optional-dependencies"]["test"]) <= set(test)
    for lock in (runtime, test):
        # torch comes first, its CPU build from the CPU index (Makefile, Dockerfile); never from a lock
        assert not [n for n in lock if n == "torch" or n.startswith(("nvidia-", "triton"))]
    assert {n: v for n, v in test.items() if n in runtime} == runtime  # the test lock adds, never moves


def hash_counts(text: str) -> dict[str, int]:
    """Each pin of a lock file's text -> how many sha256 hashes of its files follow it."""
    entries = re.findall(r"^([A-Za-z0-9._-]+)==\S+((?: \\\n +--hash=sha256:[0-9a-f]{64})*)", text, flags=re.M)
    return {normal(name): hashes.count("--hash=") for name, hashes in entries}


def test_every_locked_pin_carries_the_hashes_of_its_files():
    # one hash makes pip check every requirement it installs, so a pin without one would stop the install
    for lock in ("requirements.lock", "requirements-test.lock"):
        counts = hash_counts((ROOT / lock).read_text(encoding="utf-8"))
        assert counts.keys() == pins(lock).keys(), lock
        assert [n for n, count in counts.items() if count == 0] == [], lock


def test_the_hash_count_reads_a_pin_without_hashes_as_zero():
    hashes = " \\\n    --hash=sha256:" + "a" * 64 + " \\\n    --hash=sha256:" + "b" * 64
    text = f"annotated-doc==0.0.7{hashes}\n    # via typer\nblinker==1.9.0\n    # via flask\n"
    assert hash_counts(text) == {"annotated-doc": 2, "blinker": 0}

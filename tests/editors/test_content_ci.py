"""The CI files for a content repository (docs/content-ci/) run `python -m webapp.content check`, which
needs only flask, pyyaml and pyphen and fails on errors."""

from __future__ import annotations

import os
import subprocess
import sys

import yaml

from ..conftest import ROOT

CI = ROOT / "docs" / "content-ci"
HEAVY = ("sqlalchemy", "sqlmodel", "torch", "numpy", "markdown", "meilisearch", "onnxruntime", "folium")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "webapp.content", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def _commands(value: object) -> list[str]:
    if isinstance(value, dict):
        return [c for v in value.values() for c in _commands(v)]
    if isinstance(value, list):
        return [c for v in value for c in _commands(v)]
    return [value] if isinstance(value, str) else []


def test_both_ci_files_run_the_check_with_the_light_install():
    for name in (".gitlab-ci.yml", "github-workflow.yml"):
        commands = " ".join(_commands(yaml.safe_load((CI / name).read_text(encoding="utf-8"))))
        assert 'python -m webapp.content check --dir "$CONTENT_DIR"' in commands, name
        assert "pip install --quiet" in commands and "flask pyyaml pyphen" in commands, name


def test_the_ci_check_fails_on_an_error_and_loads_nothing_heavy(content_dir, write_entry):
    good = _run("check", "--dir", str(content_dir))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "1 voorzieningen in orde, 0 fouten" in good.stdout
    imported = {line.split("|")[-1].strip().split(".")[0] for line in good.stderr.splitlines() if "|" in line}
    assert "pyphen" in imported and "yaml" in imported
    assert not imported & set(HEAVY), imported & set(HEAVY)
    write_entry(replace={"aanmelden: binnenlopen": "aanmelden: zomaar"})
    bad = _run("check", "--dir", str(content_dir))
    assert bad.returncode == 1
    assert "oss-taalcafe.md:22: aanmelden: 'zomaar' kan niet." in bad.stderr


def test_the_ci_check_says_when_the_folder_is_wrong(tmp_path):
    result = _run("check", "--dir", str(tmp_path))
    assert result.returncode == 2
    assert "heeft geen map voorzieningen/; geef de content-map met --dir." in result.stderr

"""Long commands show a progress bar on a terminal and only their summary line elsewhere."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence

import numpy as np
import pytest
from rich.console import Console

from webapp.commands import progress

from .editors.test_import import GOOD, _csv

BAR_CHARACTERS = ("━", "█", "\r", "\x1b[")


class SmallEmbedder:
    model_id = "small"
    dim = 4

    def __init__(self) -> None:
        self.embedded = 0

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text])[0]

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded += len(texts)
        out = np.array([[len(t), 1.0, t.count("e"), 2.0] for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture
def reports(monkeypatch) -> list[tuple[str, int, int]]:
    """Every progress report a command makes, by step (whether or not a bar is drawn)."""
    seen: list[tuple[str, int, int]] = []
    step = progress.Bar.step

    def spy(self: progress.Bar, label: str) -> progress.Callback:
        report = step(self, label)

        def both(done: int, total: int) -> None:
            seen.append((label, done, total))
            report(done, total)

        return both

    monkeypatch.setattr(progress.Bar, "step", spy)
    monkeypatch.setattr("search.cache.CHUNK", 1)
    return seen


@pytest.fixture
def embedder(monkeypatch) -> SmallEmbedder:
    small = SmallEmbedder()
    monkeypatch.setattr("webapp.searching.SearchService.embedder", property(lambda self: small))
    return small


def test_index_build_off_a_terminal_prints_one_summary_line(runner, embedder, reports):
    result = runner.invoke(args=["index", "build"])
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("Index gebouwd:")
    assert not any(c in result.output for c in BAR_CHARACTERS)
    entries = [r for r in reports if r[0] == "Voorzieningen inbedden"]
    assert entries and entries[-1][1] == entries[-1][2] > 0  # it did report, all the way
    assert embedder.embedded >= entries[-1][2]


def test_content_load_off_a_terminal_draws_no_bar(runner, embedder, reports):
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    assert "Opgeslagen:" in result.output.splitlines()[-1]
    assert not any(c in result.output for c in BAR_CHARACTERS)
    files = [r for r in reports if r[0] == "Bestanden lezen"]
    assert files and files[-1][1] == files[-1][2] > 0
    assert any(r[0] == "Voorzieningen inbedden" for r in reports)


def test_on_a_terminal_each_step_shows_its_counts():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with progress.shown(console) as bar:
        step = bar.step("Voorzieningen inbedden")
        for done in range(4):
            step(done, 3)
    text = out.getvalue()
    assert "Voorzieningen inbedden" in text and "3/3" in text and "━" in text


def test_content_import_off_a_terminal_prints_its_summary_only(runner, content_dir, tmp_path, reports):
    rows = [GOOD | {"titel": f"Wandelen in groep {i}"} for i in range(3)]
    path = tmp_path / "import.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    result = runner.invoke(args=["content", "import", "--csv", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "3 rijen gelezen, 3 bestanden geschreven.\n"
        "Controleer ze en zet ze op de site met: flask content publish\n"
    )
    assert [r for r in reports if r[1] == r[2]] == [
        ("Rijen controleren", 3, 3),
        ("Bestanden schrijven", 3, 3),
    ]
    dry = runner.invoke(args=["content", "import", "--csv", str(path), "--dry-run", "--replace"])
    assert dry.exit_code == 0, dry.output
    assert dry.output == "3 rijen gelezen, alle rijen in orde. Niets geschreven (--dry-run).\n"


def test_hsds_import_off_a_terminal_draws_no_bar(runner, content_dir, tmp_path, reports):
    services = [{"id": f"s{i}", "name": f"Koffie in Berghem {i}"} for i in range(2)]
    path = tmp_path / "services.json"
    path.write_text(json.dumps(services), encoding="utf-8")
    result = runner.invoke(args=["content", "import", "--hsds", str(path), "--gemeente", "oss"])
    assert result.exit_code == 1  # no category: an error, reported as before
    assert "2 services gelezen, 2 services met fouten. Er is niets geschreven." in result.output
    assert not any(c in result.output for c in BAR_CHARACTERS)
    assert ("Services controleren", 2, 2) in reports
    assert not any(r[0] == "Bestanden schrijven" for r in reports)

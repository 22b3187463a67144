"""bench/redteam.py: bounded, a marker wherever a question could be, detectors that see what they look for,
and a run on a real gunicorn (keyword search) that finds nothing."""

from __future__ import annotations

import itertools
import re

import pytest

from bench import redteam
from bench.redteam import MARKER, PAGES, PATH_TRICKS, Reply, cases, findings


def all_cases() -> list[bytes]:
    return list(cases(b"zq%04d" % n for n in itertools.count(1)))


def test_bounded_and_every_request_carries_a_marker() -> None:
    requests = all_cases()
    assert 250 <= len(requests) <= 400
    assert all(MARKER.search(raw) for raw in requests), [r[:60] for r in requests if not MARKER.search(r)]
    # every endpoint and path trick is among them
    targets = {raw.split(b" ", 2)[1].split(b"?")[0] for raw in requests if b" " in raw}
    assert {p.encode() for p in PAGES} <= targets
    assert {t.split(b"?")[0] for t in PATH_TRICKS} <= targets


def test_no_marker_in_a_path() -> None:
    """Paths are logged on purpose: a marker there would be a false leak."""
    for raw in all_cases():
        line = raw.split(b"\n", 1)[0]
        target = re.split(rb"\s", line)[1] if re.match(rb"[A-Z]+ ", line) else b""
        assert not MARKER.search(target.split(b"?")[0]), line


def test_the_detectors_find_what_they_look_for() -> None:
    requests = [b"GET /a", b"GET /b", b"GET /c", b"GET /d"]
    replies = [
        Reply(500, b""),
        Reply(-1, b""),
        Reply(200, b"Traceback (most recent call last):"),
        Reply(200, b"<p><b>zq0042</b></p>"),
    ]
    lines = [b'"GET /vraag" 200', b"Error handling request GET /api/v1/ask?q=zq0001", b"x\x1b[31m"]
    found = findings(requests, replies, lines)
    assert {kind: len(items) for kind, items in found.items()} == {
        "500s": 1,
        "no full reply within 30 s": 1,
        "log lines with a marker": 1,
        "log lines with a control character": 1,
        "tracebacks in responses": 1,
        "markup reflected unescaped": 1,
    }
    assert not any(findings(requests[:1], [Reply(404, b"&lt;b&gt;zq0042")], lines[:1]).values())


def test_a_run_on_gunicorn_finds_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert redteam.main(["--embedder", "none"]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "500s: 0" in out and "log lines with a marker: 0" in out

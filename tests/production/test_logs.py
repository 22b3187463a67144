"""No question, client address or control character in any log line: the filter itself, and a real gunicorn
(gunicorn.conf.py) fed malformed requests over a raw socket and a worker timeout, its log files grepped."""

from __future__ import annotations

import logging
import re
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.servers import demo_env, gunicorn
from webapp.logs import CONTROL, PrivateLog, scrub

# Stands for a resident's question; it must never reach a log file.
MARKER = "paarsebrievenbus"
QUESTION = f"waar+vind+ik+de+{MARKER}"


def read_lines(logs: Path) -> list[str]:
    return [
        line for path in sorted(logs.glob("*.log")) for line in path.read_text(errors="replace").splitlines()
    ]


def wait_until_logged(logs: Path, text: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not any(text in line for line in read_lines(logs)):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{text!r} never logged:\n" + "\n".join(read_lines(logs)[-30:]))
        time.sleep(0.1)


def send_raw(port: int, raw: bytes) -> bytes:
    """One request exactly as given (no client library tidies it up); returns the status line."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(raw)
        data = b""
        while b"\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.split(b"\r\n", 1)[0]


def request(line: str | bytes, *headers: bytes) -> bytes:
    line = line.encode("latin-1") if isinstance(line, str) else line
    return line + b"\r\nHost: localhost\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n"


# ------------------------------------------------------------------ the filter


def record(msg: str, *args: object, exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError(f"cannot read /api/v1/ask?q={MARKER}\nforged line")
        except ValueError:
            exc_info = sys.exc_info()
    return logging.LogRecord("gunicorn.error", logging.ERROR, __file__, 1, msg, args or None, exc_info)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (f"Error handling request GET /api/v1/ask?q={MARKER}", "Error handling request GET /api/v1/ask"),
        (
            f"Invalid request from ip=203.0.113.7: Invalid HTTP Version: 'de {MARKER} HTTP/1.1'",
            "Invalid request: Invalid HTTP Version",
        ),
        (
            f'192.0.2.44 - - [02/Dec/2026 10:00:00] "GET /vraag?q=ik heb {MARKER}&lang=en HTTP/1.1" 200 -',
            '- - - [02/Dec/2026 10:00:00] "GET /vraag HTTP/1.1" 200 -',
        ),
        ('"GET /a\nforged line" 200 2 1ms', '"GET /a\\x0aforged line" 200 2 1ms'),
        ("from 2001:db8::7 and 203.0.113.9, not 127.0.0.1", "from - and -, not 127.0.0.1"),
        (
            "Listening at: http://0.0.0.0:8000 (1) at 14:24:53",
            "Listening at: http://0.0.0.0:8000 (1) at 14:24:53",
        ),
    ],
)
def test_scrub(message: str, expected: str) -> None:
    assert scrub(message) == expected


def test_the_filter_scrubs_the_arguments_and_the_traceback() -> None:
    rec = record("Error handling request %s %s", "GET", f"/api/v1/ask?q={MARKER}", exc=True)
    assert PrivateLog().filter(rec)
    text = logging.Formatter().format(rec)
    assert MARKER not in text
    assert text.startswith("Error handling request GET /api/v1/ask\nTraceback")
    assert "\nforged line" not in text and "ValueError: cannot read /api/v1/ask" in text


def test_the_app_filters_werkzeug_and_the_root_handlers(demo_app) -> None:
    assert any(isinstance(f, PrivateLog) for f in logging.getLogger("werkzeug").filters)
    handlers = logging.getLogger().handlers
    assert handlers and all(any(isinstance(f, PrivateLog) for f in h.filters) for h in handlers)


# ------------------------------------------------------------------ a real gunicorn


def assert_private(lines: list[str]) -> None:
    assert lines, "nothing was logged"
    leaks = [line for line in lines if MARKER in line.lower() or "ip=127" in line]
    assert not leaks, leaks
    controls = [line for line in lines if CONTROL.search(line)]
    assert not controls, controls
    forged = [line for line in lines if line.startswith("FORGED")]
    assert not forged, forged


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    tmp = tmp_path_factory.mktemp("gunicorn")
    with gunicorn(demo_env(tmp), tmp / "logs") as port:
        yield port, tmp / "logs"


MALFORMED = [
    request(f"GET /api/v1/ask?q=waar vind ik de {MARKER} HTTP/1.1"),  # raw spaces: an invalid version
    request(f"GET /vraag?q=de {MARKER} HTTP/1.1"),
    request(f"GET /api/v1/ask?q={MARKER}\x01 HTTP/1.1"),  # a control character in the request line
    request(f"GET /api/v1/ask?q={QUESTION} HTTP/1.1", b"Bad Header: x"),  # an invalid header name
    request(f"GET /api/v1/ask?q={QUESTION} HTTP/1.1", b"X-Long: " + b"a" * 9000),  # a header too large
    request(f"GET /api/v1/ask?q={QUESTION}{'+nog' * 2100} HTTP/1.1"),  # a request line too long
    request(f"GET /x%0AFORGED%20line?q={QUESTION} HTTP/1.1"),  # %0A in a path: a second access-log line?
    request(f"GET /vraag%0D%0AFORGED?q={QUESTION} HTTP/1.1"),
    request(f"GET /vraag?q={QUESTION}%0AFORGED HTTP/1.1"),
    request(f"FOO /api/v1/ask?q={QUESTION} HTTP/1.1"),
    request(f"GET /api/v1/ask?q={QUESTION} HTTP/9.9"),
    request(f"GET http://evil.example.com/api/v1/ask?q={QUESTION} HTTP/1.1"),
]


def test_malformed_requests_leave_no_question_in_gunicorn_logs(served) -> None:
    port, logs = served
    statuses = [send_raw(port, raw) for raw in MALFORMED]
    assert all(s.startswith(b"HTTP/1.1 ") for s in statuses), statuses
    assert not [s for s in statuses if s.startswith(b"HTTP/1.1 5")], statuses
    # ordinary requests too: the question answered, asked as a form post, in a 404
    good = [
        request(f"GET /api/v1/ask?q={QUESTION} HTTP/1.1"),
        request(f"GET /vraag?q={QUESTION}&gemeente=oss HTTP/1.1"),
        request(f"GET /bestaat-niet?q={QUESTION} HTTP/1.1"),
        request("GET /healthz HTTP/1.1"),
    ]
    assert [send_raw(port, raw)[:12] for raw in good] == [
        b"HTTP/1.1 200",
        b"HTTP/1.1 200",
        b"HTTP/1.1 404",
    ] + [b"HTTP/1.1 200"]
    wait_until_logged(logs, '"GET /healthz" 200')
    lines = read_lines(logs)
    assert_private(lines)
    # the log still says what happened, without the question
    assert any("Invalid request: Invalid HTTP Version" in line for line in lines), lines
    assert any('"GET /api/v1/ask" 200' in line for line in lines), lines
    assert any('"GET /x\\x0aFORGED line"' in line for line in lines), lines


STAMP = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\] \[(INFO|WARNING|ERROR|access)\] ")


def test_every_log_line_has_the_same_timestamp_as_gunicorns(served) -> None:
    port, logs = served
    assert send_raw(port, request("GET /healthz HTTP/1.1")).startswith(b"HTTP/1.1 200")
    wait_until_logged(logs, '"GET /healthz" 200')
    access = (logs / "access.log").read_text().splitlines()
    assert access and [line for line in access if not STAMP.match(line)] == []
    errors = (logs / "error.log").read_text().splitlines()
    booting = [line for line in errors if "Booting worker" in line]
    app_lines = [line for line in errors if re.search(r"\] (webapp|search)\.[\w.]+: ", line)]
    assert booting and app_lines  # gunicorn's own lines and the app's, in one file
    assert [line for line in booting + app_lines if not STAMP.match(line)] == []
    assert not [line for line in errors if re.match(r"^(INFO|WARNING|ERROR) (webapp|search)\.", line)]


SLOW_APP = """
import time


def app(environ, start_response):
    if environ["PATH_INFO"].startswith("/api/"):
        time.sleep(60)  # longer than the worker timeout
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"late"]
"""


def test_a_worker_timeout_logs_the_path_without_the_question(tmp_path: Path) -> None:
    """gunicorn logs "Error handling request GET <uri>" when it aborts a worker that took too long."""
    (tmp_path / "slowapp.py").write_text(SLOW_APP)
    env = demo_env(tmp_path, EMBEDDER="none")
    env["GUNICORN_TIMEOUT"] = "2"
    logs = tmp_path / "logs"
    with gunicorn(env, logs, app="slowapp:app", args=("--pythonpath", str(tmp_path))) as port:
        status = send_raw(port, request(f"GET /api/v1/ask?q={QUESTION} HTTP/1.1"))
        assert status.startswith(b"HTTP/1.1 500")
        wait_until_logged(logs, "Error handling request")
    lines = read_lines(logs)
    assert_private(lines)
    assert any(re.search(r"WORKER TIMEOUT", line) for line in lines)
    assert any(line.endswith("Error handling request GET /api/v1/ask") for line in lines), lines

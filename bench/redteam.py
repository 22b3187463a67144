"""Red team, bounded: about 300 bad requests against a real gunicorn (gunicorn.conf.py, log files), then the
counts that must be zero.

    python -m bench.redteam [--edge] [--embedder onnx|none] [--keep-logs DIR]

Every endpoint gets long values, control characters, bad percent-encodings and raw non-UTF-8 bytes, markup
and template syntax, wrong methods, huge and too many headers, malformed request lines (sent byte for byte
over a socket) and path tricks (/%5Cevil.example.com, //host, ../). Each request carries a unique marker
(`zq` + 4 digits) where a resident's question would be (the query string, a form body, a header); paths
carry none (paths are logged on purpose). It reports:

- 500s: responses with 500 (or 502/503/504 from the edge; its 501 and 505 refuse a transfer coding or an
  HTTP version, as they should), and requests without a full reply within 30 s;
- leaks: log lines (gunicorn's access and error logs, the app's log, nginx's with --edge) holding a marker;
- control: log lines with a control character; tracebacks: response bodies with a Python traceback;
- reflected: markup sent with a marker and given back unescaped (`<b>zq1234`).

Exit status 1 when any count is not 0. --edge puts the production nginx edge (deploy/nginx) in front.
"""

from __future__ import annotations

import argparse
import itertools
import re
import socket
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from bench.servers import MODEL_DIR, ROOT, ROUTER_DIR, VECTOR_CACHE_DIR, demo_env, gunicorn, nginx_edge

Mark = Callable[[bytes], bytes]  # puts the next marker where a value says {m}
MARKER = re.compile(rb"zq\d{4}", re.IGNORECASE)
CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
PAGES = [
    "/",
    "/vraag",
    "/categorie/ontmoeten",
    "/voorziening/berghem-dorpshuis",
    "/kaart",
    "/kaart/kaart.js",
    "/hulpkaart",
    "/nood",
    "/wijkteam",
    "/wijkteam/oss",
    "/toegankelijkheid",
    "/privacy",
    "/tuintips",
    "/api/v1/ask",
    "/api/v1/services",
    "/api/v1/openapi.json",
    "/healthz",
    "/readyz",
    "/static/js/site.js",
]
PARAMS = ["q", "gemeente", "lang", "kern", "categorie", "page", "per_page", "modified_after", "focus", "slug"]
# Values by kind; "{m}" becomes the request's marker. Bytes, so that anything can be sent as is.
VALUES: list[bytes] = [
    b"{m}" + b"+lang" * 1200,  # long: about 6,000 characters
    b"{m}" + b"a" * 8300,  # over the app's 8,000-byte query limit and gunicorn's request line
    b"{m}%00nul",
    b"{m}%0D%0AX-Injected:+1",
    b"{m}%1B%5B31mred",
    b"{m}%E2%80%AEdesrever",  # right-to-left override
    b"{m}%ED%A0%80",  # a UTF-16 surrogate in UTF-8: invalid
    b"{m}%C0%AF",  # overlong encoding of "/"
    b"{m}%FF%FE",
    b"{m}%zz%",
    b"{m}\xff\xfe",  # raw bytes that are no UTF-8
    b"%3Cb%3E{m}%3C%2Fb%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    b"{m}%7B%7B7*7%7D%7D%7B%25+debug+%25%7D",
    b"{m}'+OR+1=1--",
    b"{m}..%2F..%2Fetc%2Fpasswd",
    b"-1{m}",
    b"1e309{m}",
    b"99999999999999999999999",
    b"NaN",
    b"",
]
METHODS = [b"PUT", b"DELETE", b"PATCH", b"OPTIONS", b"TRACE", b"FOO", b"CONNECT"]
PATH_TRICKS = [
    b"/%5Cevil.example.com",
    b"//evil.example.com",
    b"/%2F%2Fevil.example.com",
    b"/%5C%5Cevil.example.com/",
    b"/..%2F..%2Fetc%2Fpasswd",
    b"/static/../webapp/settings.py",
    b"/static/%2e%2e/%2e%2e/etc/passwd",
    b"/static/..%5C..%5Cetc%5Cpasswd",
    b"/voorziening/..%2F..%2Fsettings",
    b"/voorziening/%00",
    b"/categorie/%3Cscript%3E",
    b"/wijkteam/%E2%80%AE",
    b"/api/v1/ask/",
    b"/API/V1/ASK",
    b"/api/v1/ask;jsessionid=1",
    b"/vraag/..",
    b"/%ff%fe",
    b"/\xff",
    b"/kaart?focus=../../etc/passwd",
    b"/%",
]


@dataclass
class Reply:
    status: int
    body: bytes


def send(port: int, raw: bytes, source: str = "127.0.0.1") -> Reply:
    """One request byte for byte from the address `source`; the whole reply (Connection: close)."""
    data = b""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(source, 0)) as conn:
            conn.sendall(raw)
            while chunk := conn.recv(65536):
                data += chunk
    except (ConnectionResetError, BrokenPipeError):
        pass  # a server may close on a request it refuses; what it sent before counts
    except TimeoutError:
        return Reply(-1, data)  # no end of the reply within 30 s: counted as hanging
    match = re.match(rb"HTTP/\d\.\d (\d{3})", data)
    return Reply(int(match.group(1)) if match else 0, data)


def request(
    method: bytes,
    target: bytes,
    headers: list[bytes] | None = None,
    body: bytes = b"",
    content_type: bytes = b"application/x-www-form-urlencoded",
) -> bytes:
    lines = [method + b" " + target + b" HTTP/1.1", b"Host: localhost", b"Connection: close"]
    lines += headers or []
    if body:
        lines += [b"Content-Type: " + content_type, b"Content-Length: %d" % len(body)]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def cases(markers: Iterator[bytes]) -> Iterator[bytes]:
    """The bad requests, each with its own marker."""

    def m(value: bytes) -> bytes:
        """The value with the next marker; a value without a place for it gets it in another parameter."""
        return value.replace(b"{m}", next(markers)) if b"{m}" in value else value + b"&note=" + next(markers)

    for value in VALUES:  # every value in the question, on both question routes
        yield request(b"GET", b"/api/v1/ask?q=" + m(value))
        yield request(b"GET", b"/vraag?q=" + m(value) + b"&gemeente=oss")
        yield request(b"POST", b"/vraag", body=b"q=" + m(value) + b"&gemeente=oss")
    for page, name, value in zip(
        itertools.cycle(PAGES), itertools.cycle(PARAMS), VALUES * 4, strict=False
    ):  # every page and parameter
        yield request(b"GET", page.encode() + b"?" + name.encode() + b"=" + m(value))
    for page in PAGES:  # repeated parameters, too many of them
        yield request(b"GET", page.encode() + b"?" + b"&".join(b"q=" + m(b"{m}") for _ in range(40)))
    for page, method in zip(PAGES * 3, itertools.cycle(METHODS), strict=False):  # wrong methods
        yield request(method, page.encode() + b"?q=" + m(b"{m}"), body=b"q=" + m(b"{m}"))
    for trick in PATH_TRICKS:
        yield request(b"GET", trick + (b"&" if b"?" in trick else b"?") + b"q=" + m(b"{m}"))
    yield from headers(m)
    yield from malformed(m)
    yield from bodies(m)


def headers(mark: Mark) -> Iterator[bytes]:
    for page in ("/api/v1/ask?q=", "/vraag?q=", "/?q="):
        target = page.encode() + mark(b"{m}")
        yield request(b"GET", target, [b"X-Big: " + mark(b"{m}") + b"a" * 7000])
        yield request(
            b"GET", target, [b"X-Big-%d: %s" % (i, mark(b"{m}")) for i in range(10)] + [b"Y: " + b"b" * 8000]
        )
        yield request(b"GET", target, [b"X-Many-%d: %s" % (i, mark(b"{m}")) for i in range(70)])
        yield request(b"GET", target, [b"Referer: https://evil.example.com/?q=" + mark(b"{m}")])
        yield request(b"GET", target, [b"User-Agent: " + mark(b"{m}") + b"\x01\x7f"])
        yield request(b"GET", target, [b"X-Forwarded-For: 203.0.113.9, " + mark(b"{m}")])
        yield request(b"GET", target, [b"X-Forwarded-Host: evil.example.com"])
        yield request(b"GET", target, [b"Host: evil.example.com"])
        yield request(b"GET", target, [b"Cookie: session=" + mark(b"{m}")])
        yield request(b"GET", target, [b"Accept-Language: " + mark(b"{m}") + b";q=abc"])
        yield request(b"GET", target, [b"X-Latin: " + mark(b"{m}") + "é€".encode()])
        yield request(b"GET", target, [b"Transfer-Encoding: chunked, identity"])
        yield request(b"GET", target, [b"Content-Length: -1"])
        yield request(b"GET", target, [b"Content-Length: 5", b"Content-Length: 6"], body=b"q=" + mark(b"{m}"))


def malformed(mark: Mark) -> Iterator[bytes]:
    for raw in _malformed(mark):  # closed after the reply (an HTTP/1.1 server keeps a connection open)
        yield raw.replace(b"Host: x\r\n", b"Host: x\r\nConnection: close\r\n").replace(
            b"Host: x\n", b"Host: x\nConnection: close\n"
        )


def _malformed(mark: Mark) -> Iterator[bytes]:
    for page in (b"/api/v1/ask", b"/vraag"):
        yield page.join((b"GET ", b"?q=waar is " + mark(b"{m}") + b" HTTP/1.1\r\nHost: x\r\n\r\n"))
        yield page.join((b"GET ", b"?q=" + mark(b"{m}") + b"\r\n\r\n"))  # no version
        yield page.join((b"GET ", b"?q=" + mark(b"{m}") + b" HTTP/9.9\r\nHost: x\r\n\r\n"))
        yield page.join((b"GET ", b"?q=" + mark(b"{m}") + b" HTTP/1.1\nHost: x\n\n"))  # bare LF
        yield page.join((b"GET ", b"?q=" + mark(b"{m}") + b"\x00 HTTP/1.1\r\nHost: x\r\n\r\n"))
        yield page.join(
            (b"GET http://evil.example.com", b"?q=" + mark(b"{m}") + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        )
        yield page.join(
            (b"GET ", b"%0A127.0.0.9 - - forged?q=" + mark(b"{m}") + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        )
        yield page.join((b"GET ", b"?q=" + mark(b"{m}") + b" HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n"))
        yield page.join((b"GET ", b"?q=" + mark(b"{m}") + b" HTTP/1.1\r\nHost: x\r\n folded: y\r\n\r\n"))
        yield page.join((b"\x16\x03\x01 ", b"?q=" + mark(b"{m}") + b" HTTP/1.1\r\n\r\n"))  # TLS to plain HTTP


def bodies(mark: Mark) -> Iterator[bytes]:
    big = b"q=" + mark(b"{m}") + b"a" * 70_000
    yield request(b"POST", b"/vraag", body=big)
    yield request(b"POST", b"/api/v1/ask", body=big)
    for body in (b'{"q": "' + mark(b"{m}") + b'"', b"[" * 5000, b'{"q": ' + b"9" * 5000 + b"}"):
        for target in (b"/vraag?note=", b"/api/v1/ask?note="):
            yield request(b"POST", target + mark(b"{m}"), body=body, content_type=b"application/json")
    yield request(b"POST", b"/vraag", body=b"q=" + mark(b"{m}") + b"%ZZ&gemeente=%FF")
    yield request(b"POST", b"/vraag", body=b"&".join(b"q%d=" % i + mark(b"{m}") for i in range(500)))
    yield request(
        b"POST", b"/vraag", body=b"--x\r\n" + mark(b"{m}"), content_type=b"multipart/form-data; boundary=x"
    )


def log_lines(logs: Path) -> list[bytes]:
    return [line for path in sorted(logs.glob("*.log")) for line in path.read_bytes().splitlines()]


def app_env(tmp: Path, embedder: str) -> dict[str, str]:
    env = demo_env(tmp, EMBEDDER=embedder)
    if embedder == "onnx":  # as `make run` serves: the built model and triage router
        env.update(
            DICHTBIJ_MODEL_DIR=str(MODEL_DIR),
            DICHTBIJ_ROUTER_DIR=str(ROUTER_DIR),
            DICHTBIJ_VECTOR_CACHE_DIR=str(VECTOR_CACHE_DIR),
        )
    return env


def run(
    requests: list[bytes], edge: bool, embedder: str, keep_logs: Path | None
) -> tuple[list[Reply], list[bytes]]:
    """Send the requests to a fresh gunicorn (behind the edge with `edge`); the replies and every log line."""
    with tempfile.TemporaryDirectory(prefix="dichtbij-redteam-") as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        logs = tmp / "logs"
        env = app_env(tmp, embedder)
        if edge:
            env["DICHTBIJ_PROXY_COUNT"] = "1"
        # stored once before the workers start (as in production), so they do not race to store it
        reload = [sys.executable, "-m", "flask", "content", "reload"]
        subprocess.run(reload, cwd=ROOT, env=env, check=True, capture_output=True)
        env["DICHTBIJ_LOAD_ON_START"] = "false"
        port = stack.enter_context(gunicorn(env, logs, workers=2))
        if edge:
            port = stack.enter_context(nginx_edge(port, tmp / "nginx", logs))
        # through the edge each request comes from its own 127.x address: its rate limit lets them all in
        sources = [
            f"127.0.{2 + n // 250}.{1 + n % 250}" if edge else "127.0.0.1" for n in range(len(requests))
        ]
        replies = [send(port, raw, source) for raw, source in zip(requests, sources, strict=True)]
        stack.close()  # stop the servers: every log line is written
        if keep_logs:
            keep_logs.mkdir(parents=True, exist_ok=True)
            for path in logs.glob("*.log"):
                (keep_logs / path.name).write_bytes(path.read_bytes())
        return replies, log_lines(logs)


def findings(requests: list[bytes], replies: list[Reply], lines: list[bytes]) -> dict[str, list[bytes]]:
    """What must be empty, by kind; each item the request or log line (shortened)."""
    pairs = list(zip(requests, replies, strict=True))
    return {
        # a server fault; 501 and 505 are the edge refusing a transfer coding or HTTP version, as it should
        "500s": [raw[:80] for raw, r in pairs if r.status in (500, 502, 503, 504)],
        "no full reply within 30 s": [raw[:80] for raw, r in pairs if r.status == -1],
        "log lines with a marker": [line[:160] for line in lines if MARKER.search(line)],
        "log lines with a control character": [line[:160] for line in lines if CONTROL.search(line)],
        "tracebacks in responses": [raw[:80] for raw, r in pairs if b"Traceback (most recent call" in r.body],
        "markup reflected unescaped": [raw[:80] for raw, r in pairs if re.search(rb"<b>zq\d{4}", r.body)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edge", action="store_true", help="send through the production nginx edge")
    parser.add_argument("--embedder", choices=["onnx", "none"], default="onnx")
    parser.add_argument("--keep-logs", type=Path, help="copy the log files here")
    args = parser.parse_args(argv)

    requests = list(cases(b"zq%04d" % n for n in itertools.count(1)))
    replies, lines = run(requests, args.edge, args.embedder, args.keep_logs)
    found = findings(requests, replies, lines)
    statuses = Counter(r.status for r in replies)
    print(f"requests: {len(requests)} ({'edge + ' if args.edge else ''}gunicorn, embedder {args.embedder})")
    print("statuses: " + ", ".join(f"{s if s > 0 else 'none'}: {n}" for s, n in sorted(statuses.items())))
    print(f"log lines: {len(lines)}")
    for kind, items in found.items():
        print(f"{kind}: {len(items)}")
        for item in items[:20]:
            print("   ", item)
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

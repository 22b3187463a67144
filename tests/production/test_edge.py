"""The production edge (deploy/nginx) as a real nginx process on this machine in front of a real gunicorn
with DICHTBIJ_PROXY_COUNT=1: the app's rate limit is the second line behind it. A client's own
X-Forwarded-For does not escape the limit, clients behind the one proxy get their own buckets, the edge
answers its own 429 and 414 with the security headers, links come from PUBLIC_URL whatever the Host header,
and no log file holds the question."""

from __future__ import annotations

import gzip
import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from bench.servers import demo_env, gunicorn, nginx_binary, nginx_edge

PUBLIC = "https://dichtbij.example.nl"
MARKER = "paarsebrievenbus"  # stands for a resident's question
ASK = f"/api/v1/ask?q=waar+is+een+buurthuis+{MARKER}"
APP_LIMIT = 3  # the app's questions per client per minute; the edge allows 30 with a burst of 10


class Reply(NamedTuple):
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    if nginx_binary() is None:
        pytest.skip("nginx is not installed: `bash scripts/system-deps.sh` installs nginx-light")
    tmp = tmp_path_factory.mktemp("edge")
    env = demo_env(
        tmp, PROXY_COUNT="1", RATE_LIMIT_PER_MINUTE=str(APP_LIMIT), PUBLIC_URL=PUBLIC, HSTS_SECONDS="0"
    )
    logs = tmp / "logs"
    with gunicorn(env, logs) as web, nginx_edge(web, tmp / "nginx", logs) as port:  # one worker: one bucket
        yield port, logs


def get(port: int, path: str, client: str, headers: dict[str, str] | None = None) -> Reply:
    """GET through the edge from the address `client` (any 127.x.y.z is this machine)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(client, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        conn.close()


def is_app_429(reply: Reply) -> bool:
    return reply.status == 429 and "Je stelt veel vragen" in reply.json()["error"]


def test_a_spoofed_forwarded_for_does_not_escape_the_limit(edge) -> None:
    port, _ = edge
    replies = [
        get(port, ASK, "127.0.0.2", {"X-Forwarded-For": f"198.51.100.{i}, 203.0.113.{i}"}) for i in range(5)
    ]
    assert [r.status for r in replies[:APP_LIMIT]] == [200] * APP_LIMIT
    assert all(is_app_429(r) for r in replies[APP_LIMIT:]), [r.status for r in replies]
    assert int(replies[-1].headers["retry-after"]) > 0


def test_clients_behind_the_one_proxy_have_their_own_buckets(edge) -> None:
    port, _ = edge
    clients = [f"127.0.0.{n}" for n in range(10, 15)]
    for client in clients:
        assert [get(port, ASK, client).status for _ in range(APP_LIMIT)] == [200] * APP_LIMIT, client
    assert is_app_429(get(port, ASK, clients[0]))


def test_the_edge_answers_its_own_429_with_the_security_headers(edge) -> None:
    port, _ = edge
    replies = [get(port, ASK, "127.0.0.20") for _ in range(20)]  # a burst of 10 over 30 a minute
    edge_429 = [r for r in replies if r.status == 429 and not is_app_429(r)]
    assert edge_429, [r.status for r in replies]
    reply = edge_429[0]
    assert reply.headers["content-type"].startswith("application/json")
    assert "Wacht een minuut" in reply.json()["error"]
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["strict-transport-security"].startswith("max-age=")
    assert reply.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/v1/ask?q=", "/vraag?q="])
def test_the_edge_answers_a_too_long_address_itself(edge, path: str) -> None:
    """A page for /api/ too: nginx refuses the request line before it knows the location."""
    port, _ = edge
    reply = get(port, path + "a" * 9000, "127.0.0.21")
    assert reply.status == 414
    assert reply.headers["content-type"].startswith("text/html")
    assert "Je vraag is te lang" in reply.body.decode()
    assert reply.headers["x-frame-options"] == "DENY"
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert "nginx/" not in reply.headers.get("server", "")


def test_links_come_from_the_public_url_never_the_host_header(edge) -> None:
    port, _ = edge
    reply = get(port, "/voorziening/berghem-dorpshuis", "127.0.0.22", {"Host": "evil.example.com"})
    html = reply.body.decode()
    assert reply.status == 200
    assert f"{PUBLIC}/voorziening/berghem-dorpshuis" in html  # the share link
    assert f'<link rel="canonical" href="{PUBLIC}/voorziening/berghem-dorpshuis">' in html
    assert "evil.example.com" not in html


def test_the_edge_compresses(edge) -> None:
    port, _ = edge
    reply = get(port, "/kaart", "127.0.0.23", {"Accept-Encoding": "gzip"})
    assert reply.status == 200 and reply.headers["content-encoding"] == "gzip"
    assert b"<!doctype html>" in gzip.decompress(reply.body)


def test_no_log_file_holds_the_question(edge) -> None:
    port, logs = edge
    get(port, ASK, "127.0.0.24")
    get(port, f"/vraag?q={MARKER}%0Aforged", "127.0.0.24")
    names = {p.name for p in logs.glob("*.log")}
    assert {"access.log", "error.log", "nginx-access.log"} <= names
    text = "\n".join(p.read_text(errors="replace") for p in logs.glob("*.log"))
    assert '"GET /api/v1/ask"' in text  # both access logs have lines
    assert MARKER not in text

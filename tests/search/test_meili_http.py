"""search/meili_http.py: one kept-alive connection per thread, reopened when the server closed it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from meilisearch.errors import MeilisearchApiError

from search.meili_http import KeepAlive


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    connections: set[int] = set()
    close_after_reply = False

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        Handler.connections.add(id(self.connection))
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if body.get("fail"):
            status, reply = 400, {"message": "bad filter", "code": "invalid_search_filter"}
        else:
            status, reply = 200, {"echo": body, "auth": self.headers.get("Authorization")}
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        if Handler.close_after_reply:
            self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Handler.connections = set()
    Handler.close_after_reply = False
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_reuses_one_connection_and_sends_the_key(server: str) -> None:
    client = KeepAlive(server, "secret", timeout=2.0)
    for i in range(5):
        reply = client.post("/multi-search", {"queries": [i]})
        assert reply == {"echo": {"queries": [i]}, "auth": "Bearer secret"}
    assert len(Handler.connections) == 1


def test_reopens_a_connection_the_server_closed(server: str) -> None:
    Handler.close_after_reply = True
    client = KeepAlive(server, None, timeout=2.0)
    assert client.post("/x", {"a": 1})["auth"] is None
    assert client.post("/x", {"a": 2})["echo"] == {"a": 2}  # the old connection is gone: a fresh one


def test_api_errors_keep_meilisearchs_code(server: str) -> None:
    client = KeepAlive(server, "k", timeout=2.0)
    with pytest.raises(MeilisearchApiError) as err:
        client.post("/multi-search", {"fail": True})
    assert err.value.code == "invalid_search_filter" and err.value.status_code == 400
    assert client.post("/multi-search", {"ok": 1})["echo"] == {"ok": 1}  # and the connection still works


def test_nothing_listening_is_an_oserror() -> None:
    client = KeepAlive("http://127.0.0.1:9", None, timeout=0.5)
    with pytest.raises(OSError):
        client.post("/multi-search", {})

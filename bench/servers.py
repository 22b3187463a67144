"""Servers for the bench scripts: the app on a free local port, and a local Meilisearch."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
MEILI_SCRIPT = ROOT / "scripts" / "meilisearch.sh"
# ../shared/eval next to the checkout; from a git worktree (/work/wt/<name>) the first one found upwards.
SHARED_EVAL = next(
    (p / "shared" / "eval" for p in ROOT.parents if (p / "shared" / "eval").is_dir()),
    ROOT.parent / "shared" / "eval",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(
    url: str, seconds: float = 60.0, proc: subprocess.Popen[bytes] | None = None, log: Path | None = None
) -> None:
    """Wait until url answers; fail at once (with the server's log) if proc exits first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            tail = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"server for {url} exited with {proc.returncode}: {tail}") from None
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer within {seconds} s: {tail}") from None
            time.sleep(0.1)


def meili_command(binary: str, port: int, key: str, data: Path) -> list[str]:
    """How every test and bench starts Meilisearch: loopback only, a master key, bounded indexing memory."""
    return [
        str(binary),
        "--http-addr",
        f"127.0.0.1:{port}",
        f"--master-key={key}",  # one argument: a key that starts with "-" would be read as an option
        "--db-path",
        str(data / "db"),
        "--dump-dir",
        str(data / "dumps"),
        "--max-indexing-memory",
        "256MiB",
        "--no-analytics",
        "--env",
        "development",
    ]


def stop(proc: subprocess.Popen[Any], timeout: float = 10) -> None:
    """Ask a child process to stop; kill it when it has not stopped after `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


@contextlib.contextmanager
def meilisearch() -> Iterator[tuple[str, str]]:
    """Start a throwaway Meilisearch on 127.0.0.1; yields (url, master key); stops it afterwards."""
    with meilisearch_process() as (url, key, _):
        yield url, key


@contextlib.contextmanager
def meilisearch_process() -> Iterator[tuple[str, str, int]]:
    """meilisearch(), also yielding the server's process id (bench.meili_queries reads its CPU time)."""
    binary = subprocess.run(
        ["bash", str(MEILI_SCRIPT)], check=True, capture_output=True, text=True
    ).stdout.strip()
    key = secrets.token_urlsafe(24)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="dichtbij-meili-") as data:
        proc = subprocess.Popen(
            meili_command(binary, port, key, Path(data)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{url}/health")
            yield url, key, proc.pid
        finally:
            stop(proc)


@contextlib.contextmanager
def serve(config: dict[str, Any]) -> Iterator[str]:
    """Run the app (create_app(config)) in a thread on a free port; yields its base URL."""
    from webapp import create_app

    app = create_app(config)
    with app.app_context():
        from webapp.searching import search_service

        search_service().matcher()  # build before the clock starts
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()


MODEL_DIR = ROOT / "instance" / "models" / "e5-small-onnx"
ROUTER_DIR = ROOT / "instance" / "models" / "triage"
VECTOR_CACHE_DIR = ROOT / "instance" / "vectors"


def ensure_model() -> Path:
    """The default question-matcher model and the triage router, built once (no-ops when current)."""
    from search.embedder import load_embedder
    from search.model.build import build
    from search.triage import train

    folder = build(MODEL_DIR)[0]
    train.build(ROUTER_DIR, load_embedder(f"onnx:{folder}"), VECTOR_CACHE_DIR)
    return folder


def app_config(tmp: str, backend: str = "embedded", **extra: Any) -> dict[str, Any]:
    """The app as `make run` serves it; the ONNX model is built first when missing."""
    ensure_model()
    return {
        "MODEL_DIR": str(MODEL_DIR),
        "ROUTER_DIR": str(ROUTER_DIR),
        "CONTENT_DIR": str(ROOT / "content"),
        "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
        "INDEX_DIR": f"{tmp}/index",
        "VECTOR_CACHE_DIR": str(VECTOR_CACHE_DIR),
        "SEARCH_BACKEND": backend,
        "RATE_LIMIT_PER_MINUTE": 0,
        **extra,
    }


def demo_env(tmp: Path, **settings: str) -> dict[str, str]:
    """The environment of a gunicorn on the demo content: keyword search, no router, no tiles, no rate limit,
    storage and index in tmp. `settings` are DICHTBIJ_ settings without the prefix (DATABASE_URL as is)."""
    env = {
        **os.environ,
        "FLASK_APP": "webapp",
        "DICHTBIJ_CONTENT_DIR": str(ROOT / "content"),
        "DATABASE_URL": f"sqlite:///{tmp}/dichtbij.db",
        "DICHTBIJ_INDEX_DIR": str(tmp / "index"),
        "DICHTBIJ_VECTOR_CACHE_DIR": str(tmp / "vectors"),
        "DICHTBIJ_ROUTER_DIR": str(tmp / "no-router"),
        "DICHTBIJ_EMBEDDER": "none",
        "DICHTBIJ_TILE_URL": "",
        "DICHTBIJ_RATE_LIMIT_PER_MINUTE": "0",
        "DICHTBIJ_CONTENT_POLL_SECONDS": "0",
        "HF_HUB_OFFLINE": "1",
    }
    env.update({k if k == "DATABASE_URL" else f"DICHTBIJ_{k}": v for k, v in settings.items()})
    return env


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], logs: Path, app: str = "wsgi:app", workers: int = 1, args: tuple[str, ...] = ()
) -> Iterator[int]:
    """gunicorn as production runs it (gunicorn.conf.py) on a free local port; yields the port. Its access
    log goes to logs/access.log, its error log and everything else on stderr to logs/error.log."""
    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_ACCESS_LOG": str(logs / "access.log"),
        "GUNICORN_ERROR_LOG": str(logs / "error.log"),
    }
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), *args, app]
    with (logs / "error.log").open("ab") as stderr:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=stderr, stderr=stderr)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", seconds=300, proc=proc, log=logs / "error.log")
        yield port
    finally:
        stop(proc, timeout=30)


NGINX_CONF = """
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {logs}/nginx-error.log warn;
{user}
events {{ worker_connections 256; }}
http {{
    types {{ text/html html; application/json json; text/css css; application/javascript js;
            image/svg+xml svg; image/png png; }}
    default_type application/octet-stream;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include dichtbij/http.conf;
    access_log {logs}/nginx-access.log dichtbij;
    upstream dichtbij_web {{ server 127.0.0.1:{upstream}; keepalive 4; }}
    server {{
        listen 127.0.0.1:{port};
        server_name _;
        set $dichtbij_errors {errors};
        include dichtbij/edge.conf;
    }}
}}
"""


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    return found or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@contextlib.contextmanager
def nginx_edge(upstream: int, tmp: Path, logs: Path) -> Iterator[int]:
    """The production edge (deploy/nginx/dichtbij/*.conf, plain HTTP on 127.0.0.1) in front of a server on
    port `upstream`; yields the edge's port. Its logs go to logs/nginx-*.log."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("nginx is not installed (Debian: apt-get install nginx-light)")
    port = free_port()
    conf = tmp / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    (conf / "dichtbij").unlink(missing_ok=True)
    (conf / "dichtbij").symlink_to(ROOT / "deploy" / "nginx" / "dichtbij")
    user = "user root root;" if os.geteuid() == 0 else ""  # workers must read the temp folders made here
    errors = ROOT / "deploy" / "nginx" / "errors"
    text = NGINX_CONF.format(tmp=tmp, logs=logs, user=user, upstream=upstream, port=port, errors=errors)
    (conf / "nginx.conf").write_text(text)
    with (logs / "nginx-error.log").open("ab") as stderr:
        proc = subprocess.Popen(
            [binary, "-p", str(tmp), "-c", str(conf / "nginx.conf"), "-e", str(logs / "nginx-error.log")],
            stdout=stderr,
            stderr=stderr,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", seconds=30, proc=proc, log=logs / "nginx-error.log")
        yield port
    finally:
        stop(proc)

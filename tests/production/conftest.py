"""Fixtures for the production tests: apps on the real demo content, a real PostgreSQL and Meilisearch."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from webapp import create_app

from ..conftest import ROOT, demo_config

ON_CI = os.environ.get("CI", "").lower() == "true"


def base_config(tmp: Path, **extra: Any) -> dict[str, Any]:
    return demo_config(tmp, **{"RATE_LIMIT_PER_MINUTE": 0, "CONTENT_POLL_SECONDS": 0, **extra})


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., Flask]:
    def make(**extra: Any) -> Flask:
        return create_app(base_config(tmp_path, **extra))

    return make


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """One app on the demo content, shared by a module (keyword search, no rate limit)."""
    app = create_app(base_config(tmp_path_factory.mktemp("demo")))
    with app.app_context():
        from webapp.searching import search_service

        search_service().matcher()
    return app


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server from scripts/postgres.sh for the session. On CI it must start (no skip)."""
    if not ON_CI and shutil.which("apt-get") is None and not list(Path("/usr/lib/postgresql").glob("*/bin")):
        pytest.skip("no PostgreSQL and no apt-get to install it")
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "postgres.sh")], capture_output=True, text=True, timeout=600
    )
    if proc.returncode != 0:
        if ON_CI:
            raise RuntimeError(f"scripts/postgres.sh failed:\n{proc.stderr}")
        pytest.skip(f"PostgreSQL could not start: {proc.stderr[-300:]}")
    match = re.search(r"data: (\S+)", proc.stderr)
    assert match, proc.stderr
    try:
        yield proc.stdout.strip()
    finally:
        subprocess.run(
            ["bash", str(ROOT / "scripts" / "postgres.sh"), "stop", match.group(1)], capture_output=True
        )


class MeiliProcess:
    """A real Meilisearch we can kill and start again on the same port (the fault tests need the handle)."""

    def __init__(self, binary: str, tmp: Path) -> None:
        import secrets

        from bench.servers import free_port

        self.binary = binary
        self.tmp = tmp
        self.key = secrets.token_urlsafe(24)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.runs = 0

    def start(self, fresh: bool = False) -> None:
        from bench.servers import meili_command, wait_for

        self.runs += 1
        data = self.tmp / (f"data{self.runs}" if fresh else "data")
        data.mkdir(parents=True, exist_ok=True)
        log = self.tmp / f"meili{self.runs}.log"
        self.proc = subprocess.Popen(
            meili_command(self.binary, self.port, self.key, data),
            stdout=subprocess.DEVNULL,
            stderr=log.open("ab"),
        )
        wait_for(f"{self.url}/health", proc=self.proc, log=log)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def meili_process(tmp_path: Path) -> Iterator[MeiliProcess]:
    try:
        binary = subprocess.run(
            ["bash", str(ROOT / "scripts" / "meilisearch.sh")], check=True, capture_output=True, text=True
        ).stdout.strip()
    except subprocess.CalledProcessError as exc:
        if ON_CI:
            raise
        pytest.skip(f"no Meilisearch binary: {exc.stderr[-300:]}")
    process = MeiliProcess(binary, tmp_path / "meili")
    try:
        yield process
    finally:
        process.kill()

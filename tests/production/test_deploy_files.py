"""The production files: docker-compose.yml follows the rules we rely on, the Dockerfile and gunicorn config
keep the web tier stateless and private. `docker compose config` runs when a compose CLI is installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from ..conftest import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def env_of(service: str) -> dict[str, str]:
    env = SERVICES[service].get("environment") or {}
    return {k: str(v) for k, v in env.items()}


def test_services_and_images():
    assert {"web", "meilisearch", "db", "content-load"} <= set(SERVICES)
    assert SERVICES["meilisearch"]["image"] == "getmeili/meilisearch:v1.21"
    assert SERVICES["db"]["image"].startswith("postgres:")
    assert SERVICES["web"]["build"] == "."


def test_every_long_running_service_has_a_healthcheck():
    for name in ("web", "meilisearch", "db"):
        check = SERVICES[name]["healthcheck"]
        assert check["test"][0] in ("CMD", "CMD-SHELL")
        assert check["interval"] and check["retries"] >= 1


def test_secrets_come_from_the_environment_and_are_required():
    assert env_of("meilisearch")["MEILI_MASTER_KEY"].startswith("${MEILI_MASTER_KEY:?")
    assert env_of("web")["MEILI_SEARCH_KEY"].startswith("${MEILI_SEARCH_KEY:?")
    assert env_of("content-load")["MEILI_ADMIN_KEY"].startswith("${MEILI_ADMIN_KEY:?")
    assert env_of("db")["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert "${POSTGRES_PASSWORD:?" in env_of("web")["DATABASE_URL"]
    assert env_of("web")["DATABASE_URL"].startswith("postgresql+psycopg://")


def test_persistent_volumes_for_the_stateful_services():
    assert "meili_data:/meili_data" in SERVICES["meilisearch"]["volumes"]
    assert any(v.startswith("pg_data:/var/lib/postgresql") for v in SERVICES["db"]["volumes"])
    assert {"meili_data", "pg_data"} <= set(COMPOSE["volumes"])


def test_web_is_stateless_with_read_only_content():
    web = SERVICES["web"]
    assert web["read_only"] is True
    assert web["volumes"] == ["./content:/app/content:ro"]  # no named volume: nothing to keep
    assert any(t.startswith("/tmp") for t in web["tmpfs"])
    assert env_of("web")["DICHTBIJ_LOAD_ON_START"] == "false"
    assert env_of("web")["DICHTBIJ_SEARCH_BACKEND"] == "meilisearch"
    assert float(env_of("web")["DICHTBIJ_MEILI_TIMEOUT"]) <= 0.3
    assert "gunicorn" in web["command"]
    deps = web["depends_on"]
    assert deps["db"]["condition"] == "service_healthy"
    assert deps["content-load"]["condition"] == "service_completed_successfully"
    assert SERVICES["content-load"]["command"] == ["flask", "content", "reload"]


def test_only_meilisearch_and_the_key_maker_hold_the_master_key():
    holders = {name for name in SERVICES if "MEILI_MASTER_KEY" in env_of(name)}
    assert holders == {"meilisearch", "meili-keys"}
    assert "MEILI_ADMIN_KEY" not in env_of("web")  # the web tier can search, never build or delete
    assert SERVICES["meili-keys"]["command"] == ["flask", "index", "keys", "--create"]
    for name in ("web", "content-load"):
        assert SERVICES[name]["depends_on"]["meili-keys"]["condition"] == "service_completed_successfully"


def stages() -> dict[str, str]:
    """The Dockerfile's stages by name, each with its lines."""
    text = (ROOT / "Dockerfile").read_text()
    parts = re.split(r"^FROM \S+ AS (\w+)\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_dockerfile_dependencies_from_the_lock_before_the_code_and_a_runtime_stage_without_builds():
    text = (ROOT / "Dockerfile").read_text()
    assert "ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu" in text
    deps, build, runtime = stages()["deps"], stages()["build"], stages()["runtime"]
    assert deps.index("pip install --no-deps --index-url ${TORCH_INDEX} torch==2.13.0") < deps.index(
        "pip install -r requirements.lock"
    )
    assert "COPY webapp" not in deps and "COPY search" not in deps  # code changes keep the deps layer
    assert "search.model.build" in build and "search.triage.train" in build
    assert "pip install" not in runtime and "search.model.build" not in runtime
    assert "COPY --from=deps /opt/venv /opt/venv" in runtime
    assert "COPY --from=build /app/models ./models" in runtime
    assert "USER dichtbij" in runtime and "HEALTHCHECK" in runtime
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", "instance", ".env", "content"} <= set(ignored)


def test_gunicorn_config_has_several_workers_and_no_preload():
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)
    assert namespace["workers"] >= 2 or (os.cpu_count() or 1) < 2
    assert not namespace.get("preload_app", False)
    assert callable(namespace["post_worker_init"])


def compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_docker_compose_config_validates():
    cli = compose_cli()
    if cli is None:
        pytest.skip("no docker compose CLI here; the structural tests above still ran")
    env = {**os.environ, "MEILI_MASTER_KEY": "test-only", "POSTGRES_PASSWORD": "test-only",
           "DICHTBIJ_DOMAIN": "dichtbij.example.nl", "MEILI_SEARCH_KEY": "s",
           "MEILI_ADMIN_KEY": "a"}  # fmt: skip
    ok = subprocess.run([*cli, "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    env.pop("MEILI_MASTER_KEY")
    missing = subprocess.run([*cli, "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert missing.returncode != 0
    assert "MEILI_MASTER_KEY" in missing.stderr
    env["MEILI_MASTER_KEY"] = "test-only"
    env.pop("MEILI_SEARCH_KEY")
    missing = subprocess.run([*cli, "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert missing.returncode != 0 and "MEILI_SEARCH_KEY" in missing.stderr


def test_make_installs_cpu_torch_then_the_locks():
    if shutil.which("make") is None:
        pytest.skip("no make")
    env = {k: v for k, v in os.environ.items() if k != "TORCH_INDEX"}
    out = subprocess.run(
        ["make", "-n", "-B", "--no-print-directory", "-C", str(ROOT), "install-test", "PYTHON=false"],
        capture_output=True, text=True, check=True, env=env,
    ).stdout  # fmt: skip
    pip = [line.split("pip ", 1)[1] for line in out.splitlines() if "/pip " in line]
    assert pip == [
        "install --no-deps --retries 1 --timeout 15"
        " --extra-index-url https://download.pytorch.org/whl/cpu torch==2.13.0",
        "install -r requirements.lock",
        "install --no-deps -e .",
        "install -r requirements-test.lock",
    ]


def make_dry_run(target: str) -> str:
    """The commands `make <target>` would run (make -n), with the default TORCH_INDEX."""
    if shutil.which("make") is None:
        pytest.skip("no make")
    env = {k: v for k, v in os.environ.items() if k != "TORCH_INDEX"}
    return subprocess.run(
        ["make", "-n", "-B", "--no-print-directory", "-C", str(ROOT), target, "PYTHON=false"],
        capture_output=True, text=True, check=True, env=env,
    ).stdout  # fmt: skip


def test_make_lock_writes_hashes_resolved_against_the_installed_torch():
    out = make_dry_run("lock")
    installed = re.search(r"/pip install --no-deps .* (torch==\S+)$", make_dry_run("install"), flags=re.M)
    assert installed is not None
    assert f"echo '{installed.group(1)}' > .cache/torch.txt" in out
    compiles = [line for line in out.replace("\\\n", " ").splitlines() if "pip-compile" in line]
    outputs = [re.findall(r"\s-o\s+(\S+)", line) for line in compiles]
    assert outputs == [["requirements.lock"], ["requirements-test.lock"]]
    for line in compiles:
        assert "--generate-hashes" in line and "-c .cache/torch.txt" in line
        assert "--extra-index-url https://download.pytorch.org/whl/cpu" in line


def run_recipe(*assignments: str) -> str:
    """The commands `make run` would run (make -n), joined into one line per command."""
    if shutil.which("make") is None:
        pytest.skip("no make")
    env = {k: v for k, v in os.environ.items() if k not in ("DICHTBIJ_PUBLIC_URL", "HOST", "PORT")}
    out = subprocess.run(
        ["make", "-n", "--no-print-directory", "-C", str(ROOT), "run", *assignments],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    return out.replace("\\\n", " ")


def test_make_run_serves_with_gunicorn_on_port_5000_and_the_embedded_default():
    serve = run_recipe().strip().splitlines()[-1]
    assert "gunicorn -c gunicorn.conf.py wsgi:app" in serve
    assert "GUNICORN_BIND=127.0.0.1:5000" in serve
    assert "DICHTBIJ_PUBLIC_URL=http://127.0.0.1:5000" in serve
    assert "flask run" not in run_recipe()
    assert "SEARCH_BACKEND" not in serve and "meili" not in serve.lower()


def test_make_run_follows_host_and_port():
    serve = run_recipe("HOST=0.0.0.0", "PORT=8123").strip().splitlines()[-1]
    assert "GUNICORN_BIND=0.0.0.0:8123" in serve
    assert "DICHTBIJ_PUBLIC_URL=http://127.0.0.1:8123" in serve  # links never to 0.0.0.0


def test_the_edge_error_pages_are_what_the_generator_writes(tmp_path: Path) -> None:
    """deploy/nginx/errors/* come from scripts/edge_errors.py (one template, the crisis lines from
    webapp/emergency.py): --check passes on the committed files and fails on a changed one."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("edge_errors", ROOT / "scripts" / "edge_errors.py")
    assert spec is not None and spec.loader is not None
    edge_errors = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(edge_errors)
    assert edge_errors.main(["--check"]) == 0
    from webapp.emergency import LINES

    for path, text in edge_errors.files().items():
        assert all(line.phone in text for line in LINES.values()), path
    edge_errors.OUT = tmp_path
    for status in edge_errors.PAGES:
        (tmp_path / f"{status}.html").write_text("oud", encoding="utf-8")
    assert edge_errors.main(["--check"]) == 1

"""Security headers, limits, rate limiting, no cookies, no secrets, privacy-safe request logs."""

from __future__ import annotations

import logging
import re
import subprocess

import pytest

from webapp.logs import PrivateLog
from webapp.production.ratelimit import RateLimiter
from webapp.production.security import content_security_policy, tile_source

from ..conftest import ROOT

PAGES = ["/", "/vraag?q=buurthuis&gemeente=oss", "/api/v1/ask?q=buurthuis", "/healthz", "/readyz", "/nood"]


@pytest.fixture(scope="module")
def client(demo_app):
    return demo_app.test_client()


def directives(csp: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in csp.split(";")) if part}


@pytest.mark.parametrize("path", PAGES)
def test_every_response_has_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code < 500
    csp = directives(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'", "mailto:"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_img_src_allows_only_the_configured_tile_host():
    csp = directives(content_security_policy("https://tile.openstreetmap.org/{z}/{x}/{y}.png"))
    assert csp["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert directives(content_security_policy(""))["img-src"] == ["'self'", "data:"]
    assert tile_source("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    assert tile_source("javascript:alert(1)") == ""


def test_hsts_can_be_turned_off(make_app):
    response = make_app(HSTS_SECONDS=0).test_client().get("/healthz")
    assert "Strict-Transport-Security" not in response.headers


def test_pages_have_no_inline_script_or_style(client):
    html = client.get("/vraag?q=ik+zoek+een+buurthuis&gemeente=oss").get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert " style=" not in html


@pytest.mark.parametrize("path", PAGES + ["/bestaat-niet", "/api/v1/ask", "/vraag?q="])
def test_no_response_sets_a_cookie(client, path):
    response = client.get(path)
    assert "Set-Cookie" not in response.headers


def test_a_cookie_set_by_a_view_is_dropped(make_app):
    app = make_app()

    @app.get("/_cookie")
    def set_cookie():
        from flask import make_response

        response = make_response("x")
        response.set_cookie("tracker", "1")
        return response

    assert "Set-Cookie" not in app.test_client().get("/_cookie").headers


def test_rate_limit_answers_429_in_b1_with_retry_after(make_app):
    client = make_app(RATE_LIMIT_PER_MINUTE=3).test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for _ in range(3):
        assert client.get("/api/v1/ask?q=buurthuis").status_code == 200
    response = client.get("/api/v1/ask?q=buurthuis")
    assert response.status_code == 429
    assert response.get_json()["error"] == (
        "Je stelt veel vragen achter elkaar. Wacht een minuut en probeer het opnieuw."
    )
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    page = client.get("/vraag?q=buurthuis")
    assert page.status_code == 429
    assert page.mimetype == "text/html"
    assert "Wacht een minuut en probeer het opnieuw." in page.get_data(as_text=True)
    # Other pages are not limited.
    assert client.get("/healthz").status_code == 200


def test_rate_limit_exempts_this_machine_only(make_app):
    client = make_app(RATE_LIMIT_PER_MINUTE=1).test_client()
    for _ in range(3):
        assert client.get("/api/v1/ask?q=buurthuis").status_code == 200  # 127.0.0.1: exempt
    client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert client.get("/api/v1/ask?q=buurthuis").status_code == 200
    assert client.get("/api/v1/ask?q=buurthuis").status_code == 429


def test_rate_limit_is_per_client_and_per_window():
    now = [0.0]
    limiter = RateLimiter(2, window=60, clock=lambda: now[0])
    assert limiter.hit("10.0.0.1") == 0 and limiter.hit("10.0.0.1") == 0
    assert limiter.hit("10.0.0.1") == 60
    assert limiter.hit("10.0.0.2") == 0
    now[0] = 45.0
    assert limiter.hit("10.0.0.1") == 15
    now[0] = 60.0
    assert limiter.hit("10.0.0.1") == 0
    # The limiter's memory holds no address.
    assert all(b"10.0.0" not in key for key in limiter._windows)


def test_long_query_string_gets_414_in_b1(client):
    response = client.get("/vraag?q=" + "a" * 9000)
    assert response.status_code == 414
    assert "te lang" in response.get_data(as_text=True)
    api = client.get("/api/v1/ask?q=" + "a" * 9000)
    assert api.status_code == 414
    assert "te lang" in api.get_json()["error"]


def test_a_long_question_in_any_script_is_not_cut_by_the_url_limit(client):
    for q in ("ß" * 500, "🙂" * 500, "ا" * 500):
        assert client.get("/api/v1/ask", query_string={"q": q, "gemeente": "oss"}).status_code == 200


def test_too_many_parameters_gets_400(client):
    response = client.get("/api/v1/ask?" + "&".join(f"p{i}=1" for i in range(40)))
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_large_body_gets_413(client):
    response = client.post("/api/v1/ask", data=b"x" * 70_000, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "te groot" in response.get_json()["error"]


def test_markdown_script_in_an_entry_never_reaches_the_page(make_app, write_entry, content_dir):
    write_entry(
        replace={
            "Wil je beter Nederlands praten? Kom naar het taalcafé.": (
                "Kom langs. <script>alert('x')</script> <img src=x onerror=alert(1)> "
                "[klik](javascript:alert(2))"
            )
        }
    )
    app = make_app(CONTENT_DIR=str(content_dir))
    html = app.test_client().get("/voorziening/oss-taalcafe").get_data(as_text=True)
    assert "Kom langs." in html
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:alert" not in html


def test_werkzeug_request_log_has_no_address_and_no_query():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '192.168.1.20 - - [01/Jan/2026 10:00:00] "%s" %s %s',
        ("GET /vraag?q=ik+heb+schulden&gemeente=oss HTTP/1.1", "200", "-"),
        None,
    )
    assert PrivateLog().filter(record)
    line = record.getMessage()
    assert "192.168.1.20" not in line
    assert "schulden" not in line and "?" not in line
    assert '"GET /vraag HTTP/1.1" 200' in line


def test_gunicorn_access_log_has_no_address_and_no_query():
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)
    fmt = namespace["access_log_format"]
    for forbidden in ("%(h)s", "%(r)s", "%(q)s", "%(f)s", "%(u)s", "{x-forwarded-for}i"):
        assert forbidden not in fmt
    assert "%(U)s" in fmt


SECRET_PATTERNS = [
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"AKIA[0-9A-Z]{16}"),
    re.compile(r"gh[pousr]_[A-Za-z0-9]{36}"),
    re.compile(r"sk-[A-Za-z0-9]{32,}"),
    re.compile(r"xox[abp]-[A-Za-z0-9-]{10,}"),
    re.compile(r"(?i)(master_key|api_key|secret|password|token)\s*[:=]\s*['\"][A-Za-z0-9+/_\-]{16,}['\"]"),
    re.compile(r"postgres(?:ql)?(?:\+\w+)?://[^:\s/]+:(?!\$\{)[^@\s]{6,}@"),
]


def test_no_secrets_in_the_repository():
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    found = []
    for name in files:
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000 or path.suffix in {".png", ".ico", ".mo"}:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for pattern in SECRET_PATTERNS:
            for match in pattern.finditer(text):
                if "test_security.py" in name:
                    continue
                found.append(f"{name}: {match.group(0)[:40]}")
    assert not found, found
    assert not any(name.endswith((".env", ".pem", ".key")) for name in files)

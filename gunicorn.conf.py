"""gunicorn settings for production (used by the Docker image and bench/load.py).

Each worker loads the model and builds the question matcher once, right after it starts (post_worker_init),
so the first resident does not wait. There is no --preload: the model's native threads do not survive a
fork, and without preload a SIGHUP to the master gives fresh workers that read the newest content.

The access log never contains the question or the resident's address: no %(h)s (remote address),
no %(r)s/%(q)s (request line and query string, where the question is), no referrer or user agent. The
error log neither: webapp.logs.Logger scrubs every line of both logs (the query string of "Error handling
request GET /api/v1/ask?q=..." after a worker timeout, the raw request line and the `ip=` of a malformed
request, control characters such as a decoded %0A in a path).
"""

from __future__ import annotations

import logging
import os
from typing import Any

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 2)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Limits on the request line and headers (the app adds its own, friendlier limits below these).
limit_request_line = 8190  # a 500-character question in any script, percent-encoded
limit_request_fields = 60
limit_request_field_size = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
logger_class = "webapp.logs.Logger"
# No control socket: nothing here uses gunicornc, and every gunicorn on a host would share its default path.
control_socket_disable = True
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# method, path WITHOUT query string, status, bytes, duration in ms. Never %(h)s, %(r)s, %(q)s, %(f)s.
# The time comes first, stamped as in the error log (webapp.logs.Logger), not as %(t)s.
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def post_worker_init(worker: Any) -> None:
    """Warm up: content, model and question matcher, before this worker takes requests."""
    app = getattr(worker, "wsgi", None)
    if app is None or not hasattr(app, "app_context"):
        return
    try:
        with app.app_context():
            from webapp.searching import search_service

            search_service().matcher()
    except Exception:  # noqa: BLE001 - the worker still serves; /readyz tells what is wrong
        logging.getLogger("gunicorn.error").exception("warm-up failed")


# Several workers share the cores: the model's OpenMP threads must sleep, not spin, between layers
# (spinning workers starve each other: p95 goes from ~50 ms to over a second under load).
os.environ["OMP_WAIT_POLICY"] = "PASSIVE"

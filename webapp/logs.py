"""Logs without the resident: no question, no client address, no control characters, in any log line.

The question travels in the query string (`/api/v1/ask?q=...`, `/vraag?q=...`) and the client address
identifies the resident. Both reach log lines by several roads: werkzeug's request log, gunicorn's access
log, gunicorn's error log ("Error handling request GET /api/v1/ask?q=..." after a worker timeout, "Invalid
request from ip=...: '<the raw request line>'" for a request line with raw spaces), and an exception's
traceback. A `%0A` in a path is decoded into PATH_INFO and would forge a second access-log line.

`PrivateLog` is one logging filter for all of them. It renders the record, removes the query string of
anything that looks like a request target, the address after `ip=` and any IP address that is not this
machine's, cuts gunicorn's echo of a malformed request line to its reason, and writes control characters
as `\\xNN` (a traceback keeps its line breaks; a message gets none). gunicorn.conf.py names `Logger`, which
puts the filter on gunicorn's error and access logs; create_app puts it on werkzeug's logger and the root
logger's handlers (install). This module imports no more than logging and gunicorn: the gunicorn master
imports it without loading the app.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

# A query string: from a "?" straight after a path character to the end of the request target (before
# " HTTP/x"), or to the end of the line when no protocol follows (a request line with raw spaces).
QUERY = re.compile(r"(?<=[\w/.%~-])\?.*?(?=\s+HTTP/[\d.]+|$)", re.MULTILINE)
IP_EQUALS = re.compile(r"\bip=\S*")
IPV4 = re.compile(r"(?<![\w.])(?!127\.|0\.0\.0\.0)(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
IPV6 = re.compile(
    r"(?<![\w:])(?=[0-9A-Fa-f:]*::|(?:[0-9A-Fa-f]{1,4}:){5})(?!::1\b)[0-9A-Fa-f:]{3,39}(?![\w:])"
)
ADDRESS_PREFIX = re.compile(r"^\S+ - - ")  # werkzeug: '<address> - - [date] "GET / HTTP/1.1" 200 -'
# gunicorn: 'Invalid request from ip=<address>: Invalid HTTP Version: '<rest of the raw request line>''
INVALID_REQUEST = re.compile(r"^Invalid request from ip=\S*: ([^:'\"]*).*$", re.DOTALL)
# Control characters (C0, DEL, C1), the Unicode line and paragraph separators and the bidi overrides.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
REDACTED = "-"


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_control(text: str, keep_newlines: bool = False) -> str:
    return (CONTROL_BUT_NEWLINE if keep_newlines else CONTROL).sub(_escaped, text)


def scrub(text: str, keep_newlines: bool = False) -> str:
    """The text without query strings, client addresses and control characters."""
    text = INVALID_REQUEST.sub(lambda m: f"Invalid request: {m.group(1).strip()}", text)
    text = ADDRESS_PREFIX.sub(f"{REDACTED} - - ", text)
    text = QUERY.sub("", text)
    text = IP_EQUALS.sub(f"ip={REDACTED}", text)
    text = IPV4.sub(REDACTED, text)
    text = IPV6.sub(REDACTED, text)
    return escape_control(text, keep_newlines)


def format_exception(exc: BaseException) -> str:
    """The traceback with each exception's message on one line: a newline in a message (which may come
    from a request) cannot start a line of its own."""
    tb = traceback.TracebackException.from_exception(exc)
    seen: set[int] = set()
    todo = [tb]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        message = getattr(current, "_str", None)  # the exception's str(), as format() will print it
        if isinstance(message, str):
            setattr(current, "_str", escape_control(message))  # noqa: B010 - a private attribute
        todo.extend(t for t in (current.__cause__, current.__context__) if t is not None)
    return "".join(tb.format()).rstrip("\n")


class PrivateLog(logging.Filter):
    """Rewrite each record in place to its scrubbed text (message and traceback); never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_private", False):
            return True  # a record reaching a second handler is scrubbed once
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string: log its template, never crash logging
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = format_exception(record.exc_info[1])
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, keep_newlines=True)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info, keep_newlines=True)
        record._private = True
        return True


def add_filter(*targets: logging.Filterer) -> None:
    """Put PrivateLog on loggers or handlers that do not have it yet."""
    for target in targets:
        if not any(isinstance(f, PrivateLog) for f in target.filters):
            target.addFilter(PrivateLog())


# One line format for every log: gunicorn's error log format and timestamp, the app's logger name added;
# the access log the same with [access] for the level ('[2026-12-02 15:20:07 +0000] [4711] [INFO] ...').
DATE_FORMAT = GunicornLogger.datefmt
LINE_FORMAT = "%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s"
ACCESS_FORMAT = "%(asctime)s [%(process)d] [access] %(message)s"


class Logger(GunicornLogger):
    """gunicorn's logger with PrivateLog on its error and access log handlers (gunicorn.conf.py), and the
    access log's lines stamped like the error log's."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.access_log.handlers:
            handler.setFormatter(logging.Formatter(ACCESS_FORMAT, DATE_FORMAT))
        for log in (self.error_log, self.access_log):
            add_filter(log, *log.handlers)  # the loggers' own records, and anything their handlers get


def install() -> None:
    """Scrub werkzeug's request log and whatever the root logger writes (the app's own log lines)."""
    add_filter(logging.getLogger("werkzeug"), *logging.getLogger().handlers)

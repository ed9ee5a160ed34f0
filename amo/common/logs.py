"""Structured logs: one `key=value` line per record, each carrying the id of the request it
belongs to (RequestIdMiddleware), so that a line of the application and the access log line of
gunicorn (deploy/gunicorn.conf.py) can be joined."""

import contextvars
import logging
import re
import time
import uuid

# The id of the request being served ("-" outside a request: the worker, commands).
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# An incoming X-Request-ID (set by a proxy in front) is kept when it is short and plain; anything
# else (spaces, quotes, newlines that could forge a log line, a very long value) is replaced.
_SANE = re.compile(r"[A-Za-z0-9._:-]{8,64}")


def request_id_from(header: str | None) -> str:
    return header if header and _SANE.fullmatch(header) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def _value(value: object) -> str:
    text = str(value)
    if text and not any(ch in text for ch in ' "=\n\r\t\\'):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


class KeyValueFormatter(logging.Formatter):
    """time=2026-12-01T10:00:00.123Z level=ERROR logger=django.request request_id=… msg="…"
    (and exc="…" with the traceback on one line)."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"
        fields = {
            "time": stamp,
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id.get()),
            "msg": record.getMessage(),
        }
        if record.exc_info:
            fields["exc"] = self.formatException(record.exc_info)
        return " ".join(f"{key}={_value(value)}" for key, value in fields.items())

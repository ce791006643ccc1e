from __future__ import annotations

import datetime as dt
import logging

from pythonjsonlogger.json import JsonFormatter

from core.request_id import get_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            current = get_request_id()
            if current == "-":
                # Django logs a 4xx/5xx response a view returned (django.request) once every
                # middleware has run and the id is no longer current; the request it passes
                # along still carries it (core.middleware.RequestIdMiddleware).
                current = getattr(getattr(record, "request", None), "request_id", current)
            record.request_id = current
        return True


class UtcJsonFormatter(JsonFormatter):
    """JSON log lines timed in UTC, ISO 8601 with milliseconds (2026-01-31T08:00:00.123+00:00):
    the clock gunicorn's access log (core.gunicorn_logging) and every other line use."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return utc_timestamp(record.created)


class UtcTextFormatter(logging.Formatter):
    """The text format's time in UTC, ISO 8601, like the JSON lines."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return utc_timestamp(record.created)


def utc_timestamp(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="milliseconds")


# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "color_message",
}


class TextFormatter(UtcTextFormatter):
    """The development log format: the message, then the structured fields the JSON format
    carries (method, path, status, duration_ms, task, …) as key=value pairs."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = [
            f"{key}={value}"
            for key, value in vars(record).items()
            if key not in _STANDARD and not key.startswith("_")
        ]
        return f"{line} {' '.join(extras)}" if extras else line

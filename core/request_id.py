"""The id of the request (or job) being served, carried into logs and into the jobs it queues."""

from __future__ import annotations

import contextvars
import uuid

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def get_request_id() -> str:
    return _current.get()


def set_request_id(value: str | None = None) -> contextvars.Token[str]:
    return _current.set(value or uuid.uuid4().hex)


def reset_request_id(token: contextvars.Token[str]) -> None:
    _current.reset(token)

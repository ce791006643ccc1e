"""One JSON log line per job, under the id of the request that queued it."""

from __future__ import annotations

import logging
import time
from contextvars import Token
from typing import Any

from celery import Task
from celery.signals import before_task_publish, task_postrun, task_prerun

from core.db_router import reset_pinned, set_pinned
from core.request_id import get_request_id, reset_request_id, set_request_id

logger = logging.getLogger("assay.job")
# Carried in each task message: the worker logs the job under the id of the request that queued it.
REQUEST_ID_HEADER = "assay_request_id"

# task id -> (request-id token, primary-pin token, start time); prerun and postrun run in the
# same worker thread.
_running: dict[str, tuple[Token[str], Token[bool], float]] = {}


@before_task_publish.connect
def _stamp_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    # Also covers jobs queued with a plain .delay(): the message carries the request id.
    if headers is not None and not headers.get(REQUEST_ID_HEADER):
        current = get_request_id()
        if current != "-":
            headers[REQUEST_ID_HEADER] = current


def _request_id_of(task: Task) -> str | None:  # type: ignore[type-arg]
    request = task.request
    value = getattr(request, REQUEST_ID_HEADER, None)
    headers = getattr(request, "headers", None)
    if not value and isinstance(headers, dict):
        value = headers.get(REQUEST_ID_HEADER)
    return str(value) if value else None


@task_prerun.connect
def _job_started(task_id: str | None = None, task: Task | None = None, **_: Any) -> None:  # type: ignore[type-arg]
    if task_id is None or task is None:
        return
    if task.request.is_eager and get_request_id() != "-":
        request_id = get_request_id()  # run in-process, inside the request that queued it
    else:
        request_id = _request_id_of(task) or task_id
    # Jobs act on rows just committed: with a read replica they read from the primary.
    _running[task_id] = (set_request_id(request_id), set_pinned(True), time.perf_counter())


@task_postrun.connect
def _job_finished(
    task_id: str | None = None,
    task: Task | None = None,  # type: ignore[type-arg]
    state: str | None = None,
    retval: Any = None,
    **_: Any,
) -> None:
    if task_id is None or task is None:
        return
    started = _running.pop(task_id, None)
    # a failed or retried job's return value is its exception
    error = (
        f"{type(retval).__name__}: {retval}"[:500] if isinstance(retval, BaseException) else None
    )
    duration_ms = round((time.perf_counter() - started[2]) * 1000, 2) if started else None
    logger.log(
        # IGNORED: a retry deferred to the outbox (core.tasks.AssayTask), not a failure
        logging.INFO if state in ("SUCCESS", "IGNORED") else logging.WARNING,
        "job",
        extra={
            "task": task.name,
            "task_id": task_id,
            "state": state,
            "retries": task.request.retries,
            "duration_ms": duration_ms,
            "error": error,
        },
    )
    if started:
        reset_pinned(started[1])
        reset_request_id(started[0])

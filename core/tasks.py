"""Queueing jobs so that a broker outage never fails a request nor loses a job.

Code that queues a job after a write calls `enqueue_on_commit(task, *args)` instead of
`transaction.on_commit(lambda: task.delay(*args))`: the job is sent after the transaction
commits; if the broker cannot be reached it is stored in the outbox (OutboxJob) and re-sent by
the `outbox_flush` beat task (or `manage.py outbox_flush`) once the broker is back.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Collection
from typing import Any

from celery import Task, shared_task
from celery.exceptions import NotRegistered
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from config.celery import app as celery_app
from core.models import OutboxJob
from core.request_id import get_request_id
from core.signals import REQUEST_ID_HEADER

logger = logging.getLogger("assay.jobs")

# A request must not wait long on a broker that is down: one quick retry, then the outbox.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
OUTBOX_BATCH_SIZE = 200
OUTBOX_FLUSH_INTERVAL_SECONDS = 60.0
# Back-off between re-send attempts of one outbox row, capped.
OUTBOX_BACKOFF_SECONDS = 30
OUTBOX_BACKOFF_MAX_SECONDS = 3600


def _is_eager() -> bool:
    return bool(celery_app.conf.task_always_eager)


def job_send(task_name: str, args: list[Any], kwargs: dict[str, Any], request_id: str) -> None:
    """Send one job to the broker now; raise if the broker cannot take it."""
    task = celery_app.tasks[task_name]
    task.apply_async(
        args=tuple(args),
        kwargs=kwargs,
        headers={REQUEST_ID_HEADER: request_id},
        retry=True,
        retry_policy=PUBLISH_RETRY_POLICY,
    )


def _send_or_store(
    task_name: str, args: list[Any], kwargs: dict[str, Any], request_id: str
) -> None:
    if _is_eager():
        # Embedded default: run in-process now; a failing job is logged by the job signals and
        # never raises into the request (CELERY_TASK_EAGER_PROPAGATES is off).
        celery_app.tasks[task_name].apply(args=tuple(args), kwargs=kwargs)
        return
    try:
        job_send(task_name, args, kwargs, request_id)
        return
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
    try:
        OutboxJob.objects.create(
            task_name=task_name,
            args=args,
            kwargs=kwargs,
            request_id=request_id,
            last_error=error,
        )
    except (DatabaseError, TypeError, ValueError):
        # Neither broker nor database took it: the log is the last record of the job.
        logger.exception(
            "job lost: broker and outbox both failed",
            extra={
                "task": task_name,
                "job_args": repr(args),
                "job_kwargs": repr(kwargs),
                "error": error,
            },
        )
        return
    logger.warning(
        "broker unreachable, job kept in the outbox",
        extra={"task": task_name, "job_args": repr(args), "error": error},
    )


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:  # type: ignore[type-arg]
    """Queue `task(*args, **kwargs)` once the current transaction commits (now, outside one).

    Arguments must be JSON-serialisable primitives (ids, strings). Never raises into the caller
    because the broker is down: the job goes to the outbox instead.
    """
    request_id = get_request_id()
    transaction.on_commit(
        functools.partial(_send_or_store, task.name, list(args), dict(kwargs), request_id)
    )


def outbox_flush(
    *, limit: int = OUTBOX_BATCH_SIZE, ids: Collection[int] | None = None
) -> tuple[int, int]:
    """Re-send due outbox jobs (or only those of `ids`), oldest first; returns (sent, failed).

    Safe to run on several hosts at once. A job sent just before a crash may be sent again on
    the next run: tasks are safe to run twice. While the broker is still unreachable, the
    first failure ends the run rather than waiting on the broker once per row.
    """
    sent = failed = 0
    now = timezone.now()
    with transaction.atomic():
        due = OutboxJob.objects.filter(next_attempt_at__lte=now).order_by("id")
        if ids is not None:
            due = due.filter(pk__in=ids)
        if connection.features.has_select_for_update_skip_locked:
            # Two flushers at once each take different rows instead of sending a job twice.
            due = due.select_for_update(skip_locked=True)
        for job in due[:limit]:
            try:
                if _is_eager():
                    celery_app.tasks[job.task_name].apply(args=tuple(job.args), kwargs=job.kwargs)
                else:
                    job_send(job.task_name, job.args, job.kwargs, job.request_id)
            except Exception as exc:
                broker_down = not isinstance(exc, NotRegistered)
                failed += 1
                job.attempts += 1
                job.last_error = f"{type(exc).__name__}: {exc}"[:1000]
                delay = min(
                    OUTBOX_BACKOFF_SECONDS * 2 ** (job.attempts - 1), OUTBOX_BACKOFF_MAX_SECONDS
                )
                job.next_attempt_at = now + dt.timedelta(seconds=delay)
                job.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                logger.warning(
                    "outbox job still not sent",
                    extra={"task": job.task_name, "outbox_id": job.pk, "attempts": job.attempts},
                )
                if broker_down:
                    break
                continue
            job.delete()
            sent += 1
            logger.info(
                "outbox job sent", extra={"task": job.task_name, "request_id": job.request_id}
            )
    return sent, failed


@shared_task(name="core.outbox_flush", ignore_result=True, soft_time_limit=120, time_limit=150)
def outbox_flush_task() -> None:
    outbox_flush()

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
from collections.abc import Collection, Sequence
from typing import Any

from celery import Task, shared_task
from celery import current_app as celery_app
from celery.exceptions import Ignore, NotRegistered
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone

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


class TemporaryJobError(Exception):
    """A job failed for a reason that may pass (a timeout, a 429 or 5xx answer, a source that
    is down): raise it from a task built on AssayTask and the job is tried again later."""


class AssayTask(Task[Any, Any]):
    """The base of every Assay job.

    Retries only TemporaryJobError, with exponential backoff and jitter, a bounded number of
    times; the message is acknowledged after the run (settings: acks late, rejected when the
    worker is lost) so a job whose worker dies is delivered again. Run eagerly (the embedded
    default, no broker) a retry is never run at once inside the request that queued the job:
    it is deferred to the outbox with its delay, and `outbox_flush` runs it when it is due.
    """

    autoretry_for = (TemporaryJobError,)
    retry_backoff = 60
    retry_backoff_max = 1800
    retry_jitter = True
    max_retries = 4

    def retry(
        self,
        args: Any = None,
        kwargs: Any = None,
        exc: Exception | None = None,
        throw: bool = True,
        eta: dt.datetime | None = None,
        countdown: float | None = None,
        max_retries: int | None = None,
        **options: Any,
    ) -> Any:
        request = self.request
        if not request.is_eager:
            return super().retry(
                args=args,
                kwargs=kwargs,
                exc=exc,
                throw=throw,
                eta=eta,
                countdown=countdown,
                max_retries=max_retries,
                **options,
            )
        limit = self.max_retries if max_retries is None else max_retries
        if limit is not None and request.retries >= limit:
            if exc is not None:
                raise exc
            return None
        delay = dt.timedelta(seconds=countdown or 0)
        if eta is not None:
            delay = max(eta - timezone.now(), dt.timedelta(0))
        OutboxJob.objects.create(
            task_name=self.name,
            args=list((request.args if args is None else args) or ()),
            kwargs=dict((request.kwargs if kwargs is None else kwargs) or {}),
            request_id=get_request_id(),
            retries=request.retries + 1,
            last_error=f"{type(exc).__name__}: {exc}"[:1000] if exc is not None else "",
            next_attempt_at=timezone.now() + delay,
        )
        logger.info(
            "job deferred to the outbox for a retry",
            extra={"task": self.name, "retries": request.retries + 1, "delay_s": delay.seconds},
        )
        raise Ignore()


def rows_claim(
    model: type[models.Model],
    ids: Sequence[int],
    *,
    task_id: str,
    lease: dt.timedelta,
    queued: str | Collection[str] = "queued",
    running: str = "running",
    prefix: str = "",
) -> list[int]:
    """Mark the job rows `ids` as running for the task `task_id`; return the ids it took.

    A row is taken when it is queued; when it is running under this very task id (the
    message was delivered again because the worker that took it died: Celery keeps the task id
    across redeliveries and retries); or when its lease ran out (its run can no longer be
    alive: the lease is longer than the task's hard time limit). Any other running row belongs
    to a live run and is left to it, so a job is never done twice at once. The model needs
    `status`, `task_id` and `started_at` fields (named with `prefix` before each, for a model
    whose own status means something else); `queued` may name several waiting states.
    """
    now = timezone.now()
    status, task, started = f"{prefix}status", f"{prefix}task_id", f"{prefix}started_at"
    waiting = [queued] if isinstance(queued, str) else list(queued)
    takeable = (
        Q(**{f"{status}__in": waiting})
        | Q(**{status: running, task: task_id})
        | Q(**{status: running, f"{started}__lt": now - lease})
    )
    manager = model._default_manager
    manager.filter(pk__in=list(ids)).filter(takeable).update(
        **{status: running, task: task_id, started: now}
    )
    return list(
        manager.filter(pk__in=list(ids), **{status: running, task: task_id, started: now})
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def rows_sweep(
    model: type[models.Model],
    *,
    lease: dt.timedelta,
    reason: str,
    now: dt.datetime | None = None,
    running: str = "running",
    failed: str = "failed",
    prefix: str = "",
    error_field: str = "error",
    finished_field: str | None = "finished_at",
) -> int:
    """End the job rows no run will finish: running for more than twice their lease (the
    worker that took them died and their message was not delivered again). They end `failed`
    with `reason`, never `running` forever. Returns how many were ended."""
    now = now or timezone.now()
    changes: dict[str, Any] = {f"{prefix}status": failed, error_field: reason}
    if finished_field:
        changes[finished_field] = now
    return model._default_manager.filter(
        **{f"{prefix}status": running, f"{prefix}started_at__lt": now - 2 * lease}
    ).update(**changes)


def job_send(
    task_name: str, args: list[Any], kwargs: dict[str, Any], request_id: str, retries: int = 0
) -> None:
    """Send one job to the broker now; raise if the broker cannot take it."""
    task = celery_app.tasks[task_name]
    task.apply_async(  # type: ignore[call-arg]  # `retries` reaches send_task; the stubs omit it
        args=tuple(args),
        kwargs=kwargs,
        headers={REQUEST_ID_HEADER: request_id},
        retries=retries,
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


def enqueue_on_commit(task: Task | str, *args: Any, **kwargs: Any) -> None:  # type: ignore[type-arg]
    """Queue `task(*args, **kwargs)` once the current transaction commits (now, outside one).

    `task` is a task or its registered name (services queue their app's jobs by name, so a
    service never imports the tasks module that imports it). Arguments must be
    JSON-serialisable primitives (ids, strings). Never raises into the caller because the
    broker is down: the job goes to the outbox instead.
    """
    name = task if isinstance(task, str) else task.name
    if name not in celery_app.tasks:
        raise NotRegistered(name)
    request_id = get_request_id()
    transaction.on_commit(
        functools.partial(_send_or_store, name, list(args), dict(kwargs), request_id)
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
                    celery_app.tasks[job.task_name].apply(
                        args=tuple(job.args), kwargs=job.kwargs, retries=job.retries
                    )
                else:
                    job_send(job.task_name, job.args, job.kwargs, job.request_id, job.retries)
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

"""Jobs of the energy-data catalogue: thin callers of energy.services.

Task names are explicit and stable; the names these jobs had before the catalogue left the
claims app are registered too, so messages already queued (or kept in the outbox) still run.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task

from core.tasks import AssayTask, TemporaryJobError
from energy.services import (
    series_refresh,
    series_refresh_jobs_finish,
    series_refresh_jobs_sweep,
    series_refresh_jobs_take,
)

logger = logging.getLogger(__name__)


class SourceStillUnavailable(TemporaryJobError):
    """Raised after a refresh in which some series failed for a temporary reason."""


def _refresh(
    task: Task[Any, Any],
    source: str | None,
    series_ids: list[int] | None,
    job_ids: list[int] | None,
) -> dict[str, int]:
    if job_ids:
        series_ids = series_refresh_jobs_take(job_ids=job_ids, task_id=task.request.id or "")
        if not series_ids:
            # another live run holds these jobs, or they already ended
            return {"series": 0, "failed": 0, "written": 0}
    try:
        report = series_refresh(source=source, series_ids=series_ids)
    except Exception as exc:
        if job_ids:
            series_refresh_jobs_finish(
                job_ids=job_ids, report=None, error=f"{type(exc).__name__}: {exc}"
            )
        raise
    for outcome in report.outcomes:
        logger.info("refresh_series: %s", outcome.describe())
    will_retry = report.retryable and task.request.retries < (task.max_retries or 0)
    if job_ids:
        series_refresh_jobs_finish(job_ids=job_ids, report=report, final=not will_retry)
    if will_retry:
        temporary = [o for o in report.failed if o.temporary]
        raise SourceStillUnavailable(
            f"{len(temporary)} series failed temporarily, first: {temporary[0].error}"
        )
    return {
        "series": len(report.outcomes),
        "failed": len(report.failed),
        "written": sum(o.counts.changed for o in report.outcomes),
    }


@shared_task(
    name="energy.refresh_series",
    base=AssayTask,
    bind=True,
    soft_time_limit=600,
    time_limit=660,
)
def refresh_series(
    self: Task[Any, Any],
    source: str | None = None,
    series_ids: list[int] | None = None,
    job_ids: list[int] | None = None,
) -> dict[str, int]:
    """Refresh one source's series (or the given ones). With `job_ids` (a refresh someone asked
    for), record the outcome on those jobs. Sources retry in place first (energy.sources.http);
    a temporary failure left after that retries the whole refresh minutes later."""
    return _refresh(self, source, series_ids, job_ids)


@shared_task(
    name="claims.tasks.refresh_series",
    base=AssayTask,
    bind=True,
    soft_time_limit=600,
    time_limit=660,
)
def refresh_series_before_the_move(
    self: Task[Any, Any], source: str | None = None, series_ids: list[int] | None = None
) -> dict[str, int]:
    """The refresh's name before the catalogue moved to this app (queued messages, schedules)."""
    return _refresh(self, source, series_ids, None)


@shared_task(
    name="integrations.tasks.run_series_refresh_job",
    base=AssayTask,
    bind=True,
    soft_time_limit=600,
    time_limit=660,
)
def run_series_refresh_job(self: Task[Any, Any], job_id: int) -> dict[str, int]:
    """A refresh job queued under its old name, before refreshes on request and on schedule
    became one task."""
    return _refresh(self, None, None, [job_id])


@shared_task(name="energy.sweep_refresh_jobs", soft_time_limit=60, time_limit=90)
def sweep_refresh_jobs() -> int:
    """Beat: end the refresh jobs whose worker was lost and whose message never came back."""
    return series_refresh_jobs_sweep()

"""Writes to the energy-data catalogue: refresh series from their sources (on schedule or on
request, recorded as jobs), load the snapshots shipped with Assay."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from core.tasks import enqueue_on_commit, rows_claim
from energy.ingest import UpsertCounts, observations_upsert
from energy.models import Series, SeriesRefreshJob
from energy.signals import series_data_changed
from energy.sources import SourceError, source_for
from energy.sources.base import Payload
from integrations.events import event_emit

if TYPE_CHECKING:
    from core.roles import AnyUser

logger = logging.getLogger(__name__)


@dataclass
class SeriesOutcome:
    series_id: int
    title: str
    state: str  # "updated", "unchanged" or "failed"
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    error: str = ""
    temporary: bool = False

    def describe(self) -> str:
        if self.state == "failed":
            return f"FAILED {self.title} (#{self.series_id}): {self.error}"
        if self.state == "unchanged":
            return f"unchanged {self.title} (#{self.series_id})"
        c = self.counts
        return (
            f"ok {self.title} (#{self.series_id}): {c.received} observations, "
            f"{c.created} new, {c.updated} changed"
        )


@dataclass
class RefreshReport:
    outcomes: list[SeriesOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[SeriesOutcome]:
        return [o for o in self.outcomes if o.state == "failed"]

    @property
    def all_failed(self) -> bool:
        return bool(self.outcomes) and len(self.failed) == len(self.outcomes)

    @property
    def retryable(self) -> bool:
        """Some series failed for a reason that may pass (timeout, 429, 5xx)."""
        return any(o.temporary for o in self.failed)


def series_refresh(
    *, source: str | None = None, series_ids: Sequence[int] | None = None
) -> RefreshReport:
    """Refresh the chosen series: one download per payload group, one transaction per series."""
    queryset = Series.objects.order_by("source", "id")
    if source:
        source_for(source)
        queryset = queryset.filter(source=source)
    if series_ids:
        queryset = queryset.filter(pk__in=list(series_ids))
    groups: dict[tuple[str, str], list[Series]] = {}
    for series in queryset:
        module = source_for(series.source)
        groups.setdefault((series.source, module.group_key(series)), []).append(series)
    report = RefreshReport()
    for (source_name, _key), group in groups.items():
        report.outcomes += _refresh_group(source_name, group)
    return report


def _shared(values: Iterable[str]) -> str:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else ""


def _refresh_group(source_name: str, group: list[Series]) -> list[SeriesOutcome]:
    module = source_for(source_name)
    # Ask "has it changed?" only when every series of the group holds the same, good version.
    trusted = all(s.status == Series.Status.OK for s in group)
    etag = _shared(s.http_etag for s in group) if trusted else ""
    last_modified = _shared(s.http_last_modified for s in group) if trusted else ""
    payload: Payload | None = None
    try:
        payload = module.fetch(group, etag=etag, last_modified=last_modified)
        if payload.not_modified:
            Series.objects.filter(pk__in=[s.pk for s in group]).update(
                last_attempt_at=timezone.now(), last_error=""
            )
            return [SeriesOutcome(s.pk, s.title, "unchanged") for s in group]
        results = module.parse(payload, group)
    except SourceError as exc:
        return [_fail(s, exc) for s in group]
    finally:
        if payload is not None:
            payload.close()
    outcomes = []
    for series in group:
        result = results.get(series.pk)
        if isinstance(result, SourceError):
            outcomes.append(_fail(series, result))
        elif result is None:
            outcomes.append(_fail(series, SourceError("the source returned nothing for it")))
        else:
            outcomes.append(_store(series, result, payload))
    return outcomes


def _fail(series: Series, error: SourceError) -> SeriesOutcome:
    """Record why; never touch the observations already stored."""
    logger.warning("series %s refresh failed: %s", series.pk, error.reason)
    Series.objects.filter(pk=series.pk).update(
        status=Series.Status.FAILED,
        last_error=error.reason[:2000],
        last_attempt_at=timezone.now(),
    )
    return SeriesOutcome(
        series.pk, series.title, "failed", error=error.reason, temporary=error.temporary
    )


def _store(series: Series, points: list[tuple[dt.date, float]], payload: Payload) -> SeriesOutcome:
    now = timezone.now()
    if series.status == Series.Status.OK and series.data_version == payload.version:
        Series.objects.filter(pk=series.pk).update(last_attempt_at=now, last_error="")
        return SeriesOutcome(series.pk, series.title, "unchanged")
    with transaction.atomic():
        counts = observations_upsert(series_id=series.pk, points=points)
        Series.objects.filter(pk=series.pk).update(
            status=Series.Status.OK,
            last_error="",
            data_version=payload.version,
            http_etag=payload.etag[:200],
            http_last_modified=payload.last_modified[:64],
            source_url=payload.url[:2000],
            retrieved_at=now,
            last_attempt_at=now,
        )
        if counts.changed:
            _data_changed(series.pk)
            event_emit(
                "series.updated",
                {"series": series.pk, "title": series.title, "data_version": payload.version},
            )
    return SeriesOutcome(series.pk, series.title, "updated", counts=counts)


def _data_changed(series_id: int) -> None:
    # inside the writing transaction: listeners queue their follow-up jobs on commit
    series_data_changed.send(sender=Series, series_id=series_id)


def series_load_snapshot(
    *,
    series: Series,
    points: Iterable[tuple[dt.date, float]],
    version: str,
    retrieved_at: dt.datetime,
    source_url: str,
) -> UpsertCounts:
    """Load a snapshot shipped with Assay into a series that was never refreshed live.

    A series already refreshed from its source keeps its data: the snapshot never rolls back
    a newer value. Loading the same snapshot twice writes nothing.
    """
    with transaction.atomic():
        current = Series.objects.select_for_update().get(pk=series.pk)
        if current.status not in (Series.Status.NEW, Series.Status.SNAPSHOT):
            return UpsertCounts()
        if current.status == Series.Status.SNAPSHOT and current.data_version == version:
            return UpsertCounts()
        counts = observations_upsert(series_id=series.pk, points=points)
        Series.objects.filter(pk=series.pk).update(
            status=Series.Status.SNAPSHOT,
            data_version=version,
            retrieved_at=retrieved_at,
            source_url=source_url,
            last_error="",
        )
        if counts.changed:
            _data_changed(series.pk)
    return counts


# A job row still "running" after this long has no live run: the refresh task's hard time limit
# is shorter, so the worker that took it died (see core.tasks.rows_claim).
REFRESH_JOB_LEASE = dt.timedelta(seconds=900)


def series_refresh_request(
    *, series_ids: Sequence[int], requested_by: AnyUser | None
) -> list[SeriesRefreshJob]:
    """Ask for a refresh of these series now (the API, the admin's *Refresh now*): one job row
    per series for clients to poll, one refresh task per source (one download serves a
    source's series), queued once the transaction commits."""
    user = requested_by if requested_by is not None and requested_by.is_authenticated else None
    by_source: dict[str, list[SeriesRefreshJob]] = {}
    with transaction.atomic():
        for series in Series.objects.filter(pk__in=list(series_ids)).order_by("pk"):
            job = SeriesRefreshJob.objects.create(series=series, requested_by=user)
            by_source.setdefault(series.source, []).append(job)
        for source, jobs in by_source.items():
            enqueue_on_commit(
                "energy.refresh_series",
                source=source,
                series_ids=[job.series_id for job in jobs],
                job_ids=[job.pk for job in jobs],
            )
    return [job for jobs in by_source.values() for job in jobs]


def series_refresh_jobs_take(*, job_ids: Sequence[int], task_id: str) -> list[int]:
    """The series of the jobs this task run may work on (see core.tasks.rows_claim)."""
    taken = rows_claim(SeriesRefreshJob, job_ids, task_id=task_id, lease=REFRESH_JOB_LEASE)
    return list(SeriesRefreshJob.objects.filter(pk__in=taken).values_list("series_id", flat=True))


def series_refresh_jobs_finish(
    *, job_ids: Sequence[int], report: RefreshReport | None, error: str = "", final: bool = True
) -> None:
    """Record how a run went on its jobs. A temporary failure that will be retried puts the
    jobs back in the queue (`final=False`), with the reason for whoever polls them."""
    now = timezone.now()
    jobs = SeriesRefreshJob.objects.filter(pk__in=list(job_ids), status="running")
    if report is None:
        jobs.update(
            status=SeriesRefreshJob.Status.FAILED if final else SeriesRefreshJob.Status.QUEUED,
            error=error[:2000],
            finished_at=now if final else None,
        )
        return
    outcome_of = {o.series_id: o for o in report.outcomes}
    for job in jobs:
        outcome = outcome_of.get(job.series_id)
        failed = outcome is not None and outcome.state == "failed"
        if failed and not final and outcome is not None and outcome.temporary:
            job.status = SeriesRefreshJob.Status.QUEUED
            job.error = f"will try again: {outcome.error}"[:2000]
        else:
            job.status = (
                SeriesRefreshJob.Status.FAILED if failed else SeriesRefreshJob.Status.SUCCEEDED
            )
            job.error = outcome.error[:2000] if failed and outcome is not None else ""
            job.finished_at = now
        job.save(update_fields=["status", "error", "finished_at"])


def series_refresh_jobs_sweep(*, now: dt.datetime | None = None) -> int:
    """End the jobs no run will finish: running past their lease (their worker died and the
    message was not delivered again). Returns how many were marked failed."""
    now = now or timezone.now()
    return SeriesRefreshJob.objects.filter(
        status=SeriesRefreshJob.Status.RUNNING, started_at__lt=now - 2 * REFRESH_JOB_LEASE
    ).update(
        status=SeriesRefreshJob.Status.FAILED,
        error="the worker running this refresh was lost and the job was not delivered again",
        finished_at=now,
    )

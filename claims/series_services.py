"""Writes to the energy-data catalogue: refresh series from their sources, load snapshots,
evaluate the assertions that claims make about series."""

from __future__ import annotations

import datetime as dt
import logging
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from claims.ingest import UpsertCounts, observations_upsert
from claims.models import ClaimSeries, Observation, Series
from claims.sources import SourceError, source_for
from claims.sources.base import Payload
from core.tasks import enqueue_on_commit

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
            _queue_assertions(series.pk)
            _emit_series_updated(series, version=payload.version)
    return SeriesOutcome(series.pk, series.title, "updated", counts=counts)


def _emit_series_updated(series: Series, *, version: str) -> None:
    from integrations.events import event_emit

    payload = {"series": series.pk, "title": series.title, "data_version": version}
    event_emit("series.updated", payload)


def _queue_assertions(series_id: int) -> None:
    from claims.tasks import evaluate_assertions

    enqueue_on_commit(evaluate_assertions, series_id)


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
            _queue_assertions(series.pk)
    return counts


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ClaimSeries.Operator.GTE: operator.ge,
    ClaimSeries.Operator.GT: operator.gt,
    ClaimSeries.Operator.LTE: operator.le,
    ClaimSeries.Operator.LT: operator.lt,
}


def assertions_evaluate(*, series_id: int) -> int:
    """Recompute every assertion on the series; returns how many links changed result.

    An assertion holds when every observation in its period passes the comparison; the value
    recorded is the one nearest to failing (the minimum for ≥/>, the maximum for ≤/<).
    """
    changed = 0
    links = ClaimSeries.objects.filter(series_id=series_id).exclude(assertion_operator="")
    now = timezone.now()
    for link in links.exclude(assertion_threshold=None):
        observations = Observation.objects.filter(series_id=series_id)
        if link.assertion_period_start:
            observations = observations.filter(period__gte=link.assertion_period_start)
        if link.assertion_period_end:
            observations = observations.filter(period__lte=link.assertion_period_end)
        bounds = observations.aggregate(low=Min("value"), high=Max("value"))
        assert link.assertion_threshold is not None
        if bounds["low"] is None:
            result, value = ClaimSeries.Result.NO_DATA, None
        else:
            lower_bound = link.assertion_operator in (
                ClaimSeries.Operator.GTE,
                ClaimSeries.Operator.GT,
            )
            value = bounds["low"] if lower_bound else bounds["high"]
            compare = _COMPARE[link.assertion_operator]
            holds = compare(value, link.assertion_threshold)
            result = ClaimSeries.Result.HOLDS if holds else ClaimSeries.Result.FAILS
        drifted = link.assertion_drifted or (
            bool(link.assertion_result) and link.assertion_result != result
        )
        if result != link.assertion_result:
            changed += 1
        ClaimSeries.objects.filter(pk=link.pk).update(
            assertion_result=result,
            assertion_value=value,
            assertion_checked_at=now,
            assertion_drifted=drifted,
        )
    return changed


def series_refresh_queue(*, series_ids: Sequence[int]) -> int:
    """Queue a refresh of the given series, one task per source, once the transaction commits."""
    from claims.tasks import refresh_series

    by_source: dict[str, list[int]] = {}
    for pk, source in Series.objects.filter(pk__in=list(series_ids)).values_list("pk", "source"):
        by_source.setdefault(source, []).append(pk)
    for source, ids in by_source.items():
        enqueue_on_commit(refresh_series, source=source, series_ids=ids)
    return sum(len(ids) for ids in by_source.values())


def claims_attach_queue(*, claim_ids: Sequence[int]) -> int:
    """Queue the matcher for the given claims once the transaction commits."""
    from claims.tasks import attach_related_series

    for claim_id in claim_ids:
        enqueue_on_commit(attach_related_series, claim_id)
    return len(claim_ids)


def claims_attach_all_queue() -> None:
    """Queue the matcher over every claim still in play, once the transaction commits."""
    from claims.tasks import attach_related_series_all

    enqueue_on_commit(attach_related_series_all)

"""Celery tasks for the energy-data catalogue: thin callers of the services.

They take primitive ids, return quietly when the row is gone, and are safe to run twice:
observations are upserted (unique series + period), links are unique per claim and series.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task

from claims.evidence_tasks import check_evidence_link, recheck_evidence_links  # noqa: F401
from claims.sources import TemporarySourceError

logger = logging.getLogger(__name__)


class SourceStillUnavailable(TemporarySourceError):
    """Raised after a refresh in which some series failed for a temporary reason."""


@shared_task(
    bind=True,
    autoretry_for=(SourceStillUnavailable,),
    retry_backoff=60,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=4,
    soft_time_limit=600,
    time_limit=660,
)
def refresh_series(
    self: Task[Any, Any], source: str | None = None, series_ids: list[int] | None = None
) -> dict[str, int]:
    """Refresh one source's series (or the given ones); retry later only temporary failures.

    Sources are retried in place first (see claims.sources.http); this retries the whole
    refresh minutes later. Run eagerly (no broker) there is no "later": the failure stays
    recorded on the series for the next scheduled run.
    """
    from claims.series_services import series_refresh

    report = series_refresh(source=source, series_ids=series_ids)
    for outcome in report.outcomes:
        logger.info("refresh_series: %s", outcome.describe())
    if report.retryable and not self.request.is_eager:
        temporary = [o for o in report.failed if o.temporary]
        raise SourceStillUnavailable(
            f"{len(temporary)} series failed temporarily, first: {temporary[0].error}"
        )
    return {
        "series": len(report.outcomes),
        "failed": len(report.failed),
        "written": sum(o.counts.changed for o in report.outcomes),
    }


@shared_task(soft_time_limit=120, time_limit=150)
def attach_related_series(claim_id: int) -> int:
    """Suggest catalogue series for one claim; returns how many links were created."""
    from claims.matching import claim_attach_related_series
    from claims.models import Claim

    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        return 0
    return claim_attach_related_series(claim=claim)


@shared_task(soft_time_limit=600, time_limit=660)
def attach_related_series_all() -> int:
    """The scheduled sweep: suggest series for every claim still in play."""
    from claims.matching import claims_attach_related_series

    return claims_attach_related_series()


@shared_task(soft_time_limit=120, time_limit=150)
def evaluate_assertions(series_id: int) -> int:
    """Re-check the assertions of the claims linked to a series after it changed."""
    from claims.models import Series
    from claims.series_services import assertions_evaluate

    if not Series.objects.filter(pk=series_id).exists():
        return 0
    return assertions_evaluate(series_id=series_id)

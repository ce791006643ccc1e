"""Jobs on evidence links: check health, archive the text on first fetch, recheck weekly."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

import httpx
from celery import Task, shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from articles.extraction import extract_page
from claims.models import Evidence
from core.outbound import FetchResult, OutboundRefused, fetch

logger = logging.getLogger(__name__)

# Statuses worth asking again shortly; anything else is the link's answer until the next check.
TEMPORARY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
# A little under a week, so the weekly run catches links checked at the same time last week.
RECHECK_AFTER = dt.timedelta(days=6)
RECHECK_BATCH = 5000


class LinkTemporarilyUnavailable(Exception):
    """The server did not answer, or answered with a temporary error; worth retrying."""


def _record_health(
    evidence_id: int, *, status: int | None, ok: bool, error: str, checked_at: dt.datetime
) -> None:
    Evidence.objects.filter(pk=evidence_id).update(
        last_checked_at=checked_at, http_status=status, ok=ok, check_error=error[:500]
    )


def _fill_from_page(evidence: Evidence, result: FetchResult, checked_at: dt.datetime) -> None:
    page = extract_page(result)
    if page is None:
        return
    # Conditional updates: never overwrite what an editor typed, never archive twice (a job
    # that runs twice, or a weekly recheck, keeps the first copy).
    if page.title:
        Evidence.objects.filter(pk=evidence.pk, title="").update(title=page.title[:500])
    if page.publisher:
        Evidence.objects.filter(pk=evidence.pk, publisher="").update(publisher=page.publisher[:200])
    Evidence.objects.filter(pk=evidence.pk, archived_at__isnull=True).update(
        archived_text=page.text,
        archived_sha256=hashlib.sha256(page.text.encode("utf-8")).hexdigest(),
        archived_at=checked_at,
    )


@shared_task(
    bind=True,
    autoretry_for=(LinkTemporarilyUnavailable,),
    retry_backoff=120,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def check_evidence_link(self: Task[Any, Any], evidence_id: int) -> str:
    """Fetch an evidence link through the SSRF guard and record what happened.

    Returns a short outcome ("ok", "broken", "refused", "gone"). Network trouble and 5xx/429
    answers are recorded, then retried with backoff; the weekly recheck covers the rest.
    """
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        return "gone"
    checked_at = timezone.now()
    try:
        result = fetch(
            evidence.url,
            max_bytes=settings.OUTBOUND_MAX_BYTES,
            timeout=settings.OUTBOUND_TIMEOUT,
        )
    except OutboundRefused as exc:
        _record_health(
            evidence_id, status=None, ok=False, error=f"refused: {exc}", checked_at=checked_at
        )
        return "refused"
    except httpx.HTTPError as exc:
        message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        _record_health(evidence_id, status=None, ok=False, error=message, checked_at=checked_at)
        if isinstance(exc, httpx.TooManyRedirects):
            return "broken"
        if self.request.is_eager:
            return "unavailable"  # see below
        raise LinkTemporarilyUnavailable(message) from exc

    ok = 200 <= result.status < 300
    error = "" if ok else f"HTTP {result.status}"
    _record_health(evidence_id, status=result.status, ok=ok, error=error, checked_at=checked_at)
    if ok:
        _fill_from_page(evidence, result, checked_at)
        return "ok"
    if result.status in TEMPORARY_STATUSES:
        # Without a broker the task runs inside the editor's request, where a retry would run at
        # once and keep the page waiting; the health is recorded and the weekly recheck (or the
        # "check now" action) tries again.
        if self.request.is_eager:
            return "unavailable"
        raise LinkTemporarilyUnavailable(error)
    return "broken"


@shared_task(soft_time_limit=300, time_limit=330)
def recheck_evidence_links(limit: int = RECHECK_BATCH) -> int:
    """Weekly: queue a check of every link not checked for a week (oldest first, in batches
    so one run never floods the queue). Returns how many were queued."""
    due = timezone.now() - RECHECK_AFTER
    ids = list(
        Evidence.objects.filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=due))
        .order_by("last_checked_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    for evidence_id in ids:
        check_evidence_link.delay(evidence_id)
    logger.info("queued %d evidence link checks", len(ids))
    return len(ids)

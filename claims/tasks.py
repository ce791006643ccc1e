"""Jobs on claims: thin callers of claims.services that take ids and are safe to run twice.

Task names are explicit and stable (a rename of a module never strands a queued message).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task

from claims.models import Claim
from claims.services.evidence import (
    evidence_checks_queue,
    evidence_checks_sweep,
    evidence_link_check,
    evidence_links_due,
)
from claims.services.series_links import assertions_evaluate
from claims.services.series_matching import (
    claim_attach_related_series,
    claims_attach_related_series,
)
from claims.services.similarity import claim_embed
from core.tasks import AssayTask

logger = logging.getLogger(__name__)


@shared_task(name="claims.tasks.attach_related_series", soft_time_limit=120, time_limit=150)
def attach_related_series(claim_id: int) -> int:
    """Suggest catalogue series for one claim; returns how many links were created."""
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        return 0
    return claim_attach_related_series(claim=claim)


@shared_task(name="claims.tasks.attach_related_series_all", soft_time_limit=600, time_limit=660)
def attach_related_series_all() -> int:
    """The scheduled sweep: suggest series for every claim still in play."""
    return claims_attach_related_series()


@shared_task(name="claims.tasks.evaluate_assertions", soft_time_limit=120, time_limit=150)
def evaluate_assertions(series_id: int) -> int:
    """Re-check the data assertions of the claims linked to a series after its data changed."""
    return assertions_evaluate(series_id=series_id)


@shared_task(
    name="claims.evidence_tasks.check_evidence_link",
    base=AssayTask,
    bind=True,
    retry_backoff=120,
    retry_backoff_max=3600,
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def check_evidence_link(self: Task[Any, Any], evidence_id: int) -> str:
    """Check an evidence link (health, title, archived copy); temporary failures retry."""
    return evidence_link_check(
        evidence_id=evidence_id,
        task_id=self.request.id or "",
        final=self.request.retries >= (self.max_retries or 0),
    )


@shared_task(name="claims.sweep_evidence_checks", soft_time_limit=60, time_limit=90)
def sweep_evidence_checks() -> int:
    """Beat: end the link checks whose worker was lost and whose message never came back."""
    return evidence_checks_sweep()


@shared_task(
    name="claims.evidence_tasks.recheck_evidence_links", soft_time_limit=300, time_limit=330
)
def recheck_evidence_links() -> int:
    """Weekly: queue a check of every link not checked for a week (in batches, so one run
    never floods the queue). Returns how many were queued."""
    queued = evidence_checks_queue(evidence_ids=evidence_links_due())
    logger.info("queued %d evidence link checks", queued)
    return queued


@shared_task(
    name="claims.tasks.embed_claim",
    base=AssayTask,
    bind=True,
    retry_backoff=60,
    retry_backoff_max=1800,
    max_retries=6,
    soft_time_limit=120,
    time_limit=150,
)
def embed_claim(self: Task[Any, Any], claim_id: int) -> str:
    """Embed a claim's quote and statement (if they changed) and suggest the claims it may be
    the same as. An encoder that cannot run retries later; the claim is saved all the same."""
    return claim_embed(claim_id=claim_id)

"""Writes on the links between claims and energy-data series: the matcher's suggestions,
editors confirming or rejecting them, and the data-check assertions a link can carry."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from claims.models import ClaimSeries
from core.tasks import enqueue_on_commit
from energy.models import Observation

if TYPE_CHECKING:
    from core.roles import AnyUser


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


def claims_attach_queue(*, claim_ids: Sequence[int]) -> int:
    """Queue the matcher for the given claims once the transaction commits."""
    for claim_id in claim_ids:
        enqueue_on_commit("claims.tasks.attach_related_series", claim_id)
    return len(claim_ids)


def claims_attach_all_queue() -> None:
    """Queue the matcher over every claim still in play, once the transaction commits."""
    enqueue_on_commit("claims.tasks.attach_related_series_all")


def claim_series_confirm(*, links: Iterable[ClaimSeries], by: AnyUser) -> int:
    """Confirm matcher-suggested series links; returns how many changed."""
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for link in links:
            if link.status == ClaimSeries.Status.CONFIRMED and link.confirmed_by_id is not None:
                continue
            link.status = ClaimSeries.Status.CONFIRMED
            link.confirmed_by = by if by.is_authenticated else None
            link.confirmed_at = now
            link.assertion_drifted = False
            link.save(
                update_fields=[
                    "status",
                    "confirmed_by",
                    "confirmed_at",
                    "assertion_drifted",
                    "updated_at",
                ]
            )
            count += 1
    return count


def claim_series_reject(*, links: Iterable[ClaimSeries], by: AnyUser) -> int:
    """Mark series links as not relevant; kept so the matcher does not suggest them again."""
    count = 0
    with transaction.atomic():
        for link in links:
            if link.status == ClaimSeries.Status.REJECTED:
                continue
            link.status = ClaimSeries.Status.REJECTED
            link.save(update_fields=["status", "updated_at"])
            count += 1
    return count

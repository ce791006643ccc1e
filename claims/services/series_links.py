"""Writes on the links between claims and energy-data series: the matcher's suggestions,
editors confirming or rejecting them, and the data-check assertions a link can carry."""

from __future__ import annotations

import datetime as dt
import enum
import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import AssertionResultChange, Claim, ClaimSeries
from claims.services.followers import claim_followers_notify
from core.roles import require_editor
from core.tasks import enqueue_on_commit
from energy.models import Observation, Series
from notifications.models import Kind

if TYPE_CHECKING:
    from core.roles import AnyUser


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ClaimSeries.Operator.GTE: operator.ge,
    ClaimSeries.Operator.GT: operator.gt,
    ClaimSeries.Operator.LTE: operator.le,
    ClaimSeries.Operator.LT: operator.lt,
}


def _evaluate(link: ClaimSeries, now: dt.datetime) -> bool:
    """Recompute one link's assertion; returns whether its result changed."""
    assert link.assertion_threshold is not None
    observations = Observation.objects.filter(series_id=link.series_id)
    if link.assertion_period_start:
        observations = observations.filter(period__gte=link.assertion_period_start)
    if link.assertion_period_end:
        observations = observations.filter(period__lte=link.assertion_period_end)
    bounds = observations.aggregate(low=Min("value"), high=Max("value"))
    if bounds["low"] is None:
        result, value = ClaimSeries.Result.NO_DATA, None
    else:
        lower_bound = link.assertion_operator in (ClaimSeries.Operator.GTE, ClaimSeries.Operator.GT)
        value = bounds["low"] if lower_bound else bounds["high"]
        holds = _COMPARE[link.assertion_operator](value, link.assertion_threshold)
        result = ClaimSeries.Result.HOLDS if holds else ClaimSeries.Result.FAILS
    drifted = link.assertion_drifted or (
        bool(link.assertion_result) and link.assertion_result != result
    )
    changed = result != link.assertion_result
    turned = (
        bool(link.assertion_result)
        and changed
        and ClaimSeries.Result.NO_DATA
        not in (
            result,
            link.assertion_result,
        )
    )
    if changed:
        latest = Observation.objects.filter(series_id=link.series_id).aggregate(p=Max("period"))
        AssertionResultChange.objects.create(
            link=link, result=result, value=value, data_through=latest["p"], checked_at=now
        )
    ClaimSeries.objects.filter(pk=link.pk).update(
        assertion_result=result,
        assertion_value=value,
        assertion_checked_at=now,
        assertion_drifted=drifted,
    )
    link.assertion_result, link.assertion_value = result, value
    link.assertion_checked_at, link.assertion_drifted = now, drifted
    if turned and Claim.objects.public().filter(pk=link.claim_id).exists():
        # it held and no longer does, or the other way round: the claim's followers hear it
        claim_followers_notify(
            claim=link.claim,
            kind=Kind.DATA_CHECK,
            key=f"data-check:{link.pk}:{result}:{now.isoformat()}",
            params={"holds": result == ClaimSeries.Result.HOLDS, "series": link.series.title},
        )
    return changed


def assertions_evaluate(*, series_id: int) -> int:
    """Recompute every assertion on the series after its data changed; returns how many links
    changed result (a change after an editor confirmed the link is flagged as drift).

    An assertion holds when every observation in its period passes the comparison; the value
    recorded is the one nearest to failing (the minimum for ≥/>, the maximum for ≤/<).
    """
    now = timezone.now()
    links = (
        ClaimSeries.objects.filter(series_id=series_id)
        .exclude(assertion_operator="")
        .exclude(assertion_threshold=None)
    )
    return sum(_evaluate(link, now) for link in links)


def claims_attach_queue(*, claim_ids: Sequence[int]) -> int:
    """Queue the matcher for the given claims once the transaction commits."""
    for claim_id in claim_ids:
        enqueue_on_commit("claims.tasks.attach_related_series", claim_id)
    return len(claim_ids)


def claims_attach_all_queue() -> None:
    """Queue the matcher over every claim still in play, once the transaction commits."""
    enqueue_on_commit("claims.tasks.attach_related_series_all")


def claim_series_confirm(*, links: Iterable[ClaimSeries], by: AnyUser | None) -> int:
    """Confirm matcher-suggested series links, recording who and when; returns how many
    changed."""
    require_editor(by)
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for link in links:
            if link.status == ClaimSeries.Status.CONFIRMED and link.confirmed_by_id is not None:
                continue
            link.status = ClaimSeries.Status.CONFIRMED
            link.confirmed_by = by if by is not None and by.is_authenticated else None
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


def claim_series_reject(*, links: Iterable[ClaimSeries], by: AnyUser | None) -> int:
    """Mark series links as not relevant; kept so the matcher does not suggest them again."""
    require_editor(by)
    count = 0
    with transaction.atomic():
        for link in links:
            if link.status == ClaimSeries.Status.REJECTED:
                continue
            link.status = ClaimSeries.Status.REJECTED
            link.save(update_fields=["status", "updated_at"])
            count += 1
    return count


@dataclass(frozen=True)
class Assertion:
    """What a link's data check says: the series' values over [period_start, period_end]
    compared with `threshold` by `operator` (gte, gt, lte, lt)."""

    operator: str
    threshold: float
    period_start: dt.date | None = None
    period_end: dt.date | None = None


def assertion_check(assertion: Assertion | None) -> None:
    """Refuse an assertion that cannot be evaluated, in words an editor can act on."""
    if assertion is None:
        return
    errors: dict[str, str] = {}
    if assertion.operator not in ClaimSeries.Operator.values:
        errors["assertion_operator"] = _("Choose a comparison: ≥, >, ≤ or <.")
    if not math.isfinite(assertion.threshold):
        errors["assertion_threshold"] = _("The threshold must be a number.")
    if (
        assertion.period_start
        and assertion.period_end
        and assertion.period_start > assertion.period_end
    ):
        errors["assertion_period_end"] = _("The period ends before it starts.")
    if errors:
        raise ValidationError(errors, code="invalid_assertion")


def claim_series_add(
    *,
    claim: Claim,
    series: Series,
    by: AnyUser | None,
    note: str = "",
    assertion: Assertion | None = None,
) -> ClaimSeries:
    """An editor links a claim to a series (confirmed, by them), optionally with a data check,
    evaluated at once. A link the matcher had suggested becomes this confirmed one."""
    require_editor(by)
    assertion_check(assertion)
    with transaction.atomic():
        link, _created = ClaimSeries.objects.select_for_update().get_or_create(
            claim=claim,
            series=series,
            defaults={"origin": ClaimSeries.Origin.EDITOR, "status": ClaimSeries.Status.SUGGESTED},
        )
        claim_series_confirm(links=[link], by=by)
        return claim_series_update(
            link=link, by=by, note=note, assertion=assertion or UNCHANGED_ASSERTION
        )


class _Unchanged(enum.Enum):
    TOKEN = 0


# "leave the assertion as it is" (None removes it)
UNCHANGED_ASSERTION = _Unchanged.TOKEN


def claim_series_update(
    *,
    link: ClaimSeries,
    by: AnyUser | None,
    status: str | None = None,
    note: str | None = None,
    assertion: Assertion | _Unchanged | None = UNCHANGED_ASSERTION,
) -> ClaimSeries:
    """Change a link as an editor: its status (through confirm or reject, which record who and
    when), its note, or its data check (None removes it). A new or changed check is evaluated
    at once, not at the next change of the data."""
    require_editor(by)
    if not isinstance(assertion, _Unchanged):
        assertion_check(assertion)
    with transaction.atomic():
        if status == ClaimSeries.Status.CONFIRMED:
            claim_series_confirm(links=[link], by=by)
        elif status == ClaimSeries.Status.REJECTED:
            claim_series_reject(links=[link], by=by)
        elif status is not None and status != link.status:
            raise ValidationError({"status": _("A link is confirmed or rejected.")}, code="status")
        fields: list[str] = []
        if note is not None and note.strip() != link.note:
            link.note = note.strip()
            fields.append("note")
        evaluate = False
        if not isinstance(assertion, _Unchanged):
            wanted = (
                (
                    assertion.operator,
                    assertion.threshold,
                    assertion.period_start,
                    assertion.period_end,
                )
                if assertion is not None
                else ("", None, None, None)
            )
            current = (
                link.assertion_operator,
                link.assertion_threshold,
                link.assertion_period_start,
                link.assertion_period_end,
            )
            if wanted != current:
                (
                    link.assertion_operator,
                    link.assertion_threshold,
                    link.assertion_period_start,
                    link.assertion_period_end,
                ) = wanted
                # a new rule starts a new history: it has not drifted from anything yet
                AssertionResultChange.objects.filter(link=link).delete()
                link.assertion_result, link.assertion_value = "", None
                link.assertion_checked_at, link.assertion_drifted = None, False
                fields += [
                    "assertion_operator",
                    "assertion_threshold",
                    "assertion_period_start",
                    "assertion_period_end",
                    "assertion_result",
                    "assertion_value",
                    "assertion_checked_at",
                    "assertion_drifted",
                ]
                evaluate = assertion is not None
        if fields:
            link.save(update_fields=[*fields, "updated_at"])
        if evaluate:
            _evaluate(link, timezone.now())
    return link


def claim_series_delete(*, link: ClaimSeries, by: AnyUser | None) -> None:
    """Remove a link an editor added by mistake. A suggestion is rejected instead (so the
    matcher does not suggest it again): use claim_series_reject."""
    require_editor(by)
    with transaction.atomic():
        link.delete()

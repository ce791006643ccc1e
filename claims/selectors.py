"""Reads of claims and evidence shared by the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from claims.models import (
    AssertionResultChange,
    Claim,
    ClaimSeries,
    Evidence,
    verdict_choices,
)
from core.i18n import tags_of
from core.roles import user_sees_drafts

if TYPE_CHECKING:
    from core.roles import AnyUser

SHOWN_SERIES_STATUSES = (ClaimSeries.Status.CONFIRMED, ClaimSeries.Status.SUGGESTED)
STANCE_ORDER = (Evidence.Stance.SUPPORTS, Evidence.Stance.REFUTES, Evidence.Stance.CONTEXT)
VERDICT_FIELDS = ("verdict", "verdict_summary", "verdict_as_of", "status")
CHANGELOG_LIMIT = 50


def confirmed_first() -> Case:
    """Series links an editor confirmed before those only suggested (ordering by the status
    name, descending, put "suggested" first)."""
    return Case(When(status=ClaimSeries.Status.CONFIRMED, then=Value(0)), default=Value(1))


def evidence_count() -> Coalesce:
    counts = (
        Evidence.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def verdict_is_public(*, claim: Claim, user: AnyUser | None) -> bool:
    """A verdict reaches readers only once the claim is published."""
    return claim.status == Claim.Status.PUBLISHED or user_sees_drafts(user)


def withhold_verdicts(claims: list[Claim], user: AnyUser) -> None:
    """Blank the verdict of unpublished claims on these in-memory instances (never saved),
    so no page can show what the reader may not see yet. One query at most (the reader's
    groups), and none when every claim is published."""
    unpublished = [c for c in claims if c.status != Claim.Status.PUBLISHED]
    if not unpublished or user_sees_drafts(user):
        return
    for claim in unpublished:
        claim.verdict = ""
        claim.verdict_summary = ""
        claim.verdict_as_of = None
        claim.verdict_withheld = True  # type: ignore[attr-defined]


def claim_for_page(*, pk: int, user: AnyUser) -> Claim | None:
    """One claim with its article, tags (`tag_list`, with their labels), evidence and the
    series shown with it (confirmed links first, then suggested ones; their data comes from
    series_points): a fixed number of queries.
    Readers get no verdict on a claim that is not published yet."""
    series_links = Prefetch(
        "series_links",
        queryset=ClaimSeries.objects.filter(status__in=SHOWN_SERIES_STATUSES)
        .select_related("series")
        .order_by(confirmed_first(), "-match_score", "id"),
    )
    claim = (
        Claim.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("article", "reviewer")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("stance", "-created_at", "id")),
            series_links,
        )
        .first()
    )
    if claim is not None:
        claim.tag_list = tags_of(claim)  # type: ignore[attr-defined]
        withhold_verdicts([claim], user)
    return claim


def data_check_changes(*, links: list[ClaimSeries]) -> dict[int, list[AssertionResultChange]]:
    """The result history of each link's data check, oldest first: one query, none when no
    link carries a check."""
    checked = [link.pk for link in links if link.assertion_operator]
    history: dict[int, list[AssertionResultChange]] = {pk: [] for pk in checked}
    if checked:
        for change in AssertionResultChange.objects.filter(link_id__in=checked):
            history[change.link_id].append(change)
    return history


@dataclass
class EvidenceGroup:
    stance: str
    label: str
    items: list[Evidence] = field(default_factory=list)


def evidence_by_stance(*, claim: Claim) -> list[EvidenceGroup]:
    """The prefetched evidence grouped by stance, supports first; empty groups left out."""
    groups = {stance: EvidenceGroup(stance.value, str(stance.label)) for stance in STANCE_ORDER}
    for item in claim.evidence.all():
        groups[Evidence.Stance(item.stance)].items.append(item)
    return [group for group in groups.values() if group.items]


@dataclass
class VerdictChange:
    changed_at: Any
    verdict: str
    verdict_label: str
    verdict_summary: str
    verdict_as_of: Any
    reason: str


def verdict_changelog(*, claim: Claim) -> list[VerdictChange]:
    """The public changelog: each recorded change of the verdict, newest first (one query).

    History records every save; only those that changed what a reader sees of the verdict
    are kept."""
    newest_first = claim.history.order_by("-history_date", "-history_id").values(
        "history_date", "history_change_reason", *VERDICT_FIELDS
    )[: CHANGELOG_LIMIT * 4]
    records = list(reversed(list(newest_first)))
    labels = dict(verdict_choices())
    changes: list[VerdictChange] = []
    previous: dict[str, Any] | None = None
    for record in records:
        seen = tuple(record[name] for name in VERDICT_FIELDS[:3])
        before = tuple(previous[name] for name in VERDICT_FIELDS[:3]) if previous else None
        previous = record
        if seen == before or not record["verdict"]:
            continue
        changes.append(
            VerdictChange(
                changed_at=record["history_date"],
                verdict=record["verdict"],
                verdict_label=labels.get(record["verdict"], record["verdict"]),
                verdict_summary=record["verdict_summary"],
                verdict_as_of=record["verdict_as_of"],
                reason=record["history_change_reason"] or "",
            )
        )
    changes.reverse()
    return changes[:CHANGELOG_LIMIT]


def claim_list_with_links(*, user: AnyUser) -> QuerySet[Claim]:
    """Claims with their tags, evidence and shown series links for the API and exports:
    four queries for a page of any size."""
    return (
        Claim.objects.visible_to(user)
        .select_related("article")
        .prefetch_related(
            Prefetch("tags", to_attr="tag_list"),  # a plain list: see TagListField
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("added_by").order_by("stance", "id"),
            ),
            Prefetch(
                "series_links",
                queryset=ClaimSeries.objects.filter(status__in=SHOWN_SERIES_STATUSES)
                .select_related("series")
                .order_by(confirmed_first(), "-match_score", "id"),
            ),
        )
    )


def evidence_list(*, user: AnyUser) -> QuerySet[Evidence]:
    """Evidence on the claims a reader may see."""
    return Evidence.objects.filter(
        claim__in=Claim.objects.visible_to(user).values("pk")
    ).select_related("added_by")


def evidence_for_archive(*, pk: int, user: AnyUser) -> Evidence | None:
    """An evidence link with its archived copy, on a claim this user may see."""
    return (
        evidence_list(user=user)
        .select_related("claim__article")
        .filter(pk=pk, archived_at__isnull=False)
        .first()
    )


def claim_for_review(*, pk: int) -> Claim | None:
    """A published claim on a published article, for its ClaimReview."""
    return (
        Claim.objects.public()
        .filter(pk=pk, status=Claim.Status.PUBLISHED)
        .select_related("article")
        .first()
    )

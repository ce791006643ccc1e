"""Reads that compose several apps for the reader's pages (the article page's claims, with
their evidence and comment counts), each with a fixed number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from articles.models import Article
from claims.models import Claim
from claims.selectors import evidence_count, withhold_verdicts
from discussions.models import Comment

if TYPE_CHECKING:
    from core.roles import AnyUser


def _comment_count() -> Coalesce:
    counts = (
        Comment.objects.filter(claim=OuterRef("pk"), status=Comment.Status.VISIBLE)
        .order_by()
        .values("claim")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def _checked_elsewhere() -> Exists:
    """Another claim of the claim's family has a published verdict (false without a family)."""
    return Exists(
        Claim.objects.public()
        .filter(family_id=OuterRef("family_id"), status=Claim.Status.PUBLISHED)
        .exclude(verdict="")
        .exclude(pk=OuterRef("pk"))
    )


def claims_for_article(*, article: Article, user: AnyUser) -> list[Claim]:
    """The article's claims a reader may see, in text order, numbered from 1 (`claim.number`),
    with tags (and their labels), an evidence count, a comment count and whether the same
    claim has a published verdict elsewhere (`checked_elsewhere`): three queries whatever
    their number.
    Readers get no verdict on a claim that is not published yet."""
    claims = list(
        Claim.objects.visible_to(user)
        .filter(article=article)
        .exclude(status__in=[Claim.Status.SUGGESTED, Claim.Status.REJECTED])
        .annotate(
            evidence_count=evidence_count(),
            comment_count=_comment_count(),
            checked_elsewhere=_checked_elsewhere(),
        )
        # into a plain list: prefetching into taggit's manager builds a queryset per claim
        # with their readers' labels, one more query for all of them
        .prefetch_related(Prefetch("tags", to_attr="tag_list"), "tag_list__label")  # type: ignore[misc]  # the stubs do not follow to_attr
        .order_by("start", "end", "id")
    )
    for number, claim in enumerate(claims, start=1):
        claim.number = number  # type: ignore[attr-defined]
    withhold_verdicts(claims, user)
    return claims

"""Keep claims anchored to the article text when the text is edited.

Each claim is looked for by its quote: the exact text nearest to where the edit moved its old
position, else the closest similar span (difflib) — the aligned new version of the old span,
or a sentence of the new text. A claim found nowhere is marked `lost` for an editor to
review; it is never deleted, and keeps its quote (so a later edit that restores the text
anchors it again). Its offsets are parked just past the end of the body: the database still
sees a span of the quote's length (end = start + len(quote)), and no page highlights text the
claim does not quote.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone

from claims.anchoring import Anchor, OffsetMap, ReanchorReport, find_anchor, sentence_spans
from claims.models import Claim
from claims.services.series_links import claims_attach_queue
from claims.services.similarity import claims_embed_queue

if TYPE_CHECKING:
    from articles.models import Article
    from core.roles import AnyUser


def claims_reanchor(
    *,
    article: Article,
    old_body: str,
    by: AnyUser | None = None,
) -> ReanchorReport:
    """Re-anchor every claim of the article after its body changed from `old_body`.

    Runs in the caller's transaction (editorial's article_update holds the article's row
    lock). A claim found nowhere is marked `lost` for an editor to review, never deleted.
    """
    new_body = article.body
    claims = list(Claim.objects.filter(article=article).order_by("start", "id"))
    report = ReanchorReport()
    if not claims:
        return report
    offsets = OffsetMap(old_body, new_body)

    @functools.cache
    def sentences() -> list[tuple[int, int]]:
        # split only if some claim needs the close-match search (pysbd is the slow part)
        return sentence_spans(new_body, article.language)

    taken: set[tuple[int, int]] = set()
    final: dict[int, Anchor] = {}
    # Claims whose text did not move keep their span first, so nothing can take it from them.
    for claim in claims:
        if (
            claim.anchor_status != Claim.Anchor.LOST
            and new_body[claim.start : claim.end] == claim.quote
        ):
            mapped, kept = offsets.map(claim.start)
            if kept and mapped == claim.start:
                final[claim.pk] = Anchor(claim.start, claim.end, claim.quote, claim.anchor_status)
                taken.add((claim.start, claim.end))
    for claim in claims:
        if claim.pk in final:
            continue
        anchor = find_anchor(
            quote=claim.quote,
            # a lost claim's offsets mean nothing any more: look from the start
            old_start=0 if claim.anchor_status == Claim.Anchor.LOST else claim.start,
            new_body=new_body,
            offsets=None if claim.anchor_status == Claim.Anchor.LOST else offsets,
            language=article.language,
            taken=taken,
            sentences=sentences,
        )
        if anchor is not None:
            final[claim.pk] = anchor
            taken.add((anchor.start, anchor.end))
    # Lost claims are parked one after another past the end of the text.
    park = len(new_body) + 1
    for claim in claims:
        if claim.pk not in final:
            final[claim.pk] = Anchor(park, park + len(claim.quote), claim.quote, Claim.Anchor.LOST)
            park += 1

    changed = [
        claim
        for claim in claims
        if (claim.start, claim.end, claim.quote, claim.anchor_status)
        != (
            final[claim.pk].start,
            final[claim.pk].end,
            final[claim.pk].quote,
            final[claim.pk].status,
        )
    ]
    report.unchanged = len(claims) - len(changed)
    if not changed:
        return report
    # Spans are unique per article and checked row by row: first move every changing claim
    # out of the way (past both texts), then write the final spans.
    shift = len(old_body) + len(new_body) + len(claims) + 2
    Claim.objects.filter(pk__in=[c.pk for c in changed]).update(
        start=F("start") + shift, end=F("end") + shift
    )
    now = timezone.now()
    for claim in changed:
        anchor = final[claim.pk]
        claim.start, claim.end, claim.quote = anchor.start, anchor.end, anchor.quote
        claim.anchor_status = anchor.status
        claim._history_user = by if by is not None and by.is_authenticated else None  # type: ignore[attr-defined]
        if anchor.status == Claim.Anchor.LOST:
            reason, bucket = (
                "Quote not found after an edit of the article: needs review",
                report.lost,
            )
        elif anchor.status == Claim.Anchor.FUZZY:
            reason, bucket = (
                "Re-anchored to a close match after an edit of the article",
                report.fuzzy,
            )
        else:
            reason, bucket = "Re-anchored after an edit of the article", report.moved
        claim._change_reason = reason  # type: ignore[attr-defined]
        claim.updated_at = now
        claim.save(update_fields=["start", "end", "quote", "anchor_status", "updated_at"])
        bucket.append(claim)
    if report.fuzzy:
        # their quoted text changed: the data series that fit them may have changed too, and
        # so may the claims they are like
        claims_attach_queue(claim_ids=[claim.pk for claim in report.fuzzy])
        claims_embed_queue(claim_ids=[claim.pk for claim in report.fuzzy])
    return report

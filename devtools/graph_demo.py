"""The demo's claim graph: a short English article of the demo's own that repeats three of the
seed's claims in other words, confirmed as the same claims by an editor, with the French
verdicts carried over; then every demo claim embedded and its same-claim candidates suggested.

Idempotent: a second run finds the article, its claims, the links and the verdicts, and writes
nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from articles.models import Article
from claims.models import Claim
from claims.services import (
    claim_create,
    claim_link_confirm,
    claim_links_suggest,
    claim_publish,
    claims_embed,
    family_verdict_apply,
)
from claims.similarity.embedder import EmbedderUnavailable
from editorial.services.articles import article_create

ENGLISH_SLUG = "ai-power-grid-bottleneck"
ENGLISH_TITLE = "AI's real bottleneck is the power grid"
ENGLISH_PUBLISHED = dt.datetime(2025, 12, 12, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class EnglishClaim:
    quote: str
    # the start of the seed claim's quote it repeats
    seed_quote: str
    tags: tuple[str, ...]


ENGLISH_CLAIMS = (
    EnglishClaim(
        quote="AI data centres now burn through power faster than anything the grid has seen.",
        seed_quote="Huang pousse fortement pour l’intégration du nucléaire",
        tags=("energy", "data centres"),
    ),
    EnglishClaim(
        quote="Wind and solar on their own cannot power AI at that scale.",
        seed_quote="Les énergies renouvelables traditionnelles ne suffiront pas",
        tags=("energy", "renewables"),
    ),
    EnglishClaim(
        quote=(
            "Without nuclear plants, the grid could buckle under the load, or power bills could "
            "ruin the companies that run these sites."
        ),
        seed_quote="Le nucléaire est peut-être la seule voie",
        tags=("energy", "nuclear"),
    ),
)
ENGLISH_BODY = (
    "Chip export rules make the headlines, but the constraint AI companies feel first is "
    "electricity. "
    + ENGLISH_CLAIMS[0].quote
    + " Utilities are being asked for gigawatts at a time, for sites that did not exist two "
    "years ago. "
    + ENGLISH_CLAIMS[1].quote
    + " "
    + ENGLISH_CLAIMS[2].quote
    + " That is why the largest cloud companies now sign contracts with reactor operators "
    "instead of only buying wind and solar."
)
REASON = "Demo: the English post repeats the French post's claim"


def graph_seed_demo(*, seed_claims: list[Claim], editor: User) -> Article:
    """The English article and its family links with the seed article's claims."""
    article = Article.objects.filter(slug=ENGLISH_SLUG).first()
    if article is None:
        article = article_create(
            title=ENGLISH_TITLE,
            body=ENGLISH_BODY,
            language="en",
            source_name="Assay demo",
            original_author="Assay demo",
            published_at=ENGLISH_PUBLISHED,
            status=Article.Status.PUBLISHED,
            tags=["energy", "data centres", "nuclear"],
            created_by=editor,
            slug=ENGLISH_SLUG,
        )
    by_quote = {claim.quote: claim for claim in Claim.objects.filter(article=article)}
    for spec in ENGLISH_CLAIMS:
        claim = by_quote.get(spec.quote)
        if claim is None:
            claim = claim_create(
                article=article, quote=spec.quote, tags=spec.tags, by=editor, reason=REASON
            )
        seed = next(c for c in seed_claims if c.quote.startswith(spec.seed_quote))
        claim_link_confirm(claim=claim, other=seed, by=editor)
        claim.refresh_from_db()
        seed.refresh_from_db()
        if seed.status == Claim.Status.PUBLISHED and seed.verdict:
            family_verdict_apply(source=seed, targets=[claim], by=editor, reason=REASON)
            claim.refresh_from_db()
            if claim.status != Claim.Status.PUBLISHED:
                claim_publish(claim=claim, by=editor, reason=REASON)
    if article.published_at is None:
        Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
    return article


def graph_index_demo(*, claims: list[Claim]) -> bool:
    """Embed the demo's claims (a no-op for those embedded already) and suggest same-claim
    links among them. False when the encoder cannot run here (the demo goes on without)."""
    try:
        claims_embed(claims=claims)
    except EmbedderUnavailable:
        return False
    for claim in Claim.objects.filter(pk__in=[c.pk for c in claims]).select_related(
        "article", "embedding"
    ):
        if claim.status != Claim.Status.REJECTED:
            claim_links_suggest(claim=claim)
    return True

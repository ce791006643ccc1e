"""Claims for the similarity tests: made through the services, so they are embedded by the
job (run eagerly) as in production."""

from __future__ import annotations

from typing import Any

from articles.models import Article
from claims.models import Claim
from claims.services import claim_create, claims_embed, claims_index_touch
from tests.factories import ArticleFactory


def claim_on_article(
    text: str,
    *,
    language: str = "en",
    statement: str = "",
    status: str = Claim.Status.PUBLISHED,
    article_status: str = Article.Status.PUBLISHED,
    title: str = "",
    **article: Any,
) -> Claim:
    """A one-sentence article holding one claim, embedded."""
    owner = ArticleFactory(
        body=text,
        language=language,
        status=article_status,
        **({"title": title} if title else {}),
        **article,
    )
    claim = claim_create(article=owner, quote=text, statement=statement, status="accepted")
    if status != claim.status:
        Claim.objects.filter(pk=claim.pk).update(status=status)
        claim.refresh_from_db()
    claims_embed(claims=[claim])
    # the status was written around the services (and the embedding job may have run first)
    claims_index_touch(claim_ids=[claim.pk])
    return claim

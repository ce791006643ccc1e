"""Writing suggested claims: the check-worthy sentences of an article become suggested claims,
anchored to their exact span and tagged from the topic lexicon (editorial.suggestion scores)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from articles.models import Article
from claims.models import Claim
from claims.services import claim_create
from editorial.suggestion import DEFAULT_THRESHOLD, load_lexicon, suggest_for_text

if TYPE_CHECKING:
    from core.roles import AnyUser


@dataclass
class SuggestResult:
    created: list[Claim] = field(default_factory=list)
    existing: int = 0
    considered: int = 0


def article_suggest_claims(
    *,
    article: Article,
    by: AnyUser | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> SuggestResult:
    """Store the article's check-worthy sentences as suggested claims, tagged from the lexicon.

    Idempotent: a sentence that overlaps any existing claim of the article (suggested, kept or
    rejected) is left alone, so running it again creates nothing and a rejected suggestion
    does not come back.
    """
    suggestions = suggest_for_text(
        article.body, article.language, lexicon=load_lexicon(), threshold=threshold
    )
    result = SuggestResult(considered=len(suggestions))
    with transaction.atomic():
        # Lock the article row so two runs at once cannot both create the same suggestions.
        Article.objects.select_for_update().filter(pk=article.pk).first()
        taken = list(Claim.objects.filter(article=article).values_list("start", "end"))
        for suggestion in suggestions:
            if any(s < suggestion.end and suggestion.start < e for s, e in taken):
                result.existing += 1
                continue
            claim = claim_create(
                article=article,
                quote=suggestion.quote,
                start=suggestion.start,
                end=suggestion.end,
                tags=suggestion.tags,
                status=Claim.Status.SUGGESTED,
                check_worthiness=suggestion.score,
                by=by,
                reason="Suggested: " + "; ".join(suggestion.reasons),
            )
            taken.append((claim.start, claim.end))
            result.created.append(claim)
    return result

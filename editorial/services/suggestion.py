"""Writing suggested claims: the check-worthy sentences of an article become suggested claims,
anchored to their exact span and tagged from the topic lexicon (editorial.suggestion scores)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from articles.models import Article
from claims.models import Claim
from claims.services import claim_create
from editorial.suggestion import RULES_AND_MODEL, load_lexicon, suggest_run

if TYPE_CHECKING:
    from core.roles import AnyUser


@dataclass
class SuggestResult:
    created: list[Claim] = field(default_factory=list)
    existing: int = 0
    considered: int = 0
    # the "why" of each created claim, in the order of `created`
    whys: list[str] = field(default_factory=list)
    # "rules + model", or "rules alone: <why the model did not run>"
    scorer: str = ""

    @property
    def learned(self) -> bool:
        return self.scorer == RULES_AND_MODEL


def article_suggest_claims(
    *,
    article: Article,
    by: AnyUser | None = None,
    threshold: float | None = None,
) -> SuggestResult:
    """Store the article's check-worthy sentences as suggested claims, tagged from the lexicon,
    each with its "why" (rules that fired, model probability, combined score) as the history's
    change reason. `threshold` overrides the scorer's own (editorial.suggestion.suggest_run).

    Idempotent: a sentence that overlaps any existing claim of the article (suggested, kept or
    rejected) is left alone, so running it again creates nothing and a rejected suggestion
    does not come back.
    """
    run = suggest_run(article.body, article.language, lexicon=load_lexicon(), threshold=threshold)
    suggestions = run.suggestions
    result = SuggestResult(considered=len(suggestions), scorer=run.scorer)
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
                reason="Suggested: " + suggestion.why,
            )
            taken.append((claim.start, claim.end))
            result.created.append(claim)
            result.whys.append(suggestion.why)
    return result

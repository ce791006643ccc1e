"""Turning a reader's check request into a claim: on an article that holds the sentence, or as
a standalone claim on a short article of its own that names where the sentence came from.

The request keeps its requesters and points at the claim (CheckRequest.claim): they are the
readers to tell when the claim is published (see claims.services.claims.claim_publish).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Language
from claims.models import CheckRequest, Claim
from claims.services import claim_create
from core.roles import require_editor
from editorial.importers import title_from_body
from editorial.services.articles import article_create

if TYPE_CHECKING:
    from core.roles import AnyUser

STANDALONE_SOURCE = "Check request"


def check_request_convert(
    *,
    request: CheckRequest,
    by: AnyUser | None,
    article: Article | None = None,
    quote: str = "",
    statement: str = "",
    source_url: str = "",
    language: str = "",
    title: str = "",
) -> Claim:
    """Make the claim a check request asks about (editors).

    With `article`, the claim quotes `quote` (by default the request's text), which must occur
    once in the article. Without, a standalone claim: a published one-sentence article holding
    the quote, with `source_url` (by default the first link a requester gave) as its source.
    The claim starts accepted, like a span an editor marks."""
    require_editor(by)
    if request.status != CheckRequest.Status.OPEN:
        raise ValidationError(
            _("This request is closed already (%(status)s).")
            % {"status": request.get_status_display()},
            code="closed",
        )
    quote = (quote or request.text).strip()
    reason = _("From a reader's check request (%(n)d requester(s))") % {
        "n": request.requester_count
    }
    with transaction.atomic():
        if article is None:
            link = source_url or next(
                (r.url for r in request.requesters.exclude(url="").order_by("created_at")), ""
            )
            language = language or request.language
            if language not in Language.values:
                raise ValidationError({"language": _("Unknown language.")}, code="language")
            article = article_create(
                title=title or title_from_body(quote),
                body=quote,
                language=language,
                source_url=link,
                source_name=STANDALONE_SOURCE,
                status=Article.Status.PUBLISHED,
                created_by=by,
            )
        claim = claim_create(
            article=article,
            quote=quote,
            statement=statement,
            status=Claim.Status.ACCEPTED,
            by=by,
            reason=reason,
        )
        updated = CheckRequest.objects.filter(
            pk=request.pk, status=CheckRequest.Status.OPEN
        ).update(
            status=CheckRequest.Status.CLAIMED,
            claim=claim,
            resolved_by=by if by is not None and by.is_authenticated else None,
            resolved_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if not updated:
            # another editor closed it meanwhile: undo this one
            raise ValidationError(_("This request was closed meanwhile."), code="closed")
    request.refresh_from_db()
    return claim

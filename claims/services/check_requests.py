"""Check requests: a reader asks for a sentence that nothing in the knowledge base matches to be
checked. Requests that say the same thing (the matcher's `same`) become one request with
several requesters, so editors see a repeated request once, with its count.

Turning a request into a claim is editorial work (it may create an article): see
editorial.services.check_requests. The requesters stay on the request, which points at its
claim: they are whom to tell when the claim is published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import CheckRequest, CheckRequester
from claims.similarity.embedder import EmbedderUnavailable, from_bytes, get_embedder, to_bytes
from claims.similarity.matching import Match, Side, Thresholds, compare
from claims.similarity.text import guess_language
from core.ratelimit import RateLimited, rate_limit_hit
from core.roles import require_editor

if TYPE_CHECKING:
    import numpy as np

    from core.roles import AnyUser

NOTE_MAX_LENGTH = 1000


def check_request_clean(*, text: str, url: str = "", note: str = "") -> tuple[str, str, str]:
    """The request as it will be stored, or a ValidationError naming each field at fault."""
    text = " ".join(text.split())
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write the sentence you want checked.")
    elif len(text) > settings.SIMILARITY_TEXT_MAX_LENGTH:
        errors["text"] = _("At most %(n)d characters.") % {"n": settings.SIMILARITY_TEXT_MAX_LENGTH}
    url = url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = _("Enter a link that starts with http:// or https://.")
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = _("At most %(n)d characters.") % {"n": NOTE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors, code="invalid")
    return text, url, note


def _same_open_request(text: str, language: str, vector: np.ndarray | None) -> CheckRequest | None:
    if vector is None:
        return CheckRequest.objects.filter(status=CheckRequest.Status.OPEN, text=text).first()
    side = Side.of([(text, language)], [vector])
    same = settings.SIMILARITY_SAME_THRESHOLD
    thresholds = Thresholds(same=same, related=min(settings.SIMILARITY_RELATED_THRESHOLD, same))
    best: tuple[float, CheckRequest] | None = None
    for request in CheckRequest.objects.filter(status=CheckRequest.Status.OPEN).exclude(
        vector=None
    ):
        other_vector = from_bytes(request.vector)
        if other_vector is None:
            continue
        other = Side.of([(request.text, request.language)], [other_vector])
        result = compare(side, other, thresholds)
        if result.match == Match.SAME and (best is None or result.score > best[0]):
            best = (result.score, request)
    return best[1] if best else None


def check_request_submit(
    *, by: AnyUser, text: str, url: str = "", note: str = "", language: str | None = None
) -> CheckRequest:
    """A signed-in reader asks for a sentence to be checked (rate-limited per reader:
    CHECK_REQUEST_RATE). The same request again, from anyone, joins the open request that says
    the same thing; a reader who asked already is counted once."""
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to ask for a check."))
    text, url, note = check_request_clean(text=text, url=url, note=note)
    wait = rate_limit_hit(scope="check_request", key=str(by.pk), rate=settings.CHECK_REQUEST_RATE)
    if wait is not None:
        raise RateLimited(wait, _("Too many check requests; try again in %(n)d s.") % {"n": wait})
    language = language or guess_language(text)
    try:
        vector: np.ndarray | None = get_embedder().encode([text])[0]
    except EmbedderUnavailable:
        # grouping is a convenience: without the encoder the request stands alone
        vector = None
    with transaction.atomic():
        request = _same_open_request(text, language, vector)
        if request is None:
            request = CheckRequest.objects.create(
                text=text,
                language=language,
                vector=to_bytes(vector) if vector is not None else None,
            )
        CheckRequester.objects.get_or_create(
            request=request, user=by, defaults={"text": text, "url": url, "note": note}
        )
        _count_requesters(request)
    return request


def _count_requesters(request: CheckRequest) -> None:
    count = CheckRequester.objects.filter(request=request).aggregate(n=Count("pk"))["n"]
    CheckRequest.objects.filter(pk=request.pk).update(
        requester_count=count, updated_at=timezone.now()
    )
    request.requester_count = count


def check_requests_dismiss(*, requests: list[CheckRequest], by: AnyUser | None) -> int:
    """Close open requests without a claim (off topic, not a claim, a duplicate)."""
    require_editor(by)
    reviewer = by if by is not None and by.is_authenticated else None
    return CheckRequest.objects.filter(
        pk__in=[r.pk for r in requests], status=CheckRequest.Status.OPEN
    ).update(
        status=CheckRequest.Status.DISMISSED,
        resolved_by=reviewer,
        resolved_at=timezone.now(),
        updated_at=timezone.now(),
    )

"""Writes on claims: creating them on a span of their article, editing, the status workflow
(accept, reject, publish) and verdicts.

Every change to a claim goes through `Claim.save()` so django-simple-history records who made
it, when and why (the change reason); the public changelog is read from that history.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from claims.models import Claim, verdict_keys
from claims.services.followers import check_requesters_notify, claim_followers_notify
from claims.services.series_links import claims_attach_queue
from claims.services.similarity import claims_embed_queue, claims_index_touch
from core.i18n import Texts, columns, languages, texts_by_language, texts_set
from core.roles import require_editor
from integrations.events import event_emit
from notifications.models import Kind

if TYPE_CHECKING:
    from django.contrib.auth.models import User as UserModel

    from core.roles import AnyUser


class _Unset(enum.Enum):
    TOKEN = 0


# "leave this field as it is", where None is a meaningful value (no assignee)
UNSET = _Unset.TOKEN

# Statuses from which each bulk transition may start; anything else is left alone and reported.
ACCEPTABLE_FROM = {Claim.Status.SUGGESTED, Claim.Status.REJECTED}
REJECTABLE_FROM = {Claim.Status.SUGGESTED, Claim.Status.ACCEPTED, Claim.Status.IN_REVIEW}
PUBLISHABLE_FROM = {Claim.Status.ACCEPTED, Claim.Status.IN_REVIEW, Claim.Status.PUBLISHED}


def _save_with_history(
    claim: Claim, *, by: AnyUser | None, reason: str, update_fields: Sequence[str] | None = None
) -> None:
    # simple-history reads these two attributes when it writes the historical row.
    claim._history_user = by if by is not None and by.is_authenticated else None  # type: ignore[attr-defined]
    claim._change_reason = reason  # type: ignore[attr-defined]
    if update_fields is not None:
        claim.save(update_fields=[*update_fields, "updated_at"])
    else:
        claim.save()


def _queue_series_matching(claim_ids: list[int]) -> None:
    """Kept claims, and claims whose wording or tags changed, are matched to data series by
    the energy-data matcher once the transaction commits."""
    if claim_ids:
        claims_attach_queue(claim_ids=claim_ids)


def _check_span(
    article: Article, *, quote: str, start: int | None, end: int | None
) -> tuple[int, int]:
    if not quote.strip():
        raise ValidationError({"quote": _("A claim needs the text it quotes.")}, code="empty")
    if start is None:
        found = quote_occurrences(article.body, quote)
        if not found:
            raise ValidationError(
                {"quote": _("The quote does not occur in the article text.")}, code="not_found"
            )
        if len(found) > 1:
            # never anchor silently to the first one: the caller must say which
            raise ValidationError(
                {
                    "start": _(
                        "The quote occurs %(n)d times in the article text (at offsets "
                        "%(offsets)s): give the start offset of the one you mean."
                    )
                    % {"n": len(found), "offsets": ", ".join(str(at) for at in found[:10])}
                },
                code="ambiguous_quote",
            )
        start = found[0]
    if end is None:
        end = start + len(quote)
    if start < 0 or end > len(article.body) or article.body[start:end] != quote:
        raise ValidationError(
            {"quote": _("The quote does not match the article text at the given offsets.")},
            code="mismatch",
        )
    return start, end


def quote_occurrences(body: str, quote: str) -> list[int]:
    """Every offset where `quote` starts in `body` (overlapping ones included)."""
    found: list[int] = []
    at = body.find(quote)
    while at >= 0 and quote:
        found.append(at)
        at = body.find(quote, at + 1)
    return found


def claim_create(
    *,
    article: Article,
    quote: str,
    start: int | None = None,
    end: int | None = None,
    statement: Texts = "",
    tags: Iterable[str] = (),
    status: str = Claim.Status.ACCEPTED,
    check_worthiness: float | None = None,
    by: AnyUser | None = None,
    reason: str = "",
) -> Claim:
    """Create a claim on an exact span of the article body.

    Without offsets, the quote must occur exactly once in the text. A quote that does not
    match the text, occurs several times without a start offset, or a span that already holds
    a claim, is refused with a ValidationError that says so. The statement is a string in the
    default language or {language: text} (core.i18n.Texts).
    """
    start, end = _check_span(article, quote=quote, start=start, end=end)
    if status not in Claim.Status.values:
        raise ValidationError({"status": _("Unknown status.")}, code="status")
    claim = Claim(
        article=article,
        quote=quote,
        start=start,
        end=end,
        status=status,
        check_worthiness=check_worthiness,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    texts_set(claim, "statement", statement)
    try:
        with transaction.atomic():
            _save_with_history(claim, by=by, reason=reason or _("Claim created"))
            tag_names = [t for t in tags if t]
            if tag_names:
                claim.tags.add(*tag_names)
            if status == Claim.Status.ACCEPTED:
                _queue_series_matching([claim.pk])
            claims_embed_queue(claim_ids=[claim.pk])
    except IntegrityError:
        raise ValidationError(
            _("This span of the article already holds a claim."), code="duplicate_span"
        ) from None
    return claim


def claim_update(
    *,
    claim: Claim,
    statement: Texts | None = None,
    tags: Iterable[str] | None = None,
    assignee: UserModel | _Unset | None = UNSET,
    by: AnyUser | None = None,
    reason: str = "",
) -> Claim:
    """Change the editor's wording (in the languages given), tags or assignee of a claim (not
    its span, not its verdict)."""
    fields: list[str] = []
    if statement is not None:
        fields += texts_set(claim, "statement", statement)
    if not isinstance(assignee, _Unset) and assignee != claim.assignee:
        claim.assignee = assignee
        fields.append("assignee")
    with transaction.atomic():
        if fields:
            _save_with_history(
                claim, by=by, reason=reason or _("Claim edited"), update_fields=fields
            )
        if tags is not None:
            tags = [t for t in tags if t]
            if sorted(tags) == sorted(claim.tags.names()):
                tags = None
            else:
                claim.tags.set(tags)
        reworded = any(name in fields for name in columns("statement"))
        if (tags is not None or reworded) and claim.status != Claim.Status.REJECTED:
            _queue_series_matching([claim.pk])
        if reworded:
            claims_embed_queue(claim_ids=[claim.pk])
    return claim


def claim_set_verdict(
    *,
    claim: Claim,
    verdict: str,
    summary: Texts,
    as_of: dt.date | None = None,
    by: AnyUser | None,
    reason: str,
) -> Claim:
    """Rate a claim on the configured scale (editors). The reason is kept in the public
    changelog. The summary is a string in the default language or {language: text}; a new
    verdict clears the summaries not given, which were written for the old one."""
    require_editor(by)
    errors: dict[str, str] = {}
    if verdict not in verdict_keys():
        errors["verdict"] = _("Unknown verdict; choose one of: %(keys)s.") % {
            "keys": ", ".join(verdict_keys())
        }
    summaries = {code: text.strip() for code, text in texts_by_language(summary).items()}
    if not any(summaries.values()):
        errors["verdict_summary"] = _("A verdict needs a summary.")
    if not reason.strip():
        errors["reason"] = _("Say why the verdict is set or changed.")
    if claim.status == Claim.Status.REJECTED:
        errors["status"] = _("A rejected claim cannot be rated; accept it first.")
    if errors:
        raise ValidationError(errors, code="invalid_verdict")
    previous_verdict = claim.verdict
    if verdict != previous_verdict:
        summaries = dict.fromkeys(languages(), "") | summaries
    claim.verdict = verdict
    texts_set(claim, "verdict_summary", summaries)
    claim.verdict_as_of = as_of or timezone.localdate()
    claim.reviewer = by if by is not None and by.is_authenticated else None
    fields = ["verdict", *columns("verdict_summary"), "verdict_as_of", "reviewer"]
    if claim.status in (Claim.Status.SUGGESTED, Claim.Status.ACCEPTED):
        claim.status = Claim.Status.IN_REVIEW
        fields.append("status")
    with transaction.atomic():
        _save_with_history(claim, by=by, reason=reason.strip(), update_fields=fields)
        if claim.status == Claim.Status.PUBLISHED and verdict != previous_verdict:
            _emit_if_public("claim.verdict_changed", claim, previous_verdict=previous_verdict)
    return claim


def claim_payload(claim: Claim) -> dict[str, object]:
    """What webhook subscribers get for a claim event: enough to act, with the API URL."""
    return {
        "claim": claim.pk,
        "article": claim.article_id,
        "status": claim.status,
        "verdict": claim.verdict,
        "verdict_as_of": claim.verdict_as_of.isoformat() if claim.verdict_as_of else None,
        "api_url": settings.SITE_URL + reverse("api:claim-detail", args=[claim.pk]),
    }


def _emit_if_public(event: str, claim: Claim, **extra: object) -> None:
    """Tell webhook subscribers and the claim's followers, only of what readers can already
    see."""
    if not Claim.objects.public().filter(pk=claim.pk).exists():
        return
    event_emit(event, {**claim_payload(claim), **extra})
    claim_followers_notify(
        claim=claim,
        kind=Kind.VERDICT,
        key=f"verdict:{claim.pk}:{claim.verdict}:{claim.verdict_as_of}",
        params={"verdict": claim.verdict, "changed": event == "claim.verdict_changed"},
    )


def claim_publish(*, claim: Claim, by: AnyUser | None, reason: str = "") -> Claim:
    """Make a rated claim public (editors). Refused without a verdict, a summary and a date."""
    require_editor(by)
    if claim.status not in PUBLISHABLE_FROM:
        raise ValidationError(
            _("Only an accepted claim can be published (this one is %(status)s).")
            % {"status": claim.get_status_display()},
            code="status",
        )
    if not (claim.verdict and claim.verdict_summary and claim.verdict_as_of):
        raise ValidationError(
            _("Set a verdict with a summary and a date before publishing."), code="no_verdict"
        )
    if claim.status == Claim.Status.PUBLISHED:
        return claim
    claim.status = Claim.Status.PUBLISHED
    claim.published_at = timezone.now()
    with transaction.atomic():
        _save_with_history(
            claim, by=by, reason=reason or _("Published"), update_fields=["status", "published_at"]
        )
        claims_index_touch(claim_ids=[claim.pk])
        _emit_if_public("claim.published", claim)
        # the readers who asked for this sentence to be checked
        check_requesters_notify(claim=claim, actor=by)
    return claim


def _bulk_transition(
    claims: Iterable[Claim],
    *,
    to: str,
    allowed_from: Collection[str],
    by: AnyUser | None,
    reason: str,
) -> tuple[list[Claim], list[Claim]]:
    changed: list[Claim] = []
    skipped: list[Claim] = []
    with transaction.atomic():
        for claim in claims:
            if claim.status == to:
                continue
            if claim.status not in allowed_from:
                skipped.append(claim)
                continue
            claim.status = to
            _save_with_history(claim, by=by, reason=reason, update_fields=["status"])
            changed.append(claim)
        # who may see each claim in similar-claim searches follows its status
        claims_index_touch(claim_ids=[claim.pk for claim in changed])
    return changed, skipped


def claims_accept(
    *, claims: Iterable[Claim], by: AnyUser | None, reason: str = ""
) -> tuple[list[Claim], list[Claim]]:
    """Accept suggested (or previously rejected) claims, then let the matcher look for data
    series on them (editors). Returns (accepted, skipped)."""
    require_editor(by)
    with transaction.atomic():
        accepted, skipped = _bulk_transition(
            claims,
            to=Claim.Status.ACCEPTED,
            allowed_from=ACCEPTABLE_FROM,
            by=by,
            reason=reason or _("Accepted"),
        )
        _queue_series_matching([claim.pk for claim in accepted])
    return accepted, skipped


def claims_reject(
    *, claims: Iterable[Claim], by: AnyUser | None, reason: str = ""
) -> tuple[list[Claim], list[Claim]]:
    """Reject claims not yet published (editors). Returns (rejected, skipped)."""
    require_editor(by)
    return _bulk_transition(
        claims,
        to=Claim.Status.REJECTED,
        allowed_from=REJECTABLE_FROM,
        by=by,
        reason=reason or _("Rejected"),
    )


# Where each status may be reached from, for the transitions an editor asks for directly
# (the admin's status field, the API's actions). A verdict moves a claim to "in review"
# itself (claim_set_verdict).
REVIEWABLE_FROM = {Claim.Status.SUGGESTED, Claim.Status.ACCEPTED}


def claim_status_check(*, claim: Claim, to: str) -> None:
    """Refuse, in words an editor can act on, a status change the workflow does not allow.
    The admin form calls it to show the error on the field; the services call it first."""
    if to == claim.status:
        return
    allowed = {
        Claim.Status.ACCEPTED: ACCEPTABLE_FROM,
        Claim.Status.REJECTED: REJECTABLE_FROM,
        Claim.Status.PUBLISHED: PUBLISHABLE_FROM,
        Claim.Status.IN_REVIEW: REVIEWABLE_FROM,
    }.get(Claim.Status(to), set())
    if claim.status in allowed:
        return
    if claim.status == Claim.Status.PUBLISHED:
        message = _("A published claim stays published: change its verdict instead.")
    elif to == Claim.Status.SUGGESTED:
        message = _("Only the suggester makes suggestions; accept or reject this claim.")
    else:
        message = _("A claim that is %(now)s cannot become %(to)s.") % {
            "now": claim.get_status_display().lower(),
            "to": Claim.Status(to).label.lower(),
        }
    raise ValidationError({"status": message}, code="status")


def claim_set_status(*, claim: Claim, status: str, by: AnyUser | None, reason: str = "") -> Claim:
    """Move one claim to `status` through the service that owns that transition."""
    if status not in Claim.Status.values:
        raise ValidationError({"status": _("Unknown status.")}, code="status")
    claim_status_check(claim=claim, to=status)
    if status == claim.status:
        return claim
    if status == Claim.Status.PUBLISHED:
        return claim_publish(claim=claim, by=by, reason=reason)
    if status == Claim.Status.ACCEPTED:
        claims_accept(claims=[claim], by=by, reason=reason)
    elif status == Claim.Status.REJECTED:
        claims_reject(claims=[claim], by=by, reason=reason)
    else:
        _bulk_transition(
            [claim], to=status, allowed_from=REVIEWABLE_FROM, by=by, reason=reason or _("In review")
        )
    return claim


def claim_change(
    *,
    claim: Claim,
    by: AnyUser | None,
    reason: str = "",
    statement: Texts | None = None,
    tags: Iterable[str] | None = None,
    assignee: UserModel | _Unset | None = UNSET,
    status: str | None = None,
    verdict: tuple[str, Texts, dt.date | None] | None = None,
) -> Claim:
    """Several edits of one claim at once (the admin's change form), each through the service
    that owns it, in one transaction: wording, tags and assignee; then the verdict (with the
    reason, kept in the public changelog); then the status (publishing last, so a verdict set
    in the same save can be published)."""
    with transaction.atomic():
        if statement is not None or tags is not None or not isinstance(assignee, _Unset):
            claim_update(
                claim=claim, statement=statement, tags=tags, assignee=assignee, by=by, reason=reason
            )
        if verdict is not None:
            label, summary, as_of = verdict
            claim_set_verdict(
                claim=claim, verdict=label, summary=summary, as_of=as_of, by=by, reason=reason
            )
        if status is not None and status != claim.status:
            claim_set_status(claim=claim, status=status, by=by, reason=reason)
    return claim


def claim_delete_check(*, claim: Claim) -> None:
    """Why a claim cannot be deleted, if it cannot (the admin lists it before confirming)."""
    if claim.status == Claim.Status.PUBLISHED:
        raise ValidationError(
            _("A published claim cannot be deleted: its verdict is public. Reject it instead."),
            code="published",
        )
    if claim.comments.exists():
        raise ValidationError(
            _("Readers discussed this claim: reject it instead of deleting it."),
            code="discussed",
        )


def claim_delete(*, claim: Claim, by: AnyUser | None, reason: str = "") -> None:
    """Delete a claim that was never published and has no discussion (a mistaken span, a
    duplicate). A published claim, or one readers discussed, is rejected instead: deleting it
    would take its public history or its comments with it. The deletion stays in the claim's
    history with its author and reason."""
    require_editor(by)
    claim_delete_check(claim=claim)
    claim._history_user = by if by is not None and by.is_authenticated else None  # type: ignore[attr-defined]
    claim._change_reason = reason or _("Deleted")  # type: ignore[attr-defined]
    with transaction.atomic():
        claim.delete()

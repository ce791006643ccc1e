"""Editors' curation of the discussion: featuring the best comments at the top of their
discussion, and turning a comment (its link, or a passage it quotes) into evidence on a claim.

Pages, admin and API call these; each logs a ModerationAction so the comment's history says
who featured or promoted it.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim, Evidence
from claims.services.evidence import evidence_add
from core.roles import require_editor, signed_in
from discussions.models import Comment, CommentEvidence, ModerationAction
from notifications.models import Kind
from notifications.services import notify

if TYPE_CHECKING:
    from core.roles import AnyUser

FEATURED_LABEL_MAX_LENGTH = 80
EXCERPT_MAX_LENGTH = 2000

_HREF = re.compile(r'href="(https?://[^"]+)"', re.IGNORECASE)
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]\"']+", re.IGNORECASE)


def comment_links(comment: Comment) -> list[str]:
    """The http(s) links a comment gives: its Markdown links, then bare URLs, in order."""
    found = [html.unescape(href) for href in _HREF.findall(comment.body_html)]
    found += [url.rstrip(".,;:!?") for url in _BARE_URL.findall(comment.body)]
    unique: list[str] = []
    for url in found:
        if url not in unique:
            unique.append(url)
    return unique


def _log(comment: Comment, *, action: str, by: AnyUser, reason: str) -> None:
    ModerationAction.objects.create(
        comment=comment,
        moderator=signed_in(by),
        action=action,
        reason=reason,
        previous_status=comment.status,
    )


def comment_feature(*, comment: Comment, by: AnyUser, label: str = "") -> Comment:
    """Pin a visible comment at the top of its discussion with a short label ("Expert
    answer", "Best source"). Featuring it again changes the label and keeps its place."""
    require_editor(by)
    signed_in(by)
    label = label.strip()
    if len(label) > FEATURED_LABEL_MAX_LENGTH:
        raise ValidationError(
            {"label": _("A label is at most %(n)d characters.") % {"n": FEATURED_LABEL_MAX_LENGTH}},
            code="too_long",
        )
    if comment.status != Comment.Status.VISIBLE:
        raise ValidationError(_("Only a visible comment can be featured."), code="not_visible")
    fields = ["featured_label", "featured_by", "updated_at"]
    comment.featured_label = label
    comment.featured_by = signed_in(by)
    if comment.featured_at is None:
        comment.featured_at = timezone.now()
        fields.append("featured_at")
    with transaction.atomic():
        comment.save(update_fields=fields)
        _log(comment, action=ModerationAction.Action.FEATURE, by=by, reason=label)
    return comment


def comment_unfeature(*, comment: Comment, by: AnyUser) -> Comment:
    """Unpin a comment: it goes back to its place in the discussion."""
    require_editor(by)
    if comment.featured_at is None:
        return comment
    comment.featured_label = ""
    comment.featured_at = None
    comment.featured_by = None
    with transaction.atomic():
        comment.save(update_fields=["featured_label", "featured_at", "featured_by", "updated_at"])
        _log(comment, action=ModerationAction.Action.UNFEATURE, by=by, reason="")
    return comment


def comment_promote_to_evidence(
    *,
    comment: Comment,
    claim: Claim,
    stance: str,
    by: AnyUser,
    url: str = "",
    excerpt: str = "",
) -> Evidence:
    """Make a reader's comment evidence on a claim: its link (or `url`, e.g. the source of a
    passage it quotes) becomes an evidence link with the usual checks (link check job, archive,
    webhook), the comment's text (or the `excerpt` chosen from it) as its excerpt. The comment
    and its author are kept as the evidence's provenance, the comment then says it is used as
    evidence, and its author is told. Editors only."""
    require_editor(by)
    editor = signed_in(by)
    if comment.status != Comment.Status.VISIBLE:
        raise ValidationError(_("Only a visible comment can become evidence."), code="not_visible")
    url = url.strip()
    if not url:
        links = comment_links(comment)
        if not links:
            raise ValidationError(
                {"url": _("This comment gives no link: give the URL of the source it quotes.")},
                code="no_link",
            )
        url = links[0]
    excerpt = (excerpt.strip() or comment.body.strip())[:EXCERPT_MAX_LENGTH]
    with transaction.atomic():
        evidence = evidence_add(
            claim=claim,
            url=url,
            stance=stance,
            excerpt=excerpt,
            language=comment.article.language,
            by=editor,
        )
        CommentEvidence.objects.create(
            comment=comment,
            evidence=evidence,
            author=comment.author,
            author_name=comment.author_name,
            promoted_by=editor,
        )
        _log(
            comment,
            action=ModerationAction.Action.PROMOTE,
            by=editor,
            reason=_("Evidence %(evidence)d on claim %(claim)d")
            % {"evidence": evidence.pk, "claim": claim.pk},
        )
        if comment.author is not None and comment.author_id != editor.pk:
            notify(
                recipients=[comment.author],
                kind=Kind.MODERATION,
                actor=editor,
                target_url=claim.get_absolute_url(),
                object_key=f"evidence:{evidence.pk}",
                params={"title": comment.article.title, "evidence": True, "claim": claim.pk},
            )
    return evidence

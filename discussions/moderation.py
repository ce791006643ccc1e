"""Moderation: the queue of comments awaiting a moderator, and the actions taken on them.

Every action is logged in ModerationAction (who, what, why, and the status before), and
resolves the comment's open flags: a moderator has looked at it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim
from discussions.models import TAKEN_DOWN_STATUSES, Comment, Flag, ModerationAction
from discussions.services import comment_announce
from notifications.models import Kind
from notifications.services import notify

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Action = ModerationAction.Action

# The status each action leads to, and the statuses it may start from.
TARGET_STATUS: dict[str, str] = {
    Action.APPROVE: Comment.Status.VISIBLE,
    Action.HIDE: Comment.Status.HIDDEN,
    Action.REMOVE: Comment.Status.REMOVED,
    Action.RESTORE: Comment.Status.VISIBLE,
}
ALLOWED_FROM: dict[str, set[str]] = {
    Action.APPROVE: {Comment.Status.PENDING, Comment.Status.VISIBLE},
    Action.HIDE: {Comment.Status.PENDING, Comment.Status.VISIBLE},
    Action.REMOVE: {Comment.Status.PENDING, Comment.Status.VISIBLE, Comment.Status.HIDDEN},
    Action.RESTORE: {Comment.Status.HIDDEN, Comment.Status.REMOVED},
}
REASON_REQUIRED = {Action.HIDE, Action.REMOVE, Action.RESTORE}


def moderation_queue(base: QuerySet[Comment] | None = None) -> QuerySet[Comment]:
    """Comments awaiting a moderator: pending ones, and shown ones with an open flag; the most
    flagged first, then the oldest. `base` narrows (or re-types, for the admin's proxy) the
    comments considered."""
    open_flag = Flag.objects.filter(comment=OuterRef("pk"), resolved=False)
    comments = Comment.objects.all() if base is None else base
    return (
        comments.filter(
            Q(status=Comment.Status.PENDING)
            | (Q(status=Comment.Status.VISIBLE) & Exists(open_flag))
        )
        .annotate(open_flag_total=Count("flags", filter=Q(flags__resolved=False)))
        .order_by("-open_flag_total", "created_at", "id")
    )


@dataclass
class ModerationResult:
    done: list[Comment] = field(default_factory=list)
    skipped: list[Comment] = field(default_factory=list)


def comments_moderate(
    *,
    comments: Iterable[Comment],
    action: str,
    moderator: User | AnonymousUser,
    reason: str = "",
) -> ModerationResult:
    """Approve, hide, remove or restore comments, logging each action and resolving flags.

    Hiding, removing and restoring need a reason (it is kept in the log). A comment whose
    status does not allow the action (e.g. one its author deleted) is skipped, not changed.
    """
    if action not in TARGET_STATUS:
        raise ValidationError(_("Unknown moderation action."), code="action")
    reason = reason.strip()
    if action in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Give a reason for this action.")}, code="reason")
    if isinstance(moderator, AnonymousUser) or moderator.is_anonymous:
        raise ValidationError(_("Only a signed-in moderator can moderate."), code="anonymous")
    result = ModerationResult()
    now = timezone.now()
    target = TARGET_STATUS[action]
    with transaction.atomic():
        for comment in comments:
            # Re-read under a lock so two moderators acting at once log true previous statuses.
            locked = Comment.objects.select_for_update().filter(pk=comment.pk).first()
            if locked is None or locked.status not in ALLOWED_FROM[action]:
                result.skipped.append(comment)
                continue
            previous = locked.status
            if previous != target:
                Comment.objects.filter(pk=locked.pk).update(status=target, updated_at=now)
            logged = ModerationAction.objects.create(
                comment=locked,
                moderator=moderator,
                action=action,
                reason=reason,
                previous_status=previous,
            )
            open_flags = Flag.objects.filter(comment=locked, resolved=False)
            flaggers = [flag.user for flag in open_flags.select_related("user")]
            open_flags.update(resolved=True, resolved_by=moderator, resolved_at=now)
            comment.status = target
            result.done.append(comment)
            _tell_flaggers(locked, flaggers, outcome=target, moderator=moderator)
            if previous == Comment.Status.PENDING and target == Comment.Status.VISIBLE:
                # a comment held for review is shown at last: its author and the people it
                # concerns hear of it now, not before
                _tell_author_approved(locked, moderator=moderator)
                comment_announce(comment=locked)
            elif previous in TAKEN_DOWN_FROM and target in TAKEN_DOWN_STATUSES:
                # a held comment rejected, or a shown one taken down: its author alone hears
                # it, with the moderators' reason (a statement of reasons, as the EU's Digital
                # Services Act asks of hosts); nobody it replies to or mentions does. A comment
                # already taken down (hidden, then removed) is not told twice.
                _tell_author_taken_down(
                    locked,
                    moderator=moderator,
                    reason=reason,
                    log=logged,
                    was_shown=previous == Comment.Status.VISIBLE,
                )
            elif previous in TAKEN_DOWN_STATUSES and target == Comment.Status.VISIBLE:
                _tell_author_restored(locked, moderator=moderator, log=logged)
    return result


# the statuses a comment is taken down from that its author is told of
TAKEN_DOWN_FROM = (Comment.Status.PENDING, Comment.Status.VISIBLE)


def _tell_flaggers(
    comment: Comment, flaggers: list[User], *, outcome: str, moderator: User
) -> None:
    notify(
        recipients=flaggers,
        kind=Kind.FLAG_OUTCOME,
        actor=moderator,
        target_url=comment.article.get_absolute_url(),
        object_key=f"flag-outcome:{comment.pk}:{outcome}:{timezone.now().isoformat()}",
        params={"outcome": outcome, "title": comment.article.title},
    )


def _tell_author_approved(comment: Comment, *, moderator: User) -> None:
    if comment.author is None:
        return
    notify(
        recipients=[comment.author],
        kind=Kind.MODERATION,
        actor=moderator,
        target_url=comment.get_absolute_url(),
        object_key=f"approved:{comment.pk}",
        params={"title": comment.article.title},
    )


# how much of a rejected comment its author is reminded of (it is shown nowhere any more)
REJECTED_EXCERPT_LENGTH = 60


def _excerpt(comment: Comment) -> str:
    words = " ".join(comment.body.split())
    if len(words) > REJECTED_EXCERPT_LENGTH:
        words = words[: REJECTED_EXCERPT_LENGTH - 1].rstrip() + "…"
    return words


def _discussion_url(comment: Comment) -> str:
    """The discussion the comment was in: its claim's page while a reader may see the claim,
    else the article's (a link to a claim taken back to review would answer 404)."""
    claim = comment.claim if comment.claim_id else None
    if claim is not None and Claim.objects.public().filter(pk=claim.pk).exists():
        return claim.get_absolute_url() + "#discussion"
    return comment.article.get_absolute_url() + "#discussion"


def _tell_author_taken_down(
    comment: Comment, *, moderator: User, reason: str, log: ModerationAction, was_shown: bool
) -> None:
    if comment.author is None or comment.author_id == moderator.pk:
        return
    params = {"title": comment.article.title, "excerpt": _excerpt(comment), "reason": reason}
    if was_shown:
        params["shown"] = "1"
    notify(
        recipients=[comment.author],
        kind=Kind.COMMENT_REJECTED,
        # the moderator is not named to the author (nor in the API's `actor`): a rejected
        # reader should take it up with the moderators, not with one of them
        actor=None,
        target_url=_discussion_url(comment),
        # one per decision: a comment restored, edited and held again may be rejected again
        object_key=f"rejected:{comment.pk}:{log.pk}",
        params=params,
    )


def _tell_author_restored(comment: Comment, *, moderator: User, log: ModerationAction) -> None:
    """A comment taken down and put back (an appeal upheld, a mistake undone) is shown again:
    its author hears it. Nobody else: its replies and mentions were told when it was first
    shown, if it ever was."""
    if comment.author is None or comment.author_id == moderator.pk:
        return
    notify(
        recipients=[comment.author],
        kind=Kind.MODERATION,
        actor=None,
        target_url=comment.get_absolute_url(),
        object_key=f"restored:{comment.pk}:{log.pk}",
        params={"title": comment.article.title, "excerpt": _excerpt(comment), "restored": "1"},
    )

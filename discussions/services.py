"""Writes on discussions: a reader posting or replying (rate-limited), editing, deleting,
liking, flagging; importing the comments of an original post. Pages, API and imports call
these; the limits live here, not in the doors."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Article
from claims.models import Claim
from discussions.accounts import account_posting_refusal
from discussions.holding import Hold, comment_hold_reason, matching_rule
from discussions.models import (
    MAX_SIBLINGS,
    PATH_SEGMENT_WIDTH,
    Comment,
    Flag,
    Reaction,
)
from discussions.rendering import render_comment_markdown, render_plain_text

if TYPE_CHECKING:
    from core.roles import AnyUser
from core.ratelimit import RateLimited, rate_limit_hit
from core.roles import signed_in
from integrations.events import event_emit
from notifications.models import Kind
from notifications.services import follow, notify

# What a reader may write when flagging a comment (the page's form and the API share it).
FLAG_DETAILS_MAX_LENGTH = 1000
COMMENT_POST_SCOPE = "comment-post"

# How a link counts against COMMENT_MAX_LENGTH: whatever its length, as this many characters
# (a source's address is often longer than the point made about it, and readers should cite).
# The page's counter (static/js/assay.js) reads the pattern and the length from the textarea's
# data attributes (discussion_tags.comment_counter_attrs), so the two cannot drift apart; the
# pattern is written to mean the same in Python's re and in JavaScript's RegExp.
COMMENT_URL_PATTERN = r"https?://[^\s<>()\[\]]+"
COMMENT_URL_LENGTH = 23
_COMMENT_URL = re.compile(COMMENT_URL_PATTERN)


def comment_length(body: str) -> int:
    """A comment's length as COMMENT_MAX_LENGTH counts it: each link as COMMENT_URL_LENGTH,
    each character as one (not one UTF-16 unit), a line break as one (browsers send CR LF)."""
    body = body.replace("\r\n", "\n")
    links = _COMMENT_URL.findall(body)
    return len(body) - sum(len(link) for link in links) + COMMENT_URL_LENGTH * len(links)


def _clean_body(body: str, *, limit: int | None) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("A comment cannot be empty.")}, code="empty")
    if limit is not None and comment_length(body) > limit:
        raise ValidationError(
            {"body": _("A comment is at most %(limit)d characters long.") % {"limit": limit}},
            code="too_long",
        )
    return body


def _next_child_segment(parent: Comment) -> str:
    """Reserve the parent's next child rank with one atomic UPDATE … RETURNING.

    Concurrent replies to the same parent each get a distinct rank, without locking the
    thread and whatever the thread's size.
    """
    table = connection.ops.quote_name(Comment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET child_count = child_count + 1 WHERE id = %s "  # noqa: S608
            "RETURNING child_count",
            [parent.pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise ValidationError(_("The comment you replied to no longer exists."), code="gone")
    rank = int(row[0])
    if rank > MAX_SIBLINGS:
        raise ValidationError(_("This comment has too many replies."), code="too_many_replies")
    return f"{rank:0{PATH_SEGMENT_WIDTH}d}"


def comment_create(
    *,
    article: Article,
    body: str,
    author: AnyUser | None = None,
    parent: Comment | None = None,
    claim: Claim | None = None,
    stance: str = "",
    external_author: str = "",
    external_posted_at: dt.datetime | None = None,
    external_posted_raw: str = "",
    external_like_count: int | None = None,
    import_key: str | None = None,
    enforce_length: bool = True,
    hold: Hold | None = None,
) -> Comment:
    """Insert a comment or a reply in its thread, O(1) queries whatever the thread's size.

    The storage step under comment_post (readers' comments); imported comments go in with
    comments_import_external. Doors call those, not this."""
    if (author is None or not author.is_authenticated) and not external_author:
        raise ValidationError(_("A comment needs an author."), code="no_author")
    body = _clean_body(body, limit=settings.COMMENT_MAX_LENGTH if enforce_length else None)
    if stance and stance not in Comment.Stance.values:
        raise ValidationError({"stance": _("Unknown stance.")}, code="stance")
    if parent is not None:
        if parent.article_id != article.pk or parent.claim_id != (claim.pk if claim else None):
            raise ValidationError(
                _("A reply must stay in its parent's discussion."), code="wrong_thread"
            )
        if parent.status != Comment.Status.VISIBLE:
            # a deleted comment stays as a placeholder for its replies, not for new ones
            raise ValidationError(
                _("This comment is not open for replies."), code="parent_not_visible"
            )
    elif claim is not None and claim.article_id != article.pk:
        raise ValidationError(_("That claim belongs to another article."), code="wrong_article")

    comment = Comment(
        article=article,
        claim=claim,
        parent=parent,
        author=author if author is not None and author.is_authenticated else None,
        body=body,
        body_html=render_comment_markdown(body),
        stance=stance,
        external_author=external_author,
        external_posted_at=external_posted_at,
        external_posted_raw=external_posted_raw,
        external_like_count=external_like_count,
        like_count=external_like_count or 0,
        import_key=import_key,
        status=Comment.Status.PENDING if hold is not None else Comment.Status.VISIBLE,
        held_reason=hold.reason[:300] if hold is not None else "",
        hold_rule=hold.rule if hold is not None else None,
    )
    with transaction.atomic():
        if parent is not None:
            comment.path = parent.path + _next_child_segment(parent)
            comment.depth = parent.depth + 1
            comment.root_id = parent.root_id or parent.pk
        comment.save(force_insert=True)
    return comment


def comment_post(
    *,
    author: AnyUser,
    article: Article,
    body: str,
    parent: Comment | None = None,
    claim: Claim | None = None,
    stance: str = "",
) -> Comment:
    """A reader posts a comment or a reply, on an article or one of its claims. The one door
    for readers' comments (the page's form and the API): the discussion must be open to them
    (a published article, a public claim, a parent still shown), the text within
    COMMENT_MAX_LENGTH, and the author under COMMENT_POST_RATE (RateLimited otherwise, with
    nothing written)."""
    if not author.is_authenticated or not author.is_active:
        raise PermissionDenied(_("Sign in to comment."))
    refusal = account_posting_refusal(user_id=author.pk)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError(_("This article is not open for discussion."), code="closed")
    if claim is not None and not Claim.objects.public().filter(pk=claim.pk).exists():
        raise ValidationError(_("This claim is not open for discussion."), code="closed")
    if parent is not None and parent.status == Comment.Status.DELETED:
        raise ValidationError(
            _("The comment you replied to was deleted by its author."), code="parent_deleted"
        )
    if parent is not None and parent.status != Comment.Status.VISIBLE:
        raise ValidationError(
            _("The comment you replied to is not shown any more."), code="parent_not_visible"
        )
    _clean_body(body, limit=settings.COMMENT_MAX_LENGTH)
    retry_after = rate_limit_hit(
        scope=COMMENT_POST_SCOPE, key=str(author.pk), rate=settings.COMMENT_POST_RATE
    )
    if retry_after is not None:
        raise RateLimited(
            retry_after,
            ngettext(
                "You are posting too fast. Please wait %(n)d second and post again.",
                "You are posting too fast. Please wait %(n)d seconds and post again.",
                retry_after,
            )
            % {"n": retry_after},
        )
    # the holding rules (discussions.holding): a held comment is stored as pending, shown to
    # its author alone, and announced only once a moderator approves it
    hold = comment_hold_reason(author_id=author.pk, body=body, language=article.language)
    with transaction.atomic():
        comment = comment_create(
            article=article,
            claim=claim,
            parent=parent,
            author=author,
            body=body,
            stance=stance,
            hold=hold,
        )
        # commenting follows what you comment on: you hear of its verdicts and data checks
        follow(user=author, target=f"claim:{claim.pk}" if claim else f"article:{article.pk}")
        if comment.status == Comment.Status.VISIBLE:
            comment_announce(comment=comment)
    return comment


# a comment mentions at most this many readers (more is a mass mention, not a conversation)
MAX_MENTIONS = 20
_MENTION = re.compile(r"(?<![\w@/.])@([\w][\w.\-]{1,63})")


def comment_announce(*, comment: Comment) -> None:
    """Tell the people a comment concerns, once it is shown to everyone: the author of the
    comment it replies to, and the readers it @mentions by their user name. Never its own
    author (nobody hears of their own actions)."""
    params = {
        "actor": comment.author_name,
        "title": comment.article.title,
    }
    target = comment.get_absolute_url()
    key = f"comment:{comment.pk}"
    replied_to: set[int] = set()
    parent = comment.parent
    if parent is not None and parent.author is not None:
        notify(
            recipients=[parent.author],
            kind=Kind.REPLY,
            actor=comment.author,
            target_url=target,
            object_key=key,
            params=params,
        )
        replied_to.add(parent.author.pk)
    names = sorted({name.rstrip(".-").lower() for name in _MENTION.findall(comment.body)})
    if names:
        anyone = Q()
        for name in names[:MAX_MENTIONS]:
            anyone |= Q(username__iexact=name)
        mentioned = User.objects.filter(anyone, is_active=True)
        notify(
            recipients=[u for u in mentioned if u.pk not in replied_to],
            kind=Kind.MENTION,
            actor=comment.author,
            target_url=target,
            object_key=key,
            params=params,
        )


@dataclass(frozen=True)
class ExternalComment:
    """A comment copied from another platform, as `comments_import_external` stores it."""

    author: str  # the handle on the platform
    body: str
    posted_raw: str = ""  # the time as the platform wrote it
    posted_at: dt.datetime | None = None
    like_count: int | None = None
    import_key: str | None = None


# The columns `comments_import_external` writes; every other column of discussions_comment is
# nullable and stays NULL for an imported top-level comment. A test compares its rows with
# comment_create's, column by column, so a new column cannot be forgotten here.
_IMPORT_COLUMNS = (
    "article_id",
    "external_author",
    "external_posted_at",
    "external_posted_raw",
    "external_like_count",
    "like_count",
    "import_key",
    "body",
    "body_html",
    "status",
    "stance",
    "path",
    "depth",
    "child_count",
    "created_at",
    "updated_at",
    "held_reason",
    "featured_label",
)


def comments_import_external(*, article: Article, comments: Sequence[ExternalComment]) -> int:
    """Store comments copied from another platform as top-level comments, in the given order.

    A page dump can hold tens of thousands of comments: one `comment_create` each (a Markdown
    render and an INSERT apiece) took about 50 s for 25,000, and even `bulk_create` spends
    seconds preparing every field of every row (and SQLite caps it at 47 rows a statement). So
    the rows go in with one prepared INSERT run by `executemany`, in one transaction, after
    every comment has been checked. They are plain text on their platform, so they are
    rendered as written (`render_plain_text`), not as Markdown; reader length limits do not
    apply. Returns how many were stored.
    """
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    rows = []
    for comment in comments:
        author = comment.author.strip()
        if not author:
            raise ValidationError(_("A comment needs an author."), code="no_author")
        body = _clean_body(comment.body, limit=None)
        rows.append(
            (
                article.pk,
                author,
                ops.adapt_datetimefield_value(comment.posted_at),
                comment.posted_raw,
                comment.like_count,
                comment.like_count or 0,
                comment.import_key,
                body,
                render_plain_text(body),
                Comment.Status.VISIBLE.value,
                "",
                "",
                0,
                0,
                now,
                now,
                "",
                "",
            )
        )
    if not rows:
        return 0
    quote = ops.quote_name
    sql = (
        f"INSERT INTO {quote(Comment._meta.db_table)} "  # noqa: S608 - names from the model
        f"({', '.join(quote(column) for column in _IMPORT_COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(_IMPORT_COLUMNS))})"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def _require_author(comment: Comment, user: AnyUser) -> None:
    if comment.author_id is None or comment.author_id != signed_in(user).pk:
        raise PermissionDenied(_("Only its author can change this comment."))


class _Editable(Protocol):
    author_id: int | None
    status: str
    created_at: dt.datetime


def comment_can_edit(
    *, comment: _Editable, user: AnyUser | None, now: dt.datetime | None = None
) -> bool:
    """The author may edit a visible comment within COMMENT_EDIT_WINDOW_MINUTES of posting."""
    if not getattr(user, "is_authenticated", False) or comment.author_id != getattr(
        user, "pk", None
    ):
        return False
    if comment.status != Comment.Status.VISIBLE:
        return False
    window = dt.timedelta(minutes=settings.COMMENT_EDIT_WINDOW_MINUTES)
    return (now or timezone.now()) <= comment.created_at + window


def comment_edit(*, comment: Comment, user: AnyUser, body: str) -> Comment:
    """Replace the author's comment text within the edit window; the comment shows as edited.
    A new text that a holding rule matches sends the comment back to the moderators."""
    _require_author(comment, user)
    refusal = account_posting_refusal(user_id=signed_in(user).pk)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if not comment_can_edit(comment=comment, user=user):
        raise ValidationError(
            _("A comment can only be edited in the %(minutes)d minutes after it is posted.")
            % {"minutes": settings.COMMENT_EDIT_WINDOW_MINUTES},
            code="edit_window_closed",
        )
    body = _clean_body(body, limit=settings.COMMENT_MAX_LENGTH)
    if body == comment.body:
        return comment
    comment.body = body
    comment.body_html = render_comment_markdown(body)
    comment.edited_at = timezone.now()
    fields = ["body", "body_html", "edited_at", "updated_at"]
    rule = matching_rule(body, language=comment.article.language)
    if rule is not None and comment.status == Comment.Status.VISIBLE:
        comment.status = Comment.Status.PENDING
        comment.held_reason = (_("Holding rule: “%(text)s”") % {"text": rule.text})[:300]
        comment.hold_rule = rule
        fields += ["status", "held_reason", "hold_rule"]
    with transaction.atomic():
        comment.save(update_fields=fields)
    return comment


def comment_delete(*, comment: Comment, user: AnyUser) -> Comment:
    """The author withdraws a comment: it stays in the thread as "deleted" so replies keep
    their place; its text is no longer shown (moderators keep the source)."""
    _require_author(comment, user)
    if comment.status == Comment.Status.DELETED:
        return comment
    if comment.status != Comment.Status.VISIBLE and comment.status != Comment.Status.PENDING:
        raise ValidationError(_("This comment can no longer be deleted."), code="not_deletable")
    comment.status = Comment.Status.DELETED
    comment.body_html = ""
    with transaction.atomic():
        comment.save(update_fields=["status", "body_html", "updated_at"])
    return comment


def comment_like_toggle(*, comment: Comment, user: AnyUser) -> tuple[bool, int]:
    """Like the comment, or take the like back if there is one. Returns (liked, like count).

    The counter moves by a conditional UPDATE in the same transaction as the Reaction row, so
    two clicks racing each other cannot count twice (the unique constraint refuses the second
    like) or drive the count below zero."""
    user = signed_in(user)
    if comment.author_id is not None and comment.author_id == user.pk:
        raise ValidationError(_("You cannot like your own comment."), code="own_comment")
    if comment.status != Comment.Status.VISIBLE:
        raise ValidationError(_("Only visible comments can be liked."), code="not_visible")
    table = Comment.objects.filter(pk=comment.pk)
    with transaction.atomic():
        removed, _detail = Reaction.objects.filter(user=user, comment=comment).delete()
        if removed:
            table.filter(like_count__gt=0).update(like_count=F("like_count") - 1)
            liked = False
        else:
            try:
                with transaction.atomic():
                    Reaction.objects.create(user=user, comment=comment)
            except IntegrityError:
                liked = True  # the same reader's other click won the race
            else:
                table.update(like_count=F("like_count") + 1)
                liked = True
        count = table.values_list("like_count", flat=True).get()
    comment.like_count = count
    return liked, count


def comment_flag(*, comment: Comment, user: AnyUser, reason: str, details: str = "") -> Flag:
    """Report a comment to the moderators; one flag per reader and comment."""
    user = signed_in(user)
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")}, code="reason")
    if comment.author_id is not None and comment.author_id == user.pk:
        raise ValidationError(_("You cannot flag your own comment."), code="own_comment")
    if comment.status != Comment.Status.VISIBLE:
        raise ValidationError(_("This comment is not shown any more."), code="not_visible")
    details = details.strip()
    if len(details) > FLAG_DETAILS_MAX_LENGTH:
        raise ValidationError(
            {
                "details": _("Details are at most %(limit)d characters long.")
                % {"limit": FLAG_DETAILS_MAX_LENGTH}
            },
            code="too_long",
        )
    try:
        with transaction.atomic():
            flag = Flag.objects.create(comment=comment, user=user, reason=reason, details=details)
            event_emit(
                "comment.flagged",
                {"comment": comment.pk, "article": comment.article_id, "reason": reason},
            )
            return flag
    except IntegrityError:
        raise ValidationError(
            _("You have already flagged this comment."), code="already_flagged"
        ) from None

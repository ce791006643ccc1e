"""Writes on discussions: posting, replying, importing external comments."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from articles.models import Article
from claims.models import Claim
from discussions.models import MAX_SIBLINGS, PATH_SEGMENT_WIDTH, Comment
from discussions.rendering import render_comment_markdown

REPLYABLE_STATUSES = {Comment.Status.VISIBLE, Comment.Status.DELETED}


def _clean_body(body: str, *, limit: int | None) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("A comment cannot be empty.")}, code="empty")
    if limit is not None and len(body) > limit:
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
    author: AbstractBaseUser | None = None,
    parent: Comment | None = None,
    claim: Claim | None = None,
    stance: str = "",
    external_author: str = "",
    external_posted_at: dt.datetime | None = None,
    external_posted_raw: str = "",
    external_like_count: int | None = None,
    import_key: str | None = None,
    enforce_length: bool = True,
) -> Comment:
    """Post a top-level comment or a reply; O(1) queries whatever the thread's size."""
    if author is None and not external_author:
        raise ValidationError(_("A comment needs an author."), code="no_author")
    body = _clean_body(body, limit=settings.COMMENT_MAX_LENGTH if enforce_length else None)
    if stance and stance not in Comment.Stance.values:
        raise ValidationError({"stance": _("Unknown stance.")}, code="stance")
    if parent is not None:
        if parent.article_id != article.pk or parent.claim_id != (claim.pk if claim else None):
            raise ValidationError(
                _("A reply must stay in its parent's discussion."), code="wrong_thread"
            )
        if parent.status not in REPLYABLE_STATUSES:
            raise ValidationError(
                _("This comment is not open for replies."), code="parent_not_visible"
            )
    elif claim is not None and claim.article_id != article.pk:
        raise ValidationError(_("That claim belongs to another article."), code="wrong_article")

    comment = Comment(
        article=article,
        claim=claim,
        parent=parent,
        author=author,
        body=body,
        body_html=render_comment_markdown(body),
        stance=stance,
        external_author=external_author,
        external_posted_at=external_posted_at,
        external_posted_raw=external_posted_raw,
        external_like_count=external_like_count,
        like_count=external_like_count or 0,
        import_key=import_key,
    )
    with transaction.atomic():
        if parent is not None:
            comment.path = parent.path + _next_child_segment(parent)
            comment.depth = parent.depth + 1
            comment.root_id = parent.root_id or parent.pk
        comment.save(force_insert=True)
    return comment

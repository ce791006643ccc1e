"""Test data for the web pages: big threads built with bulk_create, paths computed here the
same way discussions.services.comment_create writes them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from articles.models import Article
from claims.models import Claim
from discussions.models import PATH_SEGMENT_WIDTH, Comment
from discussions.rendering import render_comment_markdown


def _segment(rank: int) -> str:
    return f"{rank:0{PATH_SEGMENT_WIDTH}d}"


def bulk_thread(
    *,
    article: Article,
    author: object,
    roots: int,
    replies_per_root: int = 0,
    claim: Claim | None = None,
) -> int:
    """`roots` top-level comments, each with `replies_per_root` direct replies."""
    now = timezone.now()
    html = render_comment_markdown("A comment")
    top = Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                claim=claim,
                author=author,
                body="A comment",
                body_html=html,
                child_count=replies_per_root,
                created_at=now + dt.timedelta(seconds=i),
            )
            for i in range(roots)
        ]
    )
    if replies_per_root:
        replies = [
            Comment(
                article=article,
                claim=claim,
                author=author,
                parent=root,
                root=root,
                depth=1,
                path=_segment(rank),
                body="A reply",
                body_html=html,
            )
            for root in top
            for rank in range(1, replies_per_root + 1)
        ]
        Comment.objects.bulk_create(replies, batch_size=2000)
    return roots * (1 + replies_per_root)


def bulk_chain(
    *, article: Article, author: object, depth: int, claim: Claim | None = None
) -> Comment:
    """One top-level comment and a chain of `depth` replies, each answering the previous."""
    html = render_comment_markdown("deep")
    root = Comment.objects.create(
        article=article, claim=claim, author=author, body="root", body_html=html, child_count=1
    )
    previous = root
    path = ""
    for level in range(1, depth + 1):
        path += _segment(1)
        previous = Comment(
            article=article,
            claim=claim,
            author=author,
            parent=previous,
            root=root,
            depth=level,
            path=path,
            body=f"level {level}",
            body_html=html,
            child_count=1 if level < depth else 0,
        )
        previous.save(force_insert=True)
    return previous

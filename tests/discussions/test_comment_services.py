"""The comment services the pages and the API share."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from discussions.models import Comment, Flag, Reaction
from discussions.services import (
    comment_can_edit,
    comment_delete,
    comment_edit,
    comment_flag,
    comment_like_toggle,
)
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_like_toggle_counts_once_per_reader(article, alice, bob, charlie):
    comment = CommentFactory(article=article, author=alice)
    assert comment_like_toggle(comment=comment, user=bob) == (True, 1)
    assert comment_like_toggle(comment=comment, user=charlie) == (True, 2)
    assert comment_like_toggle(comment=comment, user=bob) == (False, 1)
    comment.refresh_from_db()
    assert comment.like_count == 1
    assert list(Reaction.objects.values_list("user__username", flat=True)) == ["charlie"]


def test_like_adds_to_the_imported_like_count(article, bob):
    from discussions.services import comment_create

    imported = comment_create(
        article=article, body="x", external_author="WealthCoffee", external_like_count=4
    )
    assert comment_like_toggle(comment=imported, user=bob) == (True, 5)


def test_deleted_comment_cannot_be_liked_or_flagged(article, alice, bob):
    comment = CommentFactory(article=article, author=alice)
    comment_delete(comment=comment, user=alice)
    with pytest.raises(ValidationError):
        comment_like_toggle(comment=comment, user=bob)
    with pytest.raises(ValidationError):
        comment_flag(comment=comment, user=bob, reason="spam")


def test_flag_needs_a_known_reason_and_not_ones_own_comment(article, alice, bob):
    comment = CommentFactory(article=article, author=alice)
    with pytest.raises(ValidationError):
        comment_flag(comment=comment, user=bob, reason="dull")
    with pytest.raises(ValidationError):
        comment_flag(comment=comment, user=alice, reason="spam")
    flag = comment_flag(comment=comment, user=bob, reason="spam", details="  ads  ")
    assert (flag.reason, flag.details, flag.resolved) == ("spam", "ads", False)
    with pytest.raises(ValidationError):
        comment_flag(comment=comment, user=bob, reason="abuse")
    assert Flag.objects.count() == 1


def test_only_the_author_edits_within_the_window(article, alice, bob, settings):
    settings.COMMENT_EDIT_WINDOW_MINUTES = 5
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        comment = CommentFactory(article=article, author=alice, body="v1")
    with time_machine.travel(start + dt.timedelta(minutes=4), tick=False):
        assert comment_can_edit(comment=comment, user=alice)
        assert not comment_can_edit(comment=comment, user=bob)
        with pytest.raises(PermissionDenied):
            comment_edit(comment=comment, user=bob, body="bob was here")
        comment_edit(comment=comment, user=alice, body="**v2**")
    comment.refresh_from_db()
    assert comment.body == "**v2**" and "<strong>v2</strong>" in comment.body_html
    assert comment.edited_at == start + dt.timedelta(minutes=4)
    with time_machine.travel(start + dt.timedelta(minutes=6), tick=False):
        assert not comment_can_edit(comment=comment, user=alice)
        with pytest.raises(ValidationError):
            comment_edit(comment=comment, user=alice, body="v3")


def test_edit_respects_the_length_limit(article, alice, settings):
    settings.COMMENT_MAX_LENGTH = 5
    comment = CommentFactory(article=article, author=alice, body="short")
    with pytest.raises(ValidationError):
        comment_edit(comment=comment, user=alice, body="too long now")
    comment.refresh_from_db()
    assert comment.body == "short"


def test_delete_keeps_replies_and_hides_the_text(article, alice, bob):
    root = CommentFactory(article=article, author=alice, body="secret")
    reply = CommentFactory(article=article, author=bob, parent=root)
    with pytest.raises(PermissionDenied):
        comment_delete(comment=root, user=bob)
    comment_delete(comment=root, user=alice)
    root.refresh_from_db()
    reply.refresh_from_db()
    assert root.status == Comment.Status.DELETED and root.body_html == ""
    assert reply.status == Comment.Status.VISIBLE and reply.parent_id == root.pk
    # deleting twice is harmless
    comment_delete(comment=root, user=alice)


def test_hidden_comment_cannot_be_deleted_by_its_author(article, alice):
    comment = CommentFactory(article=article, author=alice)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.HIDDEN)
    comment.refresh_from_db()
    with pytest.raises(ValidationError):
        comment_delete(comment=comment, user=alice)

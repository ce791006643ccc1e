from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from discussions.models import Comment
from discussions.services import comment_create
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_thread_comes_back_in_display_order_from_one_query(
    article, alice, bob, django_assert_num_queries
):
    a = CommentFactory(article=article, author=alice, body="a")
    b = CommentFactory(article=article, author=bob, body="b")
    a1 = CommentFactory(article=article, author=bob, parent=a, body="a1")
    a2 = CommentFactory(article=article, author=alice, parent=a, body="a2")
    a1x = CommentFactory(article=article, author=alice, parent=a1, body="a1x")
    b1 = CommentFactory(article=article, author=alice, parent=b, body="b1")
    a1xy = CommentFactory(article=article, author=bob, parent=a1x, body="a1xy")

    with django_assert_num_queries(1):
        order = [c.body for c in Comment.objects.filter(article=article).in_thread_order()]

    assert order == ["a", "a1", "a1x", "a1xy", "a2", "b", "b1"]
    assert [a1xy.depth, a1xy.root_id, a1xy.parent_id] == [3, a.pk, a1x.pk]
    assert b1.root_id == b.pk and a2.root_id == a.pk


def test_reply_costs_constant_queries_whatever_the_thread_size(
    article, alice, django_assert_max_num_queries
):
    root = CommentFactory(article=article, author=alice)
    parent = root
    for _ in range(30):
        parent = CommentFactory(article=article, author=alice, parent=parent)
    for _ in range(30):
        CommentFactory(article=article, author=alice, parent=root)

    with django_assert_max_num_queries(5):
        reply = comment_create(article=article, author=alice, body="deep", parent=parent)
    assert reply.depth == 31


def test_reply_to_hidden_comment_is_refused(article, alice, bob):
    hidden = CommentFactory(article=article, author=alice)
    Comment.objects.filter(pk=hidden.pk).update(status=Comment.Status.HIDDEN)
    hidden.refresh_from_db()

    with pytest.raises(ValidationError):
        comment_create(article=article, author=bob, body="hi", parent=hidden)


def test_reply_must_stay_in_its_parents_article(article, alice):
    other = CommentFactory(author=alice)
    with pytest.raises(ValidationError):
        comment_create(article=article, author=alice, body="x", parent=other)


def test_comment_length_is_limited_by_the_setting(article, alice, settings):
    settings.COMMENT_MAX_LENGTH = 10
    with pytest.raises(ValidationError):
        comment_create(article=article, author=alice, body="x" * 11)
    assert comment_create(article=article, author=alice, body="x" * 10).body == "x" * 10


def test_empty_comment_is_refused(article, alice):
    with pytest.raises(ValidationError):
        comment_create(article=article, author=alice, body="   ")


def test_database_refuses_a_reply_without_a_root(article, alice):
    parent = CommentFactory(article=article, author=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(article=article, author=alice, body="x", parent=parent, depth=1)


def test_database_refuses_two_siblings_with_the_same_path(article, alice):
    root = CommentFactory(article=article, author=alice)
    reply = CommentFactory(article=article, author=alice, parent=root)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(
            article=article,
            author=alice,
            body="x",
            parent=root,
            root=root,
            depth=1,
            path=reply.path,
        )

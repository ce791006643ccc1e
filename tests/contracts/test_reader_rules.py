"""The reader rules of the discussion hold through the page and the API alike: they live in
discussions.services, which both doors call."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from discussions.models import Comment, Flag, Reaction
from discussions.services import COMMENT_URL_LENGTH, comment_delete
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article() -> Any:
    return ArticleFactory(status="published")


def test_nobody_likes_their_own_comment_through_page_or_api(
    article: Any, alice: Any, reader_page: Any, reader_api: Any
) -> None:
    own = CommentFactory(article=article, author=alice)
    page = reader_page.post(
        reverse("discussions:like", args=[own.pk]), HTTP_ACCEPT="application/json"
    )
    api = reader_api.post(f"/api/v1/comments/{own.pk}/like/")
    assert page.status_code == 400 and "cannot like your own comment" in page.json()["error"]
    assert api.status_code == 400 and "cannot like your own comment" in str(api.json())
    own.refresh_from_db()
    assert own.like_count == 0 and not Reaction.objects.exists()


def test_a_deleted_comment_takes_no_reply_through_page_or_api(
    article: Any, alice: Any, bob: Any, reader_page: Any, reader_api: Any
) -> None:
    gone = CommentFactory(article=article, author=bob)
    comment_delete(comment=gone, user=bob)
    page = reader_page.post(
        reverse("discussions:post", args=[article.pk]), {"body": "Hello?", "parent": gone.pk}
    )
    api = reader_api.post(
        "/api/v1/comments/",
        {"article": article.pk, "parent": gone.pk, "body": "Hello?"},
        format="json",
    )
    assert page.status_code == 400
    assert "was deleted by its author" in page.content.decode()
    assert api.status_code == 400 and "was deleted by its author" in str(api.json())
    assert not Comment.objects.filter(parent=gone).exists()


def test_a_second_flag_by_the_same_reader_is_refused_through_page_and_api(
    article: Any, bob: Any, reader_page: Any, reader_api: Any
) -> None:
    comment = CommentFactory(article=article, author=bob)
    url = reverse("discussions:flag", args=[comment.pk])
    assert reader_page.post(url, {"reason": "spam"}).status_code == 302
    page = reader_page.post(url, {"reason": "abuse"})
    api = reader_api.post(
        f"/api/v1/comments/{comment.pk}/flag/", {"reason": "abuse"}, format="json"
    )
    assert page.status_code == 400
    assert "already flagged this comment" in page.content.decode()
    assert api.status_code == 400 and "already flagged this comment" in str(api.json())
    assert list(Flag.objects.values_list("reason", flat=True)) == ["spam"]


def test_a_link_counts_the_same_short_length_through_page_and_api(
    settings: Any, article: Any, reader_page: Any, reader_api: Any
) -> None:
    settings.COMMENT_MAX_LENGTH = 60
    url = "https://www.rte-france.com/" + "a" * 200
    fits = "See " + url + " " + "x" * (60 - 5 - COMMENT_URL_LENGTH)
    too_long = fits + "y"
    assert (
        reader_page.post(reverse("discussions:post", args=[article.pk]), {"body": fits}).status_code
        == 302
    )
    api = reader_api.post("/api/v1/comments/", {"article": article.pk, "body": fits}, format="json")
    assert api.status_code == 201
    assert (
        reader_page.post(
            reverse("discussions:post", args=[article.pk]), {"body": too_long}
        ).status_code
        == 400
    )
    api = reader_api.post(
        "/api/v1/comments/", {"article": article.pk, "body": too_long}, format="json"
    )
    assert api.status_code == 400
    assert Comment.objects.filter(article=article).count() == 2

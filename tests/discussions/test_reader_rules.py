"""Reader rules: flagging once (told where the reader clicked), no liking one's own comment, no
reply to a deleted comment, a link counted as a fixed short length."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from discussions.forms import CommentForm
from discussions.models import Comment, Flag, Reaction
from discussions.services import (
    COMMENT_URL_LENGTH,
    COMMENT_URL_PATTERN,
    comment_create,
    comment_delete,
    comment_length,
    comment_like_toggle,
    comment_post,
)
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def _comment_html(page: str, pk: int) -> str:
    start = page.index(f'id="comment-{pk}"')
    return page[start : page.index("</article>", start)]


def test_flag_confirmation_is_shown_in_the_flagged_comment_not_at_the_top(
    client, article, alice, bob, login
):
    comment = CommentFactory(article=article, author=alice)
    login(bob)
    response = client.post(
        reverse("discussions:flag", args=[comment.pk]), {"reason": "spam"}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"#comment-{comment.pk}")
    thanks = "Thank you. A moderator will look at this comment."
    assert thanks in _comment_html(page, comment.pk)
    assert page.count(thanks) == 1  # not in the list at the top of the page as well
    assert 'class="wrap messages"' not in page
    # shown once: the next page view has no notice
    assert thanks not in client.get(article.get_absolute_url()).content.decode()


def test_flagging_again_says_so_in_the_comment_and_adds_no_flag(client, article, alice, bob, login):
    comment = CommentFactory(article=article, author=alice)
    login(bob)
    url = reverse("discussions:flag", args=[comment.pk])
    client.post(url, {"reason": "spam"})
    client.get(article.get_absolute_url())  # the thanks was read
    response = client.get(url, follow=True)
    assert "You have already flagged this comment." in _comment_html(
        response.content.decode(), comment.pk
    )
    again = client.post(url, {"reason": "abuse"})
    assert again.status_code == 400
    assert "You have already flagged this comment." in again.content.decode()
    assert Flag.objects.count() == 1


def test_a_notice_for_a_comment_not_on_the_page_is_shown_above_the_thread(
    client, article, alice, bob, login
):
    comment = CommentFactory(article=article, author=alice)
    login(bob)
    client.post(reverse("discussions:flag", args=[comment.pk]), {"reason": "spam"})
    # the comment is gone from the thread before the reader sees the page
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.HIDDEN)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Thank you. A moderator will look at this comment." in page


def test_authors_cannot_like_their_own_comment_and_see_no_like_button(
    client, article, alice, bob, login
):
    own = CommentFactory(article=article, author=alice)
    other = CommentFactory(article=article, author=bob)
    with pytest.raises(ValidationError, match="cannot like your own comment"):
        comment_like_toggle(comment=own, user=alice)
    own.refresh_from_db()
    assert own.like_count == 0 and not Reaction.objects.exists()
    login(alice)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'data-like="{own.pk}"' not in _comment_html(page, own.pk)
    assert f'data-like="{other.pk}"' in _comment_html(page, other.pk)
    response = client.post(reverse("discussions:like", args=[own.pk]), follow=True)
    assert "You cannot like your own comment." in response.content.decode()


def test_a_deleted_comment_offers_no_reply_and_the_service_refuses_one(
    client, article, alice, bob, login
):
    gone = CommentFactory(article=article, author=alice)
    comment_delete(comment=gone, user=alice)
    login(bob)
    page = client.get(article.get_absolute_url()).content.decode()
    placeholder = _comment_html(page, gone.pk)
    assert "This comment was deleted by its author." in placeholder
    assert "data-reply" not in placeholder
    assert reverse("discussions:reply", args=[gone.pk]) not in placeholder
    with pytest.raises(ValidationError, match="deleted by its author"):
        comment_post(author=bob, article=article, parent=gone, body="Why?")
    with pytest.raises(ValidationError, match="not open for replies"):
        comment_create(author=bob, article=article, parent=gone, body="Why?")
    assert not Comment.objects.filter(parent=gone).exists()


def test_replies_under_a_deleted_comment_keep_their_own_reply_link(
    client, article, alice, bob, login
):
    root = CommentFactory(article=article, author=alice)
    reply = CommentFactory(article=article, author=bob, parent=root)
    comment_delete(comment=root, user=alice)
    login(bob)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'data-reply="{reply.pk}"' in _comment_html(page, reply.pk)


@pytest.mark.parametrize(
    ("body", "length"),
    [
        ("plain words", 11),
        ("https://example.org/" + "a" * 300, COMMENT_URL_LENGTH),
        ("See [RTE](https://www.rte-france.com/eco2mix/long/path).", 12 + COMMENT_URL_LENGTH),
        ("two http://a.example/x and https://b.example/y", 9 + 2 * COMMENT_URL_LENGTH),
        ("line\r\nbreak", 10),
        ("émoji 👍", 7),
    ],
)
def test_comment_length_counts_a_link_as_a_fixed_short_length(body, length):
    assert comment_length(body) == length


def test_a_long_link_does_not_count_against_the_limit_in_form_and_service(settings, article, alice):
    settings.COMMENT_MAX_LENGTH = 40
    body = "Source: https://www.rte-france.com/" + "x" * 400
    assert CommentForm(data={"body": body}).is_valid()
    assert comment_post(author=alice, article=article, body=body).body == body
    too_long = "y" * 41
    assert not CommentForm(data={"body": too_long}).is_valid()
    with pytest.raises(ValidationError, match="at most 40 characters"):
        comment_post(author=alice, article=article, body=too_long)


def test_the_counter_reads_the_servers_rule_from_the_textarea(client, article, alice, login):
    login(alice)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'data-url-length="{COMMENT_URL_LENGTH}"' in page
    assert 'data-url-pattern="https?://[^\\s&lt;&gt;()\\[\\]]+"' in page
    assert COMMENT_URL_PATTERN == r"https?://[^\s<>()\[\]]+"

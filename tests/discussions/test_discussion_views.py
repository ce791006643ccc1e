from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from discussions.models import Comment, Flag, Reaction
from discussions.services import comment_create
from tests.factories import ClaimFactory, CommentFactory

pytestmark = pytest.mark.django_db


def _post(client, article, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse("discussions:post", args=[article.pk]), data)


def test_anonymous_visitor_is_sent_to_log_in_and_nothing_is_posted(client, article):
    response = _post(client, article, body="hello")
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Comment.objects.exists()


def test_signed_in_reader_posts_and_replies_and_sees_the_reply_nested(
    client, article, alice, bob, login
):
    login(alice)
    response = _post(client, article, body="First!")
    root = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"{article.get_absolute_url()}#comment-{root.pk}")

    login(bob)
    _post(client, article, body="A reply to alice", parent=root.pk)
    reply = Comment.objects.get(parent=root)
    assert (reply.author, reply.depth, reply.root_id) == (bob, 1, root.pk)

    page = client.get(article.get_absolute_url()).content.decode()
    root_at = page.index(f'id="comment-{root.pk}"')
    assert root_at < page.index('class="thread thread--replies"', root_at)
    assert page.index('class="thread thread--replies"', root_at) < page.index(
        f'id="comment-{reply.pk}"'
    )


def test_claim_thread_comment_stays_on_the_claim(client, article, alice, login):
    claim = ClaimFactory(article=article)
    login(alice)
    response = _post(client, article, body="On the claim", claim=claim.pk, stance="refutes")
    comment = Comment.objects.get()
    assert (comment.claim, comment.stance) == (claim, "refutes")
    assert response["Location"].endswith(f"{claim.get_absolute_url()}#comment-{comment.pk}")
    assert "On the claim" in client.get(claim.get_absolute_url()).content.decode()
    assert "On the claim" not in client.get(article.get_absolute_url()).content.decode()


def test_too_long_comment_is_refused_and_the_text_comes_back(
    client, article, alice, login, settings
):
    settings.COMMENT_MAX_LENGTH = 20
    login(alice)
    text = "x" * 21
    response = _post(client, article, body=text)
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not Comment.objects.exists()


def test_reply_to_a_comment_of_another_article_is_refused(client, article, alice, login):
    elsewhere = CommentFactory(author=alice)
    login(alice)
    response = _post(client, article, body="sneaky", parent=elsewhere.pk)
    assert response.status_code == 400
    assert "sneaky" in response.content.decode()
    assert Comment.objects.count() == 1


def test_posting_too_fast_answers_429_with_retry_after_and_keeps_the_text(
    client, article, alice, bob, login, settings
):
    settings.COMMENT_POST_RATE = "2/m"
    login(alice)
    assert _post(client, article, body="one").status_code == 302
    assert _post(client, article, body="two").status_code == 302
    response = _post(client, article, body="three, kept")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 61
    assert "three, kept" in response.content.decode()
    assert Comment.objects.count() == 2
    # the limit is per user: bob can still post
    login(bob)
    assert _post(client, article, body="bob's").status_code == 302


def test_posting_too_fast_on_a_claim_leads_back_to_the_claim(
    client, article, alice, login, settings
):
    settings.COMMENT_POST_RATE = "1/m"
    claim = ClaimFactory(article=article, statement="Nuclear made 65 % of French power.")
    login(alice)
    assert _post(client, article, body="one", claim=claim.pk).status_code == 302
    response = _post(client, article, body="two, kept", claim=claim.pk)
    assert response.status_code == 429
    page = response.content.decode()
    back = page[page.index('<p class="back">') :]
    back = back[: back.index("</p>")]
    assert f'href="/claims/{claim.pk}/#discussion"' in back
    assert "Back to the claim “Nuclear made 65 % of French power.”" in back
    assert article.title not in back
    assert "two, kept" in page


def test_author_edits_within_the_window_and_the_comment_shows_edited(
    client, article, alice, login, settings
):
    settings.COMMENT_EDIT_WINDOW_MINUTES = 15
    login(alice)
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        comment = comment_create(article=article, author=alice, body="tpyo")
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, 10, tzinfo=dt.UTC), tick=False):
        response = client.post(reverse("discussions:edit", args=[comment.pk]), {"body": "typo"})
        assert response.status_code == 302
        page = client.get(article.get_absolute_url()).content.decode()
    comment.refresh_from_db()
    assert comment.body == "typo" and comment.edited_at is not None
    assert "(edited)" in page


def test_edit_after_the_window_is_refused_and_keeps_the_text(
    client, article, alice, login, settings
):
    settings.COMMENT_EDIT_WINDOW_MINUTES = 15
    login(alice)
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        comment = comment_create(article=article, author=alice, body="original")
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, 16, tzinfo=dt.UTC), tick=False):
        response = client.post(reverse("discussions:edit", args=[comment.pk]), {"body": "too late"})
    assert response.status_code == 400
    assert "too late" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "original"


def test_nobody_edits_or_deletes_another_users_comment(client, article, alice, bob, login):
    comment = CommentFactory(article=article, author=alice, body="alice's words")
    login(bob)
    assert (
        client.post(
            reverse("discussions:edit", args=[comment.pk]), {"body": "bob's words"}
        ).status_code
        == 403
    )
    assert client.post(reverse("discussions:delete", args=[comment.pk])).status_code == 403
    comment.refresh_from_db()
    assert (comment.body, comment.status) == ("alice's words", Comment.Status.VISIBLE)


def test_author_deletes_and_replies_stay(client, article, alice, bob, login):
    root = CommentFactory(article=article, author=alice, body="to be deleted")
    reply = CommentFactory(article=article, author=bob, parent=root, body="still here")
    login(alice)
    assert client.post(reverse("discussions:delete", args=[root.pk])).status_code == 302
    root.refresh_from_db()
    assert root.status == Comment.Status.DELETED
    page = client.get(article.get_absolute_url()).content.decode()
    assert "to be deleted" not in page
    assert "still here" in page and f'id="comment-{reply.pk}"' in page
    assert f'id="comment-{root.pk}" aria-label="Comment by [deleted]"' in page


def test_like_then_unlike_moves_the_count_and_answers_json_for_scripts(
    client, article, alice, bob, login
):
    comment = CommentFactory(article=article, author=alice)
    login(bob)
    url = reverse("discussions:like", args=[comment.pk])
    response = client.post(url, HTTP_ACCEPT="application/json")
    assert response.json() == {"liked": True, "like_count": 1}
    response = client.post(url)  # without a script: redirect back
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.like_count == 0
    assert not Reaction.objects.exists()


def test_like_needs_a_post_and_a_signed_in_reader(client, article, alice, login):
    comment = CommentFactory(article=article, author=alice)
    url = reverse("discussions:like", args=[comment.pk])
    assert client.post(url).status_code == 302  # to the login page
    login(alice)
    assert client.get(url).status_code == 405
    comment.refresh_from_db()
    assert comment.like_count == 0


def test_flag_with_a_reason_reaches_the_moderators_once(client, article, alice, bob, login):
    comment = CommentFactory(article=article, author=alice)
    login(bob)
    url = reverse("discussions:flag", args=[comment.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "spam", "details": "ads"})
    assert response.status_code == 302
    again = client.post(url, {"reason": "abuse"})
    assert again.status_code == 400
    assert Flag.objects.get().reason == "spam"


def test_flag_with_an_unknown_reason_is_refused(client, article, alice, bob, login):
    comment = CommentFactory(article=article, author=alice)
    login(bob)
    response = client.post(reverse("discussions:flag", args=[comment.pk]), {"reason": "boring"})
    assert response.status_code == 400
    assert not Flag.objects.exists()


def test_thread_sorts_and_pages_top_level_comments(client, article, alice, bob, login, settings):
    settings.COMMENT_TOP_LEVEL_PAGE_SIZE = 2
    first = CommentFactory(article=article, author=alice, body="first one")
    second = CommentFactory(article=article, author=alice, body="second one")
    third = CommentFactory(article=article, author=alice, body="third one")
    Comment.objects.filter(pk=second.pk).update(like_count=5)

    oldest = client.get(article.get_absolute_url()).content.decode()
    assert "first one" in oldest and "second one" in oldest and "third one" not in oldest
    assert "cpage=2" in oldest
    newest = client.get(article.get_absolute_url() + "?sort=newest").content.decode()
    assert newest.index("third one") < newest.index("second one")
    liked = client.get(article.get_absolute_url() + "?sort=liked").content.decode()
    assert liked.index("second one") < liked.index("first one")
    more = client.get(article.get_absolute_url() + "?cpage=2").content.decode()
    assert "third one" in more and "first one" not in more
    assert first.pk and third.pk


def test_reply_page_works_without_javascript(client, article, alice, bob, login):
    root = CommentFactory(article=article, author=alice, body="answer me")
    login(bob)
    page = client.get(reverse("discussions:reply", args=[root.pk])).content.decode()
    assert "answer me" in page
    assert f'name="parent" value="{root.pk}"' in page


def test_comment_times_are_local_and_in_the_readers_language(client, article, alice):
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, 30, tzinfo=dt.UTC), tick=False):
        comment_create(article=article, author=alice, body="timed")
    fr = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    en = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # TIME_ZONE is Europe/Paris: 12:30 UTC is 13:30 there
    assert '<time datetime="2026-01-05T13:30:00+01:00">5 janvier 2026 13:30</time>' in fr
    assert '<time datetime="2026-01-05T13:30:00+01:00">Jan. 5, 2026, 1:30 p.m.</time>' in en


def test_comments_of_unpublished_articles_cannot_be_reached(client, alice, bob, login):
    from tests.factories import ArticleFactory

    draft = ArticleFactory(status="draft")
    comment = CommentFactory(article=draft, author=alice)
    login(bob)
    for name in ("reply", "flag"):
        assert client.get(reverse(f"discussions:{name}", args=[comment.pk])).status_code == 404
    assert client.post(reverse("discussions:like", args=[comment.pk])).status_code == 404
    assert (
        client.post(reverse("discussions:post", args=[draft.pk]), {"body": "x"}).status_code == 404
    )
    assert not Reaction.objects.exists()


def test_reply_page_on_a_claim_thread_keeps_the_claim(client, article, alice, bob, login):
    claim = ClaimFactory(article=article)
    root = comment_create(article=article, claim=claim, author=alice, body="on the claim")
    login(bob)
    page = client.get(reverse("discussions:reply", args=[root.pk])).content.decode()
    assert f'name="claim" value="{claim.pk}"' in page
    client.post(
        reverse("discussions:post", args=[article.pk]),
        {"body": "answer", "parent": root.pk, "claim": claim.pk},
    )
    reply = Comment.objects.get(parent=root)
    assert reply.claim == claim


@pytest.mark.parametrize("claim", ["abc", "-1", "999999", "1e3", "9" * 40])
def test_post_with_a_bad_claim_id_is_not_found_and_writes_nothing(
    client, article, alice, login, claim
):
    login(alice)
    response = client.post(
        reverse("discussions:post", args=[article.pk]), {"body": "x", "claim": claim}
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("parent", ["abc", "0", "9" * 40])
def test_post_with_a_bad_parent_id_keeps_the_text(client, article, alice, login, parent):
    login(alice)
    response = client.post(
        reverse("discussions:post", args=[article.pk]), {"body": "kept text", "parent": parent}
    )
    assert response.status_code == 400
    assert "kept text" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("status", ["hidden", "removed", "pending"])
@pytest.mark.parametrize("page", ["flag", "reply"])
def test_pages_never_show_a_comment_the_reader_may_not_read(
    client, article, alice, bob, login, status, page
):
    """Finding of an outside audit: GET /comments/<id>/flag/ (and the reply page) showed the
    author and text of comments a moderator hid or removed, and of other users' pending ones,
    to any signed-in user; ids are sequential. The API answered 404: the pages now do too."""
    comment = CommentFactory(article=article, author=bob, body="Taken down text")
    Comment.objects.filter(pk=comment.pk).update(status=status)
    login(alice)
    response = client.get(reverse(f"discussions:{page}", args=[comment.pk]))
    assert response.status_code == 404
    assert "Taken down text" not in response.content.decode()
    assert bob.username not in response.content.decode()
    # nor can the other actions reach it
    assert client.post(reverse("discussions:like", args=[comment.pk])).status_code == 404
    flag = client.post(reverse("discussions:flag", args=[comment.pk]), {"reason": "spam"})
    assert flag.status_code == 404
    assert not Flag.objects.exists()


def test_the_author_still_reaches_their_own_pending_comment(client, article, bob, login):
    comment = CommentFactory(article=article, author=bob, body="Awaiting")
    Comment.objects.filter(pk=comment.pk).update(status="pending")
    login(bob)
    assert client.get(reverse("discussions:reply", args=[comment.pk])).status_code == 200

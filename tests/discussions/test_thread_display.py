"""What a thread page shows of comments a moderator took down, of comments their author
deleted, and of the like counts of imported comments."""

from __future__ import annotations

import pytest

from discussions.models import Comment
from discussions.selectors import MAX_DISPLAY_DEPTH
from discussions.services import comment_create, comment_delete
from tests.factories import ClaimFactory, CommentFactory

pytestmark = pytest.mark.django_db


def _set_status(comment: Comment, status: str) -> None:
    Comment.objects.filter(pk=comment.pk).update(status=status)


@pytest.mark.parametrize("status", [Comment.Status.HIDDEN, Comment.Status.REMOVED])
def test_taken_down_comment_without_replies_is_not_on_the_page(client, article, alice, status):
    kept = CommentFactory(article=article, body="Still here")
    gone = CommentFactory(article=article, author=alice, body="Offending text")
    _set_status(gone, status)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{kept.pk}"' in page
    assert f'id="comment-{gone.pk}"' not in page
    assert "Offending text" not in page
    assert alice.username not in page
    assert "moderator" not in page
    assert "not shown" not in page


def test_taken_down_reply_without_replies_is_not_on_the_page(client, article, alice, bob):
    root = CommentFactory(article=article, author=alice, body="Root text")
    reply = CommentFactory(article=article, author=bob, parent=root, body="Bad reply")
    _set_status(reply, Comment.Status.HIDDEN)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{root.pk}"' in page
    assert f'id="comment-{reply.pk}"' not in page
    assert bob.username not in page
    # the root no longer opens an empty list of replies
    assert '<details class="replies"' not in page


def test_taken_down_comment_with_a_shown_reply_is_a_bare_placeholder(client, article, alice, bob):
    root = CommentFactory(article=article, author=alice, body="Offending text")
    reply = CommentFactory(article=article, author=bob, parent=root, body="A fair answer")
    _set_status(root, Comment.Status.HIDDEN)
    page = client.get(article.get_absolute_url()).content.decode()
    start = page.index(f'id="comment-{root.pk}"')
    end = page.index("</article>", start)
    placeholder = page[start:end]
    assert "This comment is not shown." in placeholder
    for leak in (alice.username, "Offending text", "<time", "Reply", "Likes", "Flag", "moderator"):
        assert leak not in placeholder
    assert alice.username not in page
    # the reply keeps its place under it
    details_at = page.index('<details class="replies"', start)
    assert start < details_at < page.index(f'id="comment-{reply.pk}"')
    assert "A fair answer" in page


def test_a_chain_of_taken_down_comments_disappears_entirely(client, article, alice, bob):
    root = CommentFactory(article=article, author=alice, body="First")
    reply = CommentFactory(article=article, author=bob, parent=root, body="Second")
    _set_status(root, Comment.Status.REMOVED)
    _set_status(reply, Comment.Status.HIDDEN)
    other = CommentFactory(article=article, body="Unrelated")
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{root.pk}"' not in page
    assert f'id="comment-{reply.pk}"' not in page
    assert f'id="comment-{other.pk}"' in page


def test_deep_reply_under_a_taken_down_parent_does_not_name_its_author(client, article, alice, bob):
    parent = None
    chain = []
    for depth in range(MAX_DISPLAY_DEPTH + 2):
        author = alice if depth == MAX_DISPLAY_DEPTH else bob
        parent = CommentFactory(article=article, author=author, parent=parent, body=f"d{depth}")
        chain.append(parent)
    _set_status(chain[MAX_DISPLAY_DEPTH], Comment.Status.HIDDEN)
    page = client.get(article.get_absolute_url()).content.decode()
    assert alice.username not in page
    assert "in reply to a comment that is not shown" in page


def test_claim_thread_drops_taken_down_comments_too(client, article, alice):
    claim = ClaimFactory(article=article)
    gone = CommentFactory(article=article, claim=claim, author=alice, body="Offending text")
    _set_status(gone, Comment.Status.REMOVED)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert f'id="comment-{gone.pk}"' not in page
    assert "Offending text" not in page


def test_comment_deleted_by_its_author_keeps_the_deleted_placeholder(client, article, alice):
    comment = CommentFactory(article=article, author=alice, body="Changed my mind")
    comment_delete(comment=comment, user=alice)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert "This comment was deleted by its author." in page
    assert "Changed my mind" not in page


def test_top_level_page_is_not_emptied_by_taken_down_threads(client, article, settings):
    settings.COMMENT_TOP_LEVEL_PAGE_SIZE = 2
    shown = CommentFactory(article=article, body="Shown one")
    for _ in range(3):
        _set_status(CommentFactory(article=article), Comment.Status.HIDDEN)
    later = CommentFactory(article=article, body="Shown two")
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{shown.pk}"' in page
    assert f'id="comment-{later.pk}"' in page


def test_imported_comment_shows_the_original_like_count_apart(client, article, bob, login):
    comment = comment_create(
        article=article,
        body="Sans nucléaire, rien.",
        external_author="FlippedSignal",
        external_like_count=12,
        enforce_length=False,
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "12 likes on the original" in page
    assert f'<span data-like-count="{comment.pk}" data-like-offset="12">0</span>' in page
    assert "Likes: 12" not in page

    login(bob)
    client.post(f"/comments/{comment.pk}/like/")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "12 likes on the original" in page
    assert 'data-like-offset="12">1</span>' in page


def test_imported_comment_without_a_known_count_says_unknown(client, article):
    comment = comment_create(
        article=article,
        body="Pas de chiffre.",
        external_author="BlockchainBard",
        external_like_count=None,
        enforce_length=False,
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Likes on the original: unknown" in page
    assert "likes on the original" not in page.replace("Likes on the original: unknown", "")
    assert f'<span data-like-count="{comment.pk}" data-like-offset="0">0</span>' in page


def test_one_like_on_the_original_is_singular(client, article):
    comment_create(
        article=article,
        body="x",
        external_author="Someone",
        external_like_count=1,
        enforce_length=False,
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "1 like on the original" in page


def test_local_comment_likes_are_shown_as_before(client, article, alice):
    comment = CommentFactory(article=article, author=alice)
    Comment.objects.filter(pk=comment.pk).update(like_count=4)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'Likes: <span data-like-count="{comment.pk}">4</span>' in page
    assert "on the original" not in page


@pytest.mark.parametrize("status", [Comment.Status.HIDDEN, Comment.Status.REMOVED])
def test_taken_down_comment_has_no_reply_page_and_takes_no_reply(
    client, article, alice, bob, login, status
):
    gone = CommentFactory(article=article, author=alice, body="Offending text")
    _set_status(gone, status)
    login(bob)
    assert client.get(f"/comments/{gone.pk}/reply/").status_code == 404
    response = client.post(
        f"/comments/post/{article.pk}/", {"body": "Answering it", "parent": gone.pk}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The comment you replied to is not shown any more." in page
    assert "Answering it" in page
    assert alice.username not in page
    assert not Comment.objects.filter(parent=gone).exists()


def test_reply_page_of_a_deleted_comment_leads_back_and_does_not_name_its_author(
    client, article, alice, bob, login
):
    comment = CommentFactory(article=article, author=alice, body="Changed my mind")
    comment_delete(comment=comment, user=alice)
    login(bob)
    response = client.get(f"/comments/{comment.pk}/reply/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[0][1] == 302
    assert "This comment is not open for replies." in page
    assert "[deleted]" in page
    assert alice.username not in page

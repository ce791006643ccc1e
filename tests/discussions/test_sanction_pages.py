"""A suspended or banned reader reads the discussion but gets no comment form, no Reply and no
Edit: in their place, the reason and (for a suspension) the end. Other readers are unaffected,
and the page cached for anonymous visitors never holds it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from discussions.accounts import account_ban, account_sanctions_lift, account_suspend
from discussions.models import Comment
from tests.factories import ClaimFactory, CommentFactory
from tests.reading.test_query_budget import PAGE_BUDGET

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
# NOW + 3 days, in the site's time zone (Europe/Paris), as each language writes it
UNTIL_EN = "March 4, 2026, 1 p.m."
UNTIL_FR = "4 mars 2026 13:00"


@pytest.fixture
def travel():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def _post_form(article) -> str:  # type: ignore[no-untyped-def]
    return f'action="{reverse("discussions:post", args=[article.pk])}"'


def _suspend(alice, moderator, reason: str = "repeated insults"):  # type: ignore[no-untyped-def]
    return account_suspend(
        user=alice, moderator=moderator, until=NOW + dt.timedelta(days=3), reason=reason
    )


def test_a_suspended_reader_reads_the_thread_but_gets_the_reason_and_end_instead_of_forms(
    travel, client, login, article, alice, bob, moderator
) -> None:  # type: ignore[no-untyped-def]
    theirs = CommentFactory(article=article, author=bob, body="a point by bob")
    mine = CommentFactory(article=article, author=alice, body="my fresh words")
    _suspend(alice, moderator)
    login(alice)

    response = client.get(article.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "a point by bob" in page and "my fresh words" in page
    assert f"You cannot comment until {UNTIL_EN}: repeated insults" in page
    assert _post_form(article) not in page
    assert 'id="reply-form-template"' not in page
    assert "data-reply=" not in page
    assert reverse("discussions:reply", args=[theirs.pk]) not in page
    # their own fresh comment: no Edit (comment_edit refuses it), Delete stays
    assert reverse("discussions:edit", args=[mine.pk]) not in page
    assert reverse("discussions:delete", args=[mine.pk]) in page
    # liking and flagging others' comments are not posting
    assert reverse("discussions:like", args=[theirs.pk]) in page
    assert reverse("discussions:flag", args=[theirs.pk]) in page


def test_a_banned_reader_is_told_on_the_claim_page(
    client, login, article, alice, moderator
) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory(article=article, status="published")
    CommentFactory(article=article, claim=claim, author=moderator, body="on the claim")
    account_ban(user=alice, moderator=moderator, reason="spam account")
    login(alice)

    page = client.get(claim.get_absolute_url()).content.decode()

    assert "You can no longer comment: spam account" in page
    assert "on the claim" in page
    assert _post_form(article) not in page and "data-reply=" not in page


def test_another_reader_still_gets_the_forms_and_no_notice(
    travel, client, login, article, alice, bob, moderator
) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice)
    _suspend(alice, moderator)
    login(bob)

    page = client.get(article.get_absolute_url()).content.decode()

    assert _post_form(article) in page and 'id="reply-form-template"' in page
    assert f'data-reply="{comment.pk}"' in page
    assert "repeated insults" not in page and "You cannot comment" not in page


def test_the_notice_is_in_french_for_a_french_reader(
    travel, client, login, article, alice, moderator
) -> None:  # type: ignore[no-untyped-def]
    _suspend(alice, moderator, reason="insultes répétées")
    login(alice)
    client.post(reverse("set_language"), {"language": "fr"})

    page = client.get(article.get_absolute_url()).content.decode()

    assert f"Vous ne pouvez pas commenter avant le {UNTIL_FR} : insultes répétées" in page
    account_sanctions_lift(user=alice, moderator=moderator, reason="appeal")
    account_ban(user=alice, moderator=moderator, reason="robot")
    assert "Vous ne pouvez plus commenter : robot" in (
        client.get(article.get_absolute_url()).content.decode()
    )


def test_a_reason_with_html_is_shown_as_text(client, login, article, alice, moderator) -> None:  # type: ignore[no-untyped-def]
    account_ban(user=alice, moderator=moderator, reason='<script>alert("x")</script> & <b>co</b>')
    login(alice)

    page = client.get(article.get_absolute_url()).content.decode()

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;" in page
    assert '<script>alert("x")' not in page and "<b>co</b>" not in page


def test_the_forms_come_back_when_the_suspension_ends_or_is_lifted(
    client, login, article, alice, moderator
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        _suspend(alice, moderator)
    with time_machine.travel(NOW + dt.timedelta(days=3, seconds=1), tick=False):
        login(alice)
        page = client.get(article.get_absolute_url()).content.decode()
        assert _post_form(article) in page and "You cannot comment" not in page

    login(alice)
    account_ban(user=alice, moderator=moderator, reason="spam")
    assert _post_form(article) not in client.get(article.get_absolute_url()).content.decode()
    account_sanctions_lift(user=alice, moderator=moderator, reason="appeal heard")
    page = client.get(article.get_absolute_url()).content.decode()
    assert _post_form(article) in page and "You can no longer comment" not in page


def test_the_reply_and_edit_pages_say_why_instead_of_a_form_and_posting_stays_refused(
    travel, client, login, article, alice, bob, moderator
) -> None:  # type: ignore[no-untyped-def]
    theirs = CommentFactory(article=article, author=bob)
    mine = CommentFactory(article=article, author=alice, body="typo")
    _suspend(alice, moderator)
    login(alice)

    reply = client.get(reverse("discussions:reply", args=[theirs.pk]))
    edit = client.get(reverse("discussions:edit", args=[mine.pk]))
    posted = client.post(
        reverse("discussions:post", args=[article.pk]), {"body": "sneaky", "parent": theirs.pk}
    )
    edited = client.post(reverse("discussions:edit", args=[mine.pk]), {"body": "fixed"})

    for response in (reply, edit):
        page = response.content.decode()
        assert response.status_code == 403
        assert f"You cannot comment until {UNTIL_EN}: repeated insults" in page
        assert "<textarea" not in page
    # the other routes still refuse, keeping the text typed
    assert posted.status_code == 403 and "sneaky" in posted.content.decode()
    assert edited.status_code == 400 and "suspended until" in edited.content.decode()
    assert not Comment.objects.filter(body="sneaky").exists()
    mine.refresh_from_db()
    assert mine.body == "typo"


def test_the_anonymous_page_cache_never_holds_the_notice(
    client, login, article, alice, moderator
) -> None:  # type: ignore[no-untyped-def]
    account_ban(user=alice, moderator=moderator, reason="spam account")
    url = article.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"

    login(alice)
    signed_in = client.get(url)
    assert "You can no longer comment" in signed_in.content.decode()
    assert "X-Page-Cache" not in signed_in
    assert "private" in signed_in["Cache-Control"] and "no-store" in signed_in["Cache-Control"]

    client.logout()
    anonymous = client.get(url)
    assert anonymous["X-Page-Cache"] == "hit"
    assert "You can no longer comment" not in anonymous.content.decode()
    assert "spam account" not in anonymous.content.decode()


def test_the_sanction_check_is_one_query_within_the_page_budget(
    client, login, article, alice, moderator, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    CommentFactory(article=article, author=moderator)
    account_ban(user=alice, moderator=moderator, reason="spam")
    login(alice)
    with django_assert_max_num_queries(PAGE_BUDGET):
        page = client.get(article.get_absolute_url()).content.decode()
    assert "You can no longer comment: spam" in page

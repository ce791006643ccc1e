"""Suspending and banning accounts: new posts refused with a clear message, reading still
open, nothing deleted, every action in the log and on the user's admin page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from discussions.accounts import (
    account_ban,
    account_posting_refusal,
    account_sanctions_lift,
    account_suspend,
)
from discussions.holding import hold_rule_save
from discussions.models import AccountSanction, Comment, HoldRule
from discussions.services import comment_edit, comment_post
from integrations.services import token_create
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def test_a_suspended_account_cannot_post_until_the_date(article, alice, moderator) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        account_suspend(
            user=alice,
            moderator=moderator,
            until=NOW + dt.timedelta(days=3),
            reason="insults",
        )
        with pytest.raises(PermissionDenied) as refused:
            comment_post(author=alice, article=article, body="let me in")
        assert "suspended until" in str(refused.value) and "insults" in str(refused.value)

    with time_machine.travel(NOW + dt.timedelta(days=3, seconds=-1), tick=False):
        assert account_posting_refusal(user_id=alice.pk) is not None
    with time_machine.travel(NOW + dt.timedelta(days=3, seconds=1), tick=False):
        assert account_posting_refusal(user_id=alice.pk) is None
        assert comment_post(author=alice, article=article, body="back").status == "visible"


def test_a_ban_lasts_until_lifted_and_deletes_nothing(article, alice, moderator) -> None:  # type: ignore[no-untyped-def]
    public = CommentFactory(article=article, author=alice, body="an old comment")
    hold_rule_save(rule=HoldRule(kind="word", text="idiot"), by=None)
    held = comment_post(author=alice, article=article, body="idiot")

    account_ban(user=alice, moderator=moderator, reason="spam account")

    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=3650)),
        pytest.raises(PermissionDenied, match="banned"),
    ):
        comment_post(author=alice, article=article, body="still here?")
    public.refresh_from_db()
    held.refresh_from_db()
    alice.refresh_from_db()
    assert public.status == "visible" and held.status == "pending" and alice.is_active
    assert Comment.objects.filter(author=alice).count() == 2

    assert account_sanctions_lift(user=alice, moderator=moderator, reason="appeal heard") == 1
    assert comment_post(author=alice, article=article, body="thanks").status == "visible"
    sanction = AccountSanction.objects.get(user=alice)
    assert (sanction.lifted_by, sanction.lift_reason) == (moderator, "appeal heard")


def test_a_sanctioned_author_cannot_edit_either(article, alice, moderator) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice, body="typo")
    account_ban(user=alice, moderator=moderator, reason="spam")
    with pytest.raises(PermissionDenied):
        comment_edit(comment=comment, user=alice, body="sneaky link")


def test_a_suspended_reader_still_reads_and_is_told_why_on_the_page(
    client, login, article, alice, moderator
) -> None:  # type: ignore[no-untyped-def]
    CommentFactory(article=article, author=alice, body="earlier words")
    account_suspend(
        user=alice, moderator=moderator, until=timezone.now() + dt.timedelta(days=1), reason="heat"
    )
    login(alice)

    page = client.get(article.get_absolute_url())
    posted = client.post(reverse("discussions:post", args=[article.pk]), {"body": "hello"})

    assert page.status_code == 200 and "earlier words" in page.content.decode()
    assert posted.status_code == 403
    assert "suspended until" in posted.content.decode()
    assert not Comment.objects.filter(body="hello").exists()


def test_the_api_refuses_a_sanctioned_accounts_post_with_the_reason(
    article, alice, moderator
) -> None:  # type: ignore[no-untyped-def]
    account_ban(user=alice, moderator=moderator, reason="bot")
    issued = token_create(user=alice, name="t", scopes=["read", "write:comments"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")

    response = client.post(
        "/api/v1/comments/", {"article": article.pk, "body": "hi"}, format="json"
    )

    assert response.status_code == 403 and "banned" in response.json()["detail"]
    assert client.get(f"/api/v1/comments/?article={article.pk}").status_code == 200


def test_only_moderators_sanction_and_never_a_moderator_or_with_no_reason(
    alice, bob, editor, moderator
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        account_ban(user=bob, moderator=alice, reason="I dislike bob")
    with pytest.raises(ValidationError):
        account_ban(user=editor, moderator=moderator, reason="coup")
    with pytest.raises(ValidationError):
        account_ban(user=bob, moderator=moderator, reason="   ")
    with pytest.raises(ValidationError):
        account_suspend(
            user=bob, moderator=moderator, until=timezone.now() - dt.timedelta(days=1), reason="x"
        )
    assert not AccountSanction.objects.exists()


def test_moderators_suspend_in_admin_and_the_log_shows_on_the_user(
    client, login, alice, moderator
) -> None:  # type: ignore[no-untyped-def]
    """Moderators read the log under Account sanctions (they do not see the user list);
    administrators also see it on the user's page."""
    login(moderator)
    until = (timezone.now() + dt.timedelta(days=7)).strftime("%Y-%m-%d")
    response = client.post(
        reverse("admin:discussions_accountsanction_add"),
        {
            "user": alice.pk,
            "kind": "suspend",
            "ends_at_0": until,
            "ends_at_1": "12:00:00",
            "reason": "repeated insults",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sanction = AccountSanction.objects.get()
    assert (sanction.user, sanction.moderator, sanction.kind) == (alice, moderator, "suspend")

    log = client.get(reverse("admin:discussions_accountsanction_changelist") + "?q=alice")
    assert log.status_code == 200 and "repeated insults" in log.content.decode()
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    login(admin)
    page = client.get(reverse("admin:auth_user_change", args=[alice.pk]))
    assert page.status_code == 200 and "repeated insults" in page.content.decode()


def test_admin_refuses_a_suspension_without_an_end(client, login, alice, moderator) -> None:  # type: ignore[no-untyped-def]
    login(moderator)
    response = client.post(
        reverse("admin:discussions_accountsanction_add"),
        {"user": alice.pk, "kind": "suspend", "reason": "no end given"},
    )
    assert response.status_code == 200 and not AccountSanction.objects.exists()


def test_the_comment_list_action_suspends_authors_and_lift_action_lifts(
    client, login, article, alice, moderator
) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice)
    login(moderator)
    client.post(
        reverse("admin:discussions_comment_changelist"),
        {
            "action": "suspend_authors",
            "_selected_action": [comment.pk],
            "reason": "flood",
            "days": "2",
        },
    )
    sanction = AccountSanction.objects.get(user=alice)
    assert sanction.kind == "suspend" and sanction.reason == "flood"
    assert sanction.ends_at is not None
    assert sanction.ends_at - timezone.now() > dt.timedelta(days=1, hours=23)

    client.post(
        reverse("admin:discussions_accountsanction_changelist"),
        {"action": "lift", "_selected_action": [sanction.pk], "reason": "calmed down"},
    )
    sanction.refresh_from_db()
    assert sanction.lifted_at is not None and sanction.lift_reason == "calmed down"


def _token(user, scopes=("read", "write:comments")):  # type: ignore[no-untyped-def]
    issued = token_create(user=user, name="t", scopes=list(scopes))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    return client


def test_moderators_sanction_and_lift_through_the_api(alice, moderator) -> None:  # type: ignore[no-untyped-def]
    client = _token(moderator)
    until = (timezone.now() + dt.timedelta(days=2)).isoformat()

    created = client.post(
        "/api/v1/sanctions/",
        {"user": "alice", "kind": "suspend", "ends_at": until, "reason": "flood"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["user"], body["moderator"], body["in_force"]) == ("alice", "morgan", True)
    assert client.get("/api/v1/sanctions/").json()["results"][0]["id"] == body["id"]

    no_end = client.post(
        "/api/v1/sanctions/", {"user": "alice", "kind": "suspend", "reason": "x"}, format="json"
    )
    assert no_end.status_code == 400

    lifted = client.post(
        "/api/v1/sanctions/lift/", {"user": "alice", "reason": "ok"}, format="json"
    )
    assert lifted.status_code == 200 and lifted.json() == {"lifted": 1}
    assert account_posting_refusal(user_id=alice.pk) is None


def test_readers_neither_see_nor_make_sanctions_through_the_api(alice, bob, moderator) -> None:  # type: ignore[no-untyped-def]
    account_ban(user=bob, moderator=moderator, reason="spam")
    client = _token(alice)

    assert client.get("/api/v1/sanctions/").status_code == 403
    refused = client.post(
        "/api/v1/sanctions/", {"user": "bob", "kind": "ban", "reason": "me too"}, format="json"
    )
    assert refused.status_code == 403
    assert APIClient().get("/api/v1/sanctions/").status_code in (401, 403)
    assert AccountSanction.objects.count() == 1

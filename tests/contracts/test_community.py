"""Contract tests for the community tools: holding a comment, featuring one, turning one into
evidence and sanctioning an account have the same effects whichever door does it (page,
admin, API)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from claims.models import Evidence
from discussions.accounts import account_ban
from discussions.holding import hold_rule_save
from discussions.models import AccountSanction, Comment, CommentEvidence, HoldRule, ModerationAction
from integrations.services import token_create
from notifications.models import Notification
from tests.contracts.conftest import Effects
from tests.factories import ArticleFactory, ClaimFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article() -> Any:
    return ArticleFactory(status="published")


def _same(results: dict[str, Any]) -> None:
    (first_door, first), *others = results.items()
    for door, result in others:
        assert result == first, f"{door} differs from {first_door}"


def test_a_held_comment_is_held_the_same_through_page_and_api(
    observe: Callable[..., Effects], article: Any, reader_page: Any, reader_api: Any
) -> None:
    hold_rule_save(rule=HoldRule(kind="word", text="idiot"), by=None)
    doors = {
        "page": lambda body: reader_page.post(
            reverse("discussions:post", args=[article.pk]), {"body": body}
        ),
        "api": lambda body: reader_api.post(
            "/api/v1/comments/", {"article": article.pk, "body": body}, format="json"
        ),
    }
    results = {}
    for door, act in doors.items():
        body = f"You I D I O T ({door})"
        effects = observe(lambda act=act, body=body: act(body))
        comment = Comment.objects.get(body=body)
        results[door] = (
            comment.status,
            comment.held_reason,
            comment.hold_rule_id,
            effects.webhooks,
            effects.jobs,
        )
    _same(results)
    assert results["api"][0] == "pending"


@pytest.fixture
def editor_page(editor: Any) -> Client:
    client = Client()
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_featuring_has_the_same_effects_through_page_admin_and_api(
    observe: Callable[..., Effects],
    article: Any,
    alice: Any,
    editor_page: Any,
    editor_admin: Any,
    editor_api: Any,
) -> None:
    changelist = reverse("admin:discussions_comment_changelist")
    doors = {
        "page": lambda c: editor_page.post(
            reverse("discussions:feature", args=[c.pk]), {"label": "Expert answer"}
        ),
        "admin": lambda c: editor_admin.post(
            changelist,
            {"action": "feature", "_selected_action": [c.pk], "reason": "Expert answer"},
        ),
        "api": lambda c: editor_api.post(
            f"/api/v1/comments/{c.pk}/feature/", {"label": "Expert answer"}, format="json"
        ),
    }
    unfeature = {
        "page": lambda c: editor_page.post(
            reverse("discussions:feature", args=[c.pk]), {"unfeature": "1"}
        ),
        "admin": lambda c: editor_admin.post(
            changelist, {"action": "unfeature", "_selected_action": [c.pk]}
        ),
        "api": lambda c: editor_api.delete(f"/api/v1/comments/{c.pk}/feature/"),
    }
    results = {}
    for door, act in doors.items():
        comment = CommentFactory(article=article, author=alice)
        effects = observe(lambda act=act, c=comment: act(c))
        comment.refresh_from_db()
        featured = (comment.featured_label, comment.featured_by_id, comment.featured_at is not None)
        effects_off = observe(lambda c=comment, door=door: unfeature[door](c))
        comment.refresh_from_db()
        log = list(
            ModerationAction.objects.filter(comment=comment)
            .order_by("id")
            .values_list("action", "reason", "moderator_id")
        )
        results[door] = (featured, comment.featured_at, log, effects, effects_off)
    _same(results)
    assert results["api"][0] == ("Expert answer", results["api"][2][0][2], True)


def test_promoting_a_comment_has_the_same_effects_through_page_admin_and_api(
    observe: Callable[..., Effects],
    article: Any,
    alice: Any,
    editor_page: Any,
    editor_admin: Any,
    editor_api: Any,
) -> None:
    claim = ClaimFactory(article=article)
    changelist = reverse("admin:discussions_moderationqueueitem_changelist")
    doors = {
        "page": lambda c: editor_page.post(
            reverse("discussions:promote", args=[c.pk]),
            {"claim": claim.pk, "stance": "supports", "url": "", "excerpt": ""},
        ),
        "admin": lambda c: editor_admin.post(
            reverse("admin:discussions_comment_changelist"),
            {
                "action": "promote",
                "_selected_action": [c.pk],
                "claim": str(claim.pk),
                "stance": "supports",
            },
        ),
        "api": lambda c: editor_api.post(
            f"/api/v1/comments/{c.pk}/promote/",
            {"claim": claim.pk, "stance": "supports"},
            format="json",
        ),
    }
    assert changelist  # the queue offers the same action (ModerationActionsMixin)
    results = {}
    for door, act in doors.items():
        url = f"https://example.org/{door}"
        comment = CommentFactory(article=article, author=alice, body=f"Source: {url}")
        effects = observe(lambda act=act, c=comment: act(c))
        evidence = Evidence.objects.get(url=url)
        provenance = CommentEvidence.objects.get(evidence=evidence)
        results[door] = (
            evidence.claim_id,
            evidence.stance,
            evidence.added_by_id,
            evidence.excerpt.replace(door, "DOOR"),
            evidence.check_status,
            (provenance.comment_id == comment.pk, provenance.author_id, provenance.promoted_by_id),
            Notification.objects.filter(recipient=alice, object_key=f"evidence:{evidence.pk}")
            .values_list("kind", flat=True)
            .get(),
            effects,
        )
    _same(results)
    assert results["api"][6] == "moderation"
    assert "claims.evidence_tasks.check_evidence_link" in results["api"][7].jobs


def test_suspending_has_the_same_effects_through_admin_form_admin_action_and_api(
    observe: Callable[..., Effects],
    article: Any,
    moderator: Any,
    bob: Any,
    charlie: Any,
    alice: Any,
) -> None:
    issued = token_create(user=moderator, name="contract", scopes=["read", "write:comments"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    client = Client()
    client.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")
    until = timezone.now() + dt.timedelta(days=2)
    doors = {
        "admin form": lambda user: client.post(
            reverse("admin:discussions_accountsanction_add"),
            {
                "user": user.pk,
                "kind": "suspend",
                "ends_at_0": timezone.localtime(until).strftime("%Y-%m-%d"),
                "ends_at_1": timezone.localtime(until).strftime("%H:%M:%S"),
                "reason": "flood",
            },
        ),
        "admin action": lambda user: client.post(
            reverse("admin:discussions_comment_changelist"),
            {
                "action": "suspend_authors",
                "_selected_action": [CommentFactory(article=article, author=user).pk],
                "reason": "flood",
                "days": "2",
            },
        ),
        "api": lambda user: api.post(
            "/api/v1/sanctions/",
            {
                "user": user.username,
                "kind": "suspend",
                "ends_at": until.isoformat(),
                "reason": "flood",
            },
            format="json",
        ),
    }
    results = {}
    for (door, act), user in zip(doors.items(), (bob, charlie, alice), strict=True):
        effects = observe(lambda act=act, user=user: act(user))
        sanction = AccountSanction.objects.get(user=user)
        assert sanction.ends_at is not None
        told = Notification.objects.get(recipient=user)
        results[door] = (
            sanction.kind,
            sanction.reason,
            sanction.moderator_id,
            round((sanction.ends_at - until).total_seconds() / 60),
            effects,
            # the account hears of it the same way whichever door the moderator used
            (told.kind, told.actor_id, told.params["reason"], told.object_key.split(":")[0]),
        )
    _same(results)
    assert results["api"][5] == ("sanction", None, "flood", "sanction")


def test_lifting_tells_the_account_the_same_through_admin_action_and_api(
    observe: Callable[..., Effects], moderator: Any, bob: Any, alice: Any
) -> None:
    issued = token_create(user=moderator, name="contract", scopes=["read", "write:comments"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    client = Client()
    client.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")
    doors = {
        "admin action": lambda user: client.post(
            reverse("admin:discussions_accountsanction_changelist"),
            {
                "action": "lift",
                "_selected_action": [AccountSanction.objects.get(user=user).pk],
                "reason": "appeal heard",
            },
        ),
        "api": lambda user: api.post(
            "/api/v1/sanctions/lift/", {"user": user.username, "reason": "appeal heard"}
        ),
    }
    results = {}
    for (door, act), user in zip(doors.items(), (bob, alice), strict=True):
        account_ban(user=user, moderator=moderator, reason="spam")
        effects = observe(lambda act=act, user=user: act(user))
        told = Notification.objects.filter(recipient=user).order_by("-id").first()
        assert told is not None
        results[door] = (
            AccountSanction.objects.get(user=user).lift_reason,
            effects,
            (told.kind, told.params),
        )
    _same(results)
    assert results["api"][2] == ("sanction", {"sanction": "lifted", "lifted": "ban"})

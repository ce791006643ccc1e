"""Contract tests for the discussion: a reader's page forms and the API (a reader's token) have
the same effects and the same limits; moderators' admin actions (the comment list and the
moderation queue) and the API's moderate action log the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from discussions.holding import hold_rule_save
from discussions.models import Comment, Flag, HoldRule, ModerationAction
from discussions.services import FLAG_DETAILS_MAX_LENGTH, comment_post
from notifications.models import Notification
from tests.contracts.conftest import Effects
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article() -> Any:
    return ArticleFactory(status="published")


def _same(results: dict[str, Any]) -> None:
    (first_door, first), *others = results.items()
    for door, result in others:
        assert result == first, f"{door} differs from {first_door}"


def test_posting_and_replying_store_the_same_comment_through_page_and_api(
    observe: Callable[..., Effects], article: Any, alice: Any, reader_page: Any, reader_api: Any
) -> None:
    parent = CommentFactory(article=article)
    doors = {
        "page": lambda body: reader_page.post(
            reverse("discussions:post", args=[article.pk]),
            {"body": body, "parent": parent.pk},
        ),
        "api": lambda body: reader_api.post(
            "/api/v1/comments/",
            {"article": article.pk, "parent": parent.pk, "body": body},
            format="json",
        ),
    }
    results = {}
    for door, act in doors.items():
        body = f"**Sources** please, {door}."
        effects = observe(lambda act=act, body=body: act(body))
        comment = Comment.objects.get(body=body)
        results[door] = (
            comment.author_id,
            comment.parent_id,
            comment.depth,
            comment.status,
            comment.body_html.replace(door, "DOOR"),
            effects.webhooks,
            effects.jobs,
        )
    _same(results)
    assert results["api"][:4] == (alice.pk, parent.pk, 1, "visible")


def test_the_comment_rate_holds_whatever_the_door_mix(
    settings: Any, article: Any, reader_page: Any, reader_api: Any
) -> None:
    """Finding: COMMENT_POST_RATE applied to the web form only: 25 of 25 API posts went through
    right after the form was refused. Both doors share one counter per author now."""
    settings.COMMENT_POST_RATE = "3/m"
    codes = [
        reader_page.post(
            reverse("discussions:post", args=[article.pk]), {"body": "one"}
        ).status_code,
        reader_api.post(
            "/api/v1/comments/", {"article": article.pk, "body": "two"}, format="json"
        ).status_code,
        reader_page.post(
            reverse("discussions:post", args=[article.pk]), {"body": "three"}
        ).status_code,
    ]
    api = reader_api.post(
        "/api/v1/comments/", {"article": article.pk, "body": "four"}, format="json"
    )
    page = reader_page.post(reverse("discussions:post", args=[article.pk]), {"body": "five"})

    assert codes == [302, 201, 302]
    assert api.status_code == 429 and int(api["Retry-After"]) >= 1
    assert api.json()["code"] == "throttled" and "posting too fast" in api.json()["detail"]
    assert page.status_code == 429 and int(page["Retry-After"]) >= 1
    assert "five" in page.content.decode()  # the text comes back in the form
    assert Comment.objects.filter(article=article).count() == 3


def test_a_closed_discussion_is_closed_to_every_door(
    alice: Any, reader_page: Any, reader_api: Any
) -> None:
    draft = ArticleFactory(status="draft")
    page = reader_page.post(reverse("discussions:post", args=[draft.pk]), {"body": "hello"})
    api = reader_api.post(
        "/api/v1/comments/", {"article": draft.pk, "body": "hello"}, format="json"
    )
    assert page.status_code == 404 and api.status_code == 400
    assert not Comment.objects.filter(article=draft).exists()


def test_editing_and_deleting_have_the_same_effects_through_page_and_api(
    observe: Callable[..., Effects], article: Any, alice: Any, reader_page: Any, reader_api: Any
) -> None:
    edits = {
        "page": lambda c: reader_page.post(
            reverse("discussions:edit", args=[c.pk]), {"body": "Corrected."}
        ),
        "api": lambda c: reader_api.patch(
            f"/api/v1/comments/{c.pk}/", {"body": "Corrected."}, format="json"
        ),
    }
    deletes = {
        "page": lambda c: reader_page.post(reverse("discussions:delete", args=[c.pk])),
        "api": lambda c: reader_api.delete(f"/api/v1/comments/{c.pk}/"),
    }
    for doors in (edits, deletes):
        results = {}
        for door, act in doors.items():
            comment = CommentFactory(article=article, author=alice, body="Typo.")
            effects = observe(lambda act=act, c=comment: act(c))
            comment.refresh_from_db()
            results[door] = (
                comment.status,
                comment.body,
                comment.body_html,
                comment.edited_at is not None,
                effects.jobs,
            )
        _same(results)


def test_likes_and_flags_have_the_same_effects_and_limits_through_page_and_api(
    observe: Callable[..., Effects], article: Any, bob: Any, reader_page: Any, reader_api: Any
) -> None:
    likes = {
        "page": lambda c: reader_page.post(reverse("discussions:like", args=[c.pk])),
        "api": lambda c: reader_api.post(f"/api/v1/comments/{c.pk}/like/", {}, format="json"),
    }
    results = {}
    for door, act in likes.items():
        comment = CommentFactory(article=article, author=bob)
        observe(lambda act=act, c=comment: act(c))
        comment.refresh_from_db()
        results[door] = (comment.like_count, comment.reactions.count())
    _same(results)

    flags = {
        "page": lambda c, details: reader_page.post(
            reverse("discussions:flag", args=[c.pk]), {"reason": "spam", "details": details}
        ),
        "api": lambda c, details: reader_api.post(
            f"/api/v1/comments/{c.pk}/flag/", {"reason": "spam", "details": details}, format="json"
        ),
    }
    results = {}
    for door, act in flags.items():
        comment = CommentFactory(article=article, author=bob)
        effects = observe(lambda act=act, c=comment: act(c, "Selling panels."))
        too_long = act(
            CommentFactory(article=article, author=bob), "x" * (FLAG_DETAILS_MAX_LENGTH + 1)
        )
        results[door] = (
            list(Flag.objects.filter(comment=comment).values_list("reason", "details")),
            effects.webhooks,
            effects.jobs,
            too_long.status_code,
        )
    _same(results)
    assert results["api"][1] == ("comment.flagged",)
    assert results["api"][3] == 400  # one cap, FLAG_DETAILS_MAX_LENGTH, on both doors


def test_moderation_is_logged_the_same_way_through_admin_queue_and_api(
    observe: Callable[..., Effects], article: Any, editor: Any, editor_admin: Any, session: Any
) -> None:
    api = session(editor)
    doors = {
        "comment list": lambda c: editor_admin.post(
            reverse("admin:discussions_comment_changelist"),
            {"action": "hide", "_selected_action": [c.pk], "reason": "Insults."},
        ),
        "moderation queue": lambda c: editor_admin.post(
            reverse("admin:discussions_moderationqueueitem_changelist"),
            {"action": "hide", "_selected_action": [c.pk], "reason": "Insults."},
        ),
        "api": lambda c: api.post(
            f"/api/v1/comments/{c.pk}/moderate/",
            {"action": "hide", "reason": "Insults."},
            format="json",
        ),
    }
    results = {}
    for door, act in doors.items():
        comment = CommentFactory(article=article)
        Flag.objects.create(comment=comment, user=editor, reason="abuse")
        observe(lambda act=act, c=comment: act(c))
        comment.refresh_from_db()
        results[door] = (
            comment.status,
            list(
                ModerationAction.objects.filter(comment=comment).values_list(
                    "action", "previous_status", "reason", "moderator_id"
                )
            ),
            list(comment.flags.values_list("resolved", flat=True)),
        )
    _same(results)
    assert results["api"][0] == "hidden"


def test_rejecting_a_held_comment_tells_its_author_the_same_through_admin_queue_and_api(
    observe: Callable[..., Effects],
    article: Any,
    alice: Any,
    editor: Any,
    editor_admin: Any,
    session: Any,
) -> None:
    hold_rule_save(rule=HoldRule(kind="word", text="idiot"), by=None)
    api = session(editor)
    doors = {
        "comment list": lambda c: editor_admin.post(
            reverse("admin:discussions_comment_changelist"),
            {"action": "remove", "_selected_action": [c.pk], "reason": "Insults."},
        ),
        "moderation queue": lambda c: editor_admin.post(
            reverse("admin:discussions_moderationqueueitem_changelist"),
            {"action": "remove", "_selected_action": [c.pk], "reason": "Insults."},
        ),
        "api": lambda c: api.post(
            f"/api/v1/comments/{c.pk}/moderate/",
            {"action": "remove", "reason": "Insults."},
            format="json",
        ),
    }
    results = {}
    for door, act in doors.items():
        held = comment_post(author=alice, article=article, body=f"idiot ({door})")
        effects = observe(lambda act=act, c=held: act(c))
        told = Notification.objects.filter(object_key__startswith=f"rejected:{held.pk}:")
        results[door] = (
            Comment.objects.get(pk=held.pk).status,
            [(n.recipient_id, n.kind, n.actor_id, n.params["reason"], n.mail) for n in told],
            effects.jobs,
        )
    _same(results)
    assert results["api"][1] == [(alice.pk, "comment_rejected", None, "Insults.", "digest")]

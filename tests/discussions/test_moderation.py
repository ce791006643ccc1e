"""The moderation queue and its logged actions; hidden and removed comments leave the pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from discussions.models import Comment, Flag, ModerationAction
from discussions.moderation import comments_moderate, moderation_queue
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def _flag(comment: Comment, user) -> Flag:  # type: ignore[no-untyped-def]
    return Flag.objects.create(user=user, comment=comment, reason=Flag.Reason.ABUSE)


def test_queue_holds_pending_and_flagged_comments_most_flagged_first(
    article, alice, bob, charlie
) -> None:  # type: ignore[no-untyped-def]
    quiet = CommentFactory(article=article, author=alice, body="quiet")
    once = CommentFactory(article=article, author=alice, body="flagged once")
    twice = CommentFactory(article=article, author=bob, body="flagged twice")
    pending = CommentFactory(article=article, author=charlie, body="pending")
    Comment.objects.filter(pk=pending.pk).update(status=Comment.Status.PENDING)
    resolved = CommentFactory(article=article, author=bob, body="already handled")
    Flag.objects.create(user=alice, comment=resolved, reason="spam", resolved=True)
    _flag(once, bob)
    _flag(twice, alice)
    _flag(twice, charlie)

    queue = list(moderation_queue())

    assert [c.body for c in queue] == ["flagged twice", "flagged once", "pending"]
    assert quiet not in queue


def test_hiding_logs_the_action_and_resolves_flags(article, alice, bob, moderator) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice, body="rude words")
    flag = _flag(comment, bob)

    result = comments_moderate(
        comments=[comment], action="hide", moderator=moderator, reason="insults another reader"
    )

    comment.refresh_from_db()
    flag.refresh_from_db()
    assert [c.pk for c in result.done] == [comment.pk]
    assert comment.status == Comment.Status.HIDDEN
    log = ModerationAction.objects.get(comment=comment)
    assert (log.action, log.previous_status, log.reason, log.moderator) == (
        "hide",
        "visible",
        "insults another reader",
        moderator,
    )
    assert flag.resolved and flag.resolved_by == moderator and flag.resolved_at is not None
    assert comment not in moderation_queue()


def test_hiding_without_a_reason_changes_nothing(article, alice, moderator) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice)

    with pytest.raises(ValidationError):
        comments_moderate(comments=[comment], action="remove", moderator=moderator, reason="  ")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE
    assert not ModerationAction.objects.exists()


def test_approving_a_pending_comment_shows_it(article, alice, moderator) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)

    comments_moderate(comments=[comment], action="approve", moderator=moderator)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE
    assert ModerationAction.objects.get(comment=comment).previous_status == "pending"


def test_a_comment_deleted_by_its_author_is_skipped(article, alice, moderator) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.DELETED)

    result = comments_moderate(comments=[comment], action="hide", moderator=moderator, reason="x")

    assert result.skipped == [comment] and not result.done
    comment.refresh_from_db()
    assert comment.status == Comment.Status.DELETED


def test_restore_brings_a_removed_comment_back(article, alice, moderator) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice)
    comments_moderate(comments=[comment], action="remove", moderator=moderator, reason="spam")
    comments_moderate(comments=[comment], action="restore", moderator=moderator, reason="appeal")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE
    assert list(
        ModerationAction.objects.filter(comment=comment)
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["remove", "restore"]


def test_admin_queue_action_hides_with_the_typed_reason(
    article, alice, bob, moderator, login
) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice, body="spam spam")
    other = CommentFactory(article=article, author=bob, body="fine")
    _flag(comment, bob)
    client = login(moderator)
    url = reverse("admin:discussions_moderationqueueitem_changelist")

    listing = client.get(url)
    assert listing.status_code == 200
    assert b"spam spam" in listing.content and b"fine" not in listing.content
    response = client.post(
        url,
        {"action": "hide", "_selected_action": [comment.pk], "reason": "advertising", "index": 0},
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    other.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN and other.status == Comment.Status.VISIBLE
    assert ModerationAction.objects.get(comment=comment).reason == "advertising"


def test_admin_action_without_reason_is_refused(article, alice, bob, moderator, login) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice)
    _flag(comment, bob)
    client = login(moderator)

    client.post(
        reverse("admin:discussions_moderationqueueitem_changelist"),
        {"action": "remove", "_selected_action": [comment.pk], "reason": "", "index": 0},
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE


def test_hidden_and_removed_comments_vanish_from_the_page_and_api(
    article, alice, bob, moderator, client
) -> None:  # type: ignore[no-untyped-def]
    kept = CommentFactory(article=article, author=alice, body="A reasonable remark")
    hidden = CommentFactory(article=article, author=bob, body="Hidden insult here")
    removed = CommentFactory(article=article, author=bob, body="Removed spam link")
    comments_moderate(comments=[hidden], action="hide", moderator=moderator, reason="insult")
    comments_moderate(comments=[removed], action="remove", moderator=moderator, reason="spam")

    assert set(Comment.objects.shown().filter(article=article)) == {kept}
    page = client.get(reverse("reading:article", kwargs={"slug": article.slug}))
    assert page.status_code == 200
    assert "A reasonable remark" in page.content.decode()
    assert "Hidden insult here" not in page.content.decode()
    assert "Removed spam link" not in page.content.decode()
    api = client.get("/api/v1/comments/")
    assert api.status_code == 200
    body = api.content.decode()
    assert "A reasonable remark" in body
    assert "Hidden insult here" not in body and "Removed spam link" not in body


def test_queue_filters_pending_and_flagged(article, alice, bob, moderator, login) -> None:  # type: ignore[no-untyped-def]
    flagged = CommentFactory(article=article, author=alice, body="flagged one")
    _flag(flagged, bob)
    pending = CommentFactory(article=article, author=bob, body="pending one")
    Comment.objects.filter(pk=pending.pk).update(status=Comment.Status.PENDING)
    client = login(moderator)
    url = reverse("admin:discussions_moderationqueueitem_changelist")

    flagged_only = client.get(url + "?why=flagged").context["cl"].result_list
    pending_only = client.get(url + "?why=pending").context["cl"].result_list

    assert [c.pk for c in flagged_only] == [flagged.pk]
    assert [c.pk for c in pending_only] == [pending.pk]


def test_admin_queue_shows_what_flaggers_wrote(article, alice, bob, moderator, login) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice, body="buy cheap watts")
    Flag.objects.create(
        user=bob, comment=comment, reason=Flag.Reason.SPAM, details="Same link posted ten times"
    )
    listing = login(moderator).get(reverse("admin:discussions_moderationqueueitem_changelist"))
    assert "Spam: Same link posted ten times" in listing.content.decode()
    assert "discussions/admin/moderation.css" in listing.content.decode()

"""What moderators decide about a reader reaches that reader, and only them: a held comment
rejected (with the reason), their account suspended or banned (reason, end), and the sanction
lifted. On the site (page, bell, API) and by mail, in the reader's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from discussions.accounts import account_ban, account_sanctions_lift, account_suspend
from discussions.holding import hold_rule_save
from discussions.models import Comment, Flag, HoldRule
from discussions.moderation import comments_moderate
from discussions.services import comment_post
from notifications.models import DEFAULT_CHANNELS, Channel, Kind, Mailbox, Notification
from notifications.services import digests_send, preference_set, unsubscribe_token
from notifications.texts import notification_text
from tests.factories import ArticleFactory, ClaimFactory

# real commits: the mails go out when the moderator's transaction commits, as in production
pytestmark = pytest.mark.django_db(transaction=True)

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
# NOW + 3 days in the site's zone (Europe/Paris), as each language writes it
UNTIL_EN = "March 4, 2026, 1 p.m."
UNTIL_FR = "4 mars 2026 13:00"


@pytest.fixture
def article() -> Any:
    return ArticleFactory(status="published", title="Data centres and the grid")


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any) -> tuple[Any, Any, Any]:
    for user in (alice, bob, charlie):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return alice, bob, charlie


@pytest.fixture
def held_rule() -> HoldRule:
    return hold_rule_save(rule=HoldRule(kind="word", text="idiot"), by=None)


def _signed_in(client: Any, user: Any) -> Any:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _french(user: Any) -> None:
    Mailbox.objects.update_or_create(user=user, defaults={"language": "fr"})


# --- a held comment rejected ---


def test_a_rejected_held_comment_tells_its_author_alone_with_the_reason(
    article: Any, people: Any, moderator: Any, held_rule: Any
) -> None:
    alice, bob, charlie = people
    parent = comment_post(author=bob, article=article, body="My point")
    Notification.objects.all().delete()
    held = comment_post(
        author=alice, article=article, parent=parent, body="@bob @charlie you idiot"
    )
    mail.outbox.clear()

    comments_moderate(comments=[held], action="remove", moderator=moderator, reason="Insults.")

    [told] = Notification.objects.all()
    assert (told.recipient, told.kind, told.actor) == (alice, Kind.COMMENT_REJECTED, None)
    assert told.target_url == article.get_absolute_url() + "#discussion"
    assert notification_text(told) == (
        "Your comment “@bob @charlie you idiot” on “Data centres and the grid” was not "
        "published: Insults."
    )
    # the parent's author and the readers it mentions hear nothing: it was never shown
    assert not Notification.objects.filter(recipient__in=[bob, charlie]).exists()
    # like an approval, it waits for the daily digest
    assert told.mail == Notification.Mail.DIGEST and mail.outbox == []
    assert digests_send() == 1
    [digest] = mail.outbox
    assert digest.to == ["alice@example.org"] and "was not published: Insults." in digest.body


def test_hiding_a_held_claim_comment_also_tells_the_author_and_points_to_the_discussion(
    article: Any, people: Any, moderator: Any, held_rule: Any
) -> None:
    alice, _, _ = people
    claim = ClaimFactory(article=article, status="published")
    held = comment_post(author=alice, article=article, claim=claim, body="idiot " + "x" * 100)

    comments_moderate(comments=[held], action="hide", moderator=moderator, reason="Rude")

    told = Notification.objects.get(recipient=alice, kind=Kind.COMMENT_REJECTED)
    assert told.target_url == claim.get_absolute_url() + "#discussion"
    excerpt = told.params["excerpt"]
    assert len(excerpt) == 60 and excerpt.endswith("…") and excerpt.startswith("idiot x")


def test_a_claim_no_longer_public_sends_the_author_to_the_article_instead(
    article: Any, people: Any, moderator: Any, held_rule: Any
) -> None:
    alice, _, _ = people
    claim = ClaimFactory(article=article, status="published")
    held = comment_post(author=alice, article=article, claim=claim, body="idiot, this is wrong")
    claim.status = "suggested"  # taken back to review: its page answers 404 to readers
    claim.save(update_fields=["status"])

    comments_moderate(comments=[held], action="remove", moderator=moderator, reason="Rude")

    told = Notification.objects.get(recipient=alice, kind=Kind.COMMENT_REJECTED)
    assert told.target_url == article.get_absolute_url() + "#discussion"


def test_a_shown_comment_taken_down_tells_its_author_once_with_the_reason(
    article: Any, people: Any, moderator: Any
) -> None:
    alice, bob, charlie = people
    parent = comment_post(author=bob, article=article, body="My point")
    shown = comment_post(
        author=alice, article=article, parent=parent, body="@charlie see <b>this</b>"
    )
    Flag.objects.create(comment=shown, user=bob, reason="abuse")
    Notification.objects.all().delete()

    comments_moderate(comments=[shown], action="hide", moderator=moderator, reason="Off-topic")
    # removed after being hidden: already taken down, not told again
    comments_moderate(comments=[shown], action="remove", moderator=moderator, reason="Later")

    [told] = Notification.objects.filter(recipient=alice)
    assert (told.kind, told.actor) == (Kind.COMMENT_REJECTED, None)
    assert told.target_url == article.get_absolute_url() + "#discussion"
    assert notification_text(told) == (
        "Your comment “@charlie see <b>this</b>” on “Data centres and the grid” was taken down "
        "by the moderators: Off-topic"
    )
    # the flagger hears the outcome, the reader it mentions hears nothing
    assert Notification.objects.get(recipient=bob).kind == Kind.FLAG_OUTCOME
    assert not Notification.objects.filter(recipient=charlie).exists()
    # the page escapes the comment's words
    page = _signed_in(Client(), alice).get(reverse("notifications:list"))
    assert "see &lt;b&gt;this&lt;/b&gt;" in page.content.decode()


def test_a_comment_restored_tells_its_author_and_nobody_else(
    article: Any, people: Any, moderator: Any
) -> None:
    alice, _, _ = people
    shown = comment_post(author=alice, article=article, body="@bob I stand by this")
    comments_moderate(comments=[shown], action="remove", moderator=moderator, reason="Mistake")
    Notification.objects.all().delete()

    comments_moderate(comments=[shown], action="restore", moderator=moderator, reason="Appeal")

    [told] = Notification.objects.all()
    assert (told.recipient, told.kind, told.actor) == (alice, Kind.MODERATION, None)
    assert notification_text(told) == (
        "Your comment “@bob I stand by this” on “Data centres and the grid” was restored and "
        "is shown again."
    )
    _french(alice)
    with translation.override("fr"):
        assert "a été rétabli" in notification_text(told)


def test_a_moderator_taking_down_their_own_comment_is_not_told(
    article: Any, moderator: Any
) -> None:
    own = comment_post(author=moderator, article=article, body="Posted in the wrong thread")
    comments_moderate(comments=[own], action="remove", moderator=moderator, reason="Moved")
    assert not Notification.objects.filter(recipient=moderator).exists()


def test_a_comment_rejected_twice_is_told_twice(
    article: Any, people: Any, moderator: Any, held_rule: Any
) -> None:
    alice, _, _ = people
    held = comment_post(author=alice, article=article, body="idiot")
    comments_moderate(comments=[held], action="hide", moderator=moderator, reason="First")
    comments_moderate(comments=[held], action="restore", moderator=moderator, reason="Appeal")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    comments_moderate(comments=[held], action="remove", moderator=moderator, reason="Second")

    reasons = Notification.objects.filter(kind=Kind.COMMENT_REJECTED).order_by("id")
    assert [n.params["reason"] for n in reasons] == ["First", "Second"]


def test_a_moderator_rejecting_their_own_held_comment_is_not_told(
    article: Any, moderator: Any, held_rule: Any
) -> None:
    held = comment_post(author=moderator, article=article, body="idiot test")
    comments_moderate(comments=[held], action="remove", moderator=moderator, reason="Test")
    assert not Notification.objects.exists()


# --- sanctions ---


def test_a_suspension_is_told_at_once_with_reason_and_end_on_the_site_and_by_mail(
    article: Any, people: Any, moderator: Any, client: Any, session: Any
) -> None:
    alice, bob, _ = people
    with time_machine.travel(NOW, tick=False):
        account_suspend(
            user=alice, moderator=moderator, until=NOW + dt.timedelta(days=3), reason="Flooding"
        )
        expected = (
            f"Your account is suspended until {UNTIL_EN} (Flooding). You can still read "
            "everything meanwhile."
        )

        [told] = Notification.objects.all()
        assert (told.recipient, told.kind, told.actor) == (alice, Kind.SANCTION, None)
        assert notification_text(told) == expected
        # mailed at once, not in tomorrow's digest
        [sent] = mail.outbox
        assert sent.to == ["alice@example.org"] and sent.subject == f"Assay: {expected}"
        assert told.target_url == reverse("notifications:list")
        assert f"{reverse('notifications:list')}" in sent.body

        # the bell counts it, beside the notice that replaces the comment form
        page = _signed_in(client, alice).get(article.get_absolute_url()).content.decode()
        assert 'class="bell__count">1' in page
        assert f"You cannot comment until {UNTIL_EN}: Flooding" in page
        listed = client.get(reverse("notifications:list")).content.decode()
        assert expected in listed
        [item] = session(alice).get("/api/v1/notifications/").json()["results"]
        assert (item["kind"], item["actor"], item["text"]) == ("sanction", None, expected)
    assert not Notification.objects.filter(recipient=bob).exists()


def test_a_ban_and_its_lifting_are_told_but_not_the_lift_reason(
    people: Any, moderator: Any
) -> None:
    alice, _, _ = people
    account_ban(user=alice, moderator=moderator, reason="Spam account")
    account_sanctions_lift(user=alice, moderator=moderator, reason="internal note: appeal #12")
    assert account_sanctions_lift(user=alice, moderator=moderator, reason="again") == 0

    texts = [
        notification_text(n) for n in Notification.objects.filter(recipient=alice).order_by("id")
    ]
    assert texts == [
        "Your account is banned from the discussion (Spam account). You can still read everything.",
        "The ban on your account was lifted: you can comment again.",
    ]
    assert all("internal note" not in mailed.body for mailed in mail.outbox)


def test_a_suspension_lifted_early_is_told_and_its_natural_end_is_not(
    people: Any, moderator: Any
) -> None:
    alice, bob, _ = people
    account_suspend(
        user=alice, moderator=moderator, until=timezone.now() + dt.timedelta(days=1), reason="x"
    )
    account_suspend(
        user=bob, moderator=moderator, until=timezone.now() + dt.timedelta(days=1), reason="y"
    )
    account_sanctions_lift(user=alice, moderator=moderator, reason="calmer")
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        assert account_sanctions_lift(user=bob, moderator=moderator, reason="late") == 0

    lifted = Notification.objects.filter(params__sanction="lifted")
    assert [(n.recipient, notification_text(n)) for n in lifted] == [
        (alice, "Your suspension was lifted early: you can comment again.")
    ]


def test_sanctions_are_written_in_french_for_a_french_reader(
    people: Any, moderator: Any, client: Any
) -> None:
    alice, _, _ = people
    _french(alice)
    with time_machine.travel(NOW, tick=False):
        account_suspend(
            user=alice,
            moderator=moderator,
            until=NOW + dt.timedelta(days=3),
            reason="insultes répétées",
        )
        assert account_sanctions_lift(user=alice, moderator=moderator, reason="ok") == 1
    # within NOTIFICATION_BURST_MINUTES of the first mail: the lifting waits for the digest
    assert len(mail.outbox) == 1 and digests_send() == 1

    suspended, lifted = mail.outbox
    assert suspended.subject == (
        f"Assay: Votre compte est suspendu jusqu’au {UNTIL_FR} (insultes répétées). Vous "
        "pouvez toujours tout lire en attendant."
    )
    assert "Votre suspension a été levée avant son terme" in lifted.body
    _signed_in(client, alice).post(reverse("set_language"), {"language": "fr"})
    page = client.get(reverse("notifications:list")).content.decode()
    assert f"Votre compte est suspendu jusqu’au {UNTIL_FR}" in page
    settings_page = client.get(reverse("notifications:settings")).content.decode()
    assert "Mon compte suspendu ou banni des commentaires, ou rétabli" in settings_page
    assert "Mon commentaire non publié ou retiré, et pourquoi" in settings_page


def test_a_rejection_is_written_in_french_in_the_digest(
    article: Any, people: Any, moderator: Any, held_rule: Any
) -> None:
    alice, _, _ = people
    _french(alice)
    held = comment_post(author=alice, article=article, body="idiot")
    comments_moderate(comments=[held], action="remove", moderator=moderator, reason="Insulte")
    assert digests_send() == 1
    assert (
        "Votre commentaire « idiot » sur « Data centres and the grid » n’a pas été publié : "
        "Insulte" in mail.outbox[-1].body
    )


def test_a_reason_with_html_or_line_breaks_is_text_on_the_page_and_one_line_in_the_mail(
    people: Any, moderator: Any, client: Any
) -> None:
    alice, _, _ = people
    reason = 'Spam <script>alert("x")</script>\r\nand <a href="//evil">links</a>'
    account_ban(user=alice, moderator=moderator, reason=reason)

    [sent] = mail.outbox  # a line break in a subject would have made the mail fail
    assert "\n" not in sent.subject and "\r" not in sent.subject
    assert 'Spam <script>alert("x")</script> and <a href="//evil">links</a>' in sent.subject
    page = _signed_in(client, alice).get(reverse("notifications:list")).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<script>alert("x")' not in page and 'href="//evil"' not in page


def test_sanction_mails_follow_the_readers_choice_and_unsubscribe_link(
    people: Any, moderator: Any, client: Any
) -> None:
    alice, bob, _ = people
    assert DEFAULT_CHANNELS[Kind.SANCTION] == Channel.IMMEDIATE
    assert DEFAULT_CHANNELS[Kind.COMMENT_REJECTED] == Channel.DIGEST
    preference_set(user=alice, kind=Kind.SANCTION, channel=Channel.NEVER)
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(user=bob, kind="sanction")])
    assert "My account suspended or banned" in client.get(url).content.decode()
    client.post(url)

    account_ban(user=alice, moderator=moderator, reason="spam")
    account_ban(user=bob, moderator=moderator, reason="spam")

    assert mail.outbox == []
    assert Notification.objects.filter(kind=Kind.SANCTION).count() == 2  # still on the site


def test_a_reason_ending_with_a_full_stop_reads_as_one_sentence(
    people: Any, moderator: Any
) -> None:
    alice, _, _ = people
    account_ban(user=alice, moderator=moderator, reason="Repeated insults.")
    [told] = Notification.objects.filter(recipient=alice, kind=Kind.SANCTION)
    text = notification_text(told)
    assert text == (
        "Your account is banned from the discussion (Repeated insults.). You can still read "
        "everything."
    )

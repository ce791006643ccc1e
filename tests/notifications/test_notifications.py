"""Notifications: who hears of what, on the site, in the API and by e-mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from claims.models import ClaimSeries
from claims.services import (
    assertions_evaluate,
    claim_publish,
    claim_series_update,
    claim_set_verdict,
)
from claims.services.series_links import Assertion
from discussions.models import Comment, Flag
from discussions.moderation import comments_moderate
from discussions.services import comment_post
from notifications.models import Channel, Follow, Kind, Notification
from notifications.services import (
    digests_send,
    preference_set,
    unsubscribe_token,
)
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ObservationFactory,
    SeriesFactory,
    UserFactory,
)

# real commits: each write's jobs (the mails) run when its transaction commits, as in production
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def article() -> Any:
    return ArticleFactory(status="published", title="Data centres and the grid")


@pytest.fixture
def people(alice: Any, bob: Any, charlie: Any) -> tuple[Any, Any, Any]:
    for user, address in (
        (alice, "alice@example.org"),
        (bob, "bob@example.org"),
        (charlie, "charlie@example.org"),
    ):
        user.email = address
        user.save(update_fields=["email"])
    return alice, bob, charlie


def _reply(article: Any, author: Any, parent: Comment | None, body: str) -> Comment:
    return comment_post(author=author, article=article, parent=parent, body=body)


def test_a_reply_notifies_the_author_of_the_comment_on_the_site_and_by_mail(
    article: Any, people: Any, client: Any
) -> None:
    alice, bob, _ = people
    mine = _reply(article, alice, None, "Where does the 2030 figure come from?")
    mail.outbox.clear()
    answer = _reply(article, bob, mine, "The IEA base case.")

    notification = Notification.objects.get(recipient=alice)
    assert (notification.kind, notification.actor, notification.target_url) == (
        Kind.REPLY,
        bob,
        answer.get_absolute_url(),
    )
    [sent] = mail.outbox
    assert sent.to == ["alice@example.org"] and "bob" in sent.body
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sent.extra_headers["List-Unsubscribe"].startswith("<http")
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("notifications:list")).content.decode()
    assert "bob replied to your comment on “Data centres and the grid”." in page
    assert 'class="bell__count">1' in client.get("/").content.decode()


def test_nobody_hears_of_their_own_actions(article: Any, people: Any) -> None:
    alice, _, _ = people
    mine = _reply(article, alice, None, "First thought.")
    _reply(article, alice, mine, "A second thought, @alice.")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_mention_notifies_the_reader_named_once_even_in_a_reply(
    article: Any, people: Any
) -> None:
    alice, bob, _charlie = people
    mine = _reply(article, alice, None, "What do you think?")
    _reply(article, bob, mine, "@ALICE see the RTE review; @charlie too. Mail me at x@bob.org")
    kinds = sorted(Notification.objects.values_list("recipient__username", "kind"))
    assert kinds == [("alice", "reply"), ("charlie", "mention")]


def test_a_burst_of_replies_makes_one_mail_and_one_digest_not_fifty_mails(
    article: Any, people: Any, settings: Any
) -> None:
    settings.COMMENT_POST_RATE = "100/m"
    alice, bob, _ = people
    mine = _reply(article, alice, None, "Ask me anything.")
    mail.outbox.clear()
    with time_machine.travel(timezone.now(), tick=True):
        for n in range(50):
            comment_post(author=bob, article=article, parent=mine, body=f"Answer {n}")
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=alice).count() == 50
    assert digests_send() == 1
    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert digest.body.count("bob replied") == 49
    assert digests_send() == 0


def test_preferences_choose_the_digest_or_no_mail_per_kind(article: Any, people: Any) -> None:
    alice, bob, _ = people
    preference_set(user=alice, kind=Kind.REPLY, channel=Channel.DIGEST)
    mine = _reply(article, alice, None, "Hello.")
    mail.outbox.clear()
    _reply(article, bob, mine, "Hi.")
    assert mail.outbox == []
    assert digests_send() == 1
    preference_set(user=alice, kind=Kind.REPLY, channel=Channel.NEVER)
    _reply(article, bob, mine, "Hi again.")
    assert digests_send() == 0
    assert Notification.objects.filter(recipient=alice).count() == 2  # still on the site


def test_the_unsubscribe_link_works_in_one_click_without_signing_in(
    article: Any, people: Any, client: Any
) -> None:
    alice, bob, _ = people
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(user=alice, kind="reply")])
    assert client.get(url).status_code == 200  # asks first: a link scanner changes nothing
    mine = _reply(article, alice, None, "Hello.")
    mail.outbox.clear()
    assert client.post(url).status_code == 200
    _reply(article, bob, mine, "Hi.")
    assert mail.outbox == []
    forged = reverse("notifications:unsubscribe", args=["not-a-token"])
    assert client.post(forged).status_code == 400


def test_followers_hear_of_a_published_verdict_but_not_the_editor_who_published_it(
    article: Any, people: Any, editor: Any
) -> None:
    alice, bob, _ = people
    claim = ClaimFactory(article=article, status="accepted")
    _reply(article, alice, None, "On the article.")  # follows the article
    comment_post(author=bob, article=article, claim=claim, body="On the claim.")  # the claim
    assert Follow.objects.filter(user=bob, target=f"claim:{claim.pk}").exists()
    claim_set_verdict(
        claim=claim, verdict="accurate", summary="RTE says so.", by=editor, reason="first rating"
    )
    claim_publish(claim=claim, by=editor)
    told = set(
        Notification.objects.filter(kind=Kind.VERDICT).values_list("recipient__username", flat=True)
    )
    assert told == {"alice", "bob"}
    claim_set_verdict(
        claim=claim, verdict="misleading", summary="Newer data.", by=editor, reason="2024 data"
    )
    assert Notification.objects.filter(kind=Kind.VERDICT, recipient=alice).count() == 2


def test_followers_hear_when_a_data_check_turns(article: Any, people: Any, editor: Any) -> None:
    alice, _, _ = people
    claim = ClaimFactory(article=article, status="published")
    _reply(article, alice, None, "Following this article.")
    series = SeriesFactory()
    ObservationFactory(series=series, period=dt.date(2023, 1, 1), value=65.0)
    link = ClaimSeries.objects.create(claim=claim, series=series)
    claim_series_update(link=link, by=editor, assertion=Assertion("gte", 60.0))
    assert not Notification.objects.filter(kind=Kind.DATA_CHECK).exists()  # a new rule
    ObservationFactory(series=series, period=dt.date(2024, 1, 1), value=55.0)
    assertions_evaluate(series_id=series.pk)
    notification = Notification.objects.get(kind=Kind.DATA_CHECK, recipient=alice)
    assert notification.params["holds"] is False


def test_a_flagger_hears_what_moderators_did(article: Any, people: Any, moderator: Any) -> None:
    alice, bob, _ = people
    rude = _reply(article, bob, None, "Rude words.")
    Flag.objects.create(comment=rude, user=alice, reason="abuse")
    comments_moderate(comments=[rude], action="hide", moderator=moderator, reason="Insults.")
    notification = Notification.objects.get(recipient=alice, kind=Kind.FLAG_OUTCOME)
    assert notification.params["outcome"] == "hidden"
    # the author hears that it was taken down and why, never who flagged it
    told = Notification.objects.get(recipient=bob)
    assert (told.kind, told.actor, told.params["reason"]) == (
        Kind.COMMENT_REJECTED,
        None,
        "Insults.",
    )
    assert "alice" not in str(told.params)


def test_the_notifications_api_lists_only_your_own_and_marks_them_read(
    article: Any, people: Any, session: Any, bearer: Any
) -> None:
    alice, bob, charlie = people
    mine = _reply(article, alice, None, "Question.")
    _reply(article, bob, mine, "Answer.")
    theirs = _reply(article, charlie, None, "Other question.")
    _reply(article, bob, theirs, "Other answer.")
    api = session(alice)
    [item] = api.get("/api/v1/notifications/").json()["results"]
    assert (item["kind"], item["actor"], item["read"]) == ("reply", "bob", False)
    assert "bob replied" in item["text"]
    others = Notification.objects.get(recipient=charlie)
    assert api.get(f"/api/v1/notifications/{others.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{others.pk}/read/").status_code == 404
    assert api.post(f"/api/v1/notifications/{item['id']}/read/").json()["read"] is True
    assert bearer(alice, "read").get("/api/v1/notifications/").status_code == 200
    assert bearer(alice, "write:comments").get("/api/v1/notifications/").status_code == 403
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 0}
    anonymous = type(api)()
    assert anonymous.get("/api/v1/notifications/").status_code in (401, 403)


def test_the_page_marks_one_or_all_read_and_opens_the_target(
    article: Any, people: Any, client: Any
) -> None:
    alice, bob, _ = people
    mine = _reply(article, alice, None, "Q.")
    first = _reply(article, bob, mine, "A1.")
    _reply(article, bob, mine, "A2.")
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    n1 = Notification.objects.get(object_key=f"comment:{first.pk}")
    response = client.post(reverse("notifications:read", args=[n1.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == first.get_absolute_url()
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 1
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()


def test_following_and_unfollowing_from_the_page(article: Any, people: Any, client: Any) -> None:
    alice, _, _ = people
    claim = ClaimFactory(article=article, status="accepted")
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("reading:follow", args=["claim", claim.pk])
    assert client.post(url).status_code == 302
    assert 'aria-pressed="true"' in client.get(claim.get_absolute_url()).content.decode()
    client.post(url, {"unfollow": "1"})
    assert not Follow.objects.filter(user=alice).exists()
    draft = ClaimFactory(article=ArticleFactory(status="draft"))
    assert client.post(reverse("reading:follow", args=["claim", draft.pk])).status_code == 404
    assert client.post(reverse("reading:follow", args=["user", 1])).status_code == 404


def test_the_settings_page_saves_a_choice_per_kind(people: Any, client: Any) -> None:
    alice, _, _ = people
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("notifications:settings"), {"channel-verdict": "immediate"})
    page = client.get(reverse("notifications:settings")).content.decode()
    assert '<option value="immediate" selected>' in page


def test_mails_are_written_in_the_language_the_reader_uses(
    article: Any, people: Any, client: Any
) -> None:
    alice, bob, _ = people
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="fr")
    mine = _reply(article, alice, None, "Une question.")
    mail.outbox.clear()
    _reply(article, bob, mine, "Une réponse.")
    assert "Bonjour" in mail.outbox[0].body or "répondu" in mail.outbox[0].body


def test_an_unknown_user_or_an_inactive_one_hears_nothing(article: Any, people: Any) -> None:
    _alice, bob, _ = people
    ghost = UserFactory(username="ghost", is_active=False)
    comment_post(author=bob, article=article, body="Hello @ghost and @nobody.")
    assert not Notification.objects.filter(recipient=ghost).exists()

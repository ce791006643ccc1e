"""Holding rules: a matching comment waits for a moderator, shown to its author alone; the
queue says what held it; approving publishes it and tells the author, rejecting removes it."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from discussions.holding import hold_rule_check, hold_rule_save, rule_matches
from discussions.models import Comment, HoldRule, ModerationAction
from discussions.moderation import comments_moderate, moderation_queue
from discussions.services import comment_edit, comment_post
from integrations.services import token_create
from notifications.models import Kind, Notification
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def _rule(text: str, kind: str = "word", language: str = "") -> HoldRule:
    return hold_rule_save(rule=HoldRule(kind=kind, text=text, language=language), by=None)


@pytest.mark.parametrize(
    "text",
    [
        "You idiot",
        "You IDIOT!",
        "you Idiot.",
        "i d i o t",
        "i.d.i.o.t",
        "i-d-i-o-t",
        "idiooooot",
        "1d10t",
        "ïdîöt",
        "(idiot)",
        "@idiot",
        "id\u200biot",  # a zero-width space inside
        "idi\u00adot",  # a soft hyphen
        "\u0456di\u043et",  # Cyrillic і and о
        "ｉｄｉｏｔ",  # full-width letters
    ],
)
def test_a_word_rule_sees_through_case_spacing_repeats_lookalikes_and_accents(text: str) -> None:
    assert rule_matches(HoldRule(kind="word", text="idiot"), text)


@pytest.mark.parametrize("text", ["idiotic", "idiots", "an idiotism", "i do it", "id iot"])
def test_a_word_rule_matches_whole_words_only(text: str) -> None:
    assert not rule_matches(HoldRule(kind="word", text="idiot"), text)


def test_french_words_match_accent_blind_in_both_directions() -> None:
    accented = HoldRule(kind="word", text="crétin")
    plain = HoldRule(kind="word", text="cretin")
    for text in ("Quel CRETIN", "quel crétin !", "c r é t i n", "Crétin."):
        assert rule_matches(accented, text) and rule_matches(plain, text), text
    assert not rule_matches(accented, "crétinisme")
    # "con" is a word of its own, not a part of connaissance or control
    con = HoldRule(kind="word", text="con")
    assert rule_matches(con, "quel con") and rule_matches(con, "c.o.n")
    assert not any(rule_matches(con, t) for t in ("connaissance", "control", "Macon"))


def test_a_phrase_matches_with_any_spacing_between_its_words() -> None:
    rule = HoldRule(kind="word", text="sale type")
    assert rule_matches(rule, "SALE   TYPE")
    assert rule_matches(rule, "sale-type")
    assert not rule_matches(rule, "saletypes")


def test_a_pattern_is_matched_on_the_folded_text() -> None:
    rule = HoldRule(kind="pattern", text=r"buy (cheap|now)")
    assert rule_matches(rule, "BUY Cheap pills")
    assert not rule_matches(rule, "buy the data")


def test_a_broken_pattern_or_empty_word_is_refused() -> None:
    with pytest.raises(ValidationError):
        hold_rule_check(kind="pattern", text="(unclosed")
    with pytest.raises(ValidationError):
        hold_rule_check(kind="word", text="  !!! ")
    _rule("spam")
    with pytest.raises(ValidationError):
        _rule("spam")


def test_a_matching_comment_is_held_with_its_rule(article, alice) -> None:  # type: ignore[no-untyped-def]
    rule = _rule("idiot")

    comment = comment_post(author=alice, article=article, body="Only an I.D.I.O.T. says that")

    assert comment.status == Comment.Status.PENDING
    assert comment.hold_rule == rule and "idiot" in comment.held_reason
    assert list(moderation_queue()) == [comment]


def test_a_rule_in_one_language_holds_only_comments_on_articles_in_it(alice) -> None:  # type: ignore[no-untyped-def]
    _rule("con", language="fr")
    english = ArticleFactory(language="en")
    french = ArticleFactory(language="fr")

    assert comment_post(author=alice, article=english, body="pro and con").status == "visible"
    assert comment_post(author=alice, article=french, body="quel con").status == "pending"


def test_an_inactive_rule_holds_nothing(article, alice) -> None:  # type: ignore[no-untyped-def]
    rule = _rule("idiot")
    HoldRule.objects.filter(pk=rule.pk).update(active=False)
    assert comment_post(author=alice, article=article, body="idiot").status == "visible"


def test_new_account_premoderation_holds_the_first_n_comments(
    article, alice, moderator, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.COMMENT_PREMODERATE_FIRST = 2
    first = comment_post(author=alice, article=article, body="first")
    second = comment_post(author=alice, article=article, body="second")
    assert (first.status, second.status) == ("pending", "pending")
    assert "first 2 comments" in first.held_reason

    comments_moderate(comments=[first, second], action="approve", moderator=moderator)

    assert comment_post(author=alice, article=article, body="third").status == "visible"


def test_premoderation_is_off_by_default(article, alice, settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.COMMENT_PREMODERATE_FIRST == 0
    assert comment_post(author=alice, article=article, body="hello").status == "visible"


def test_a_link_in_a_new_accounts_first_comment_is_held(article, alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.COMMENT_HOLD_FIRST_LINK = True
    held = comment_post(author=alice, article=article, body="see https://spam.example/")
    assert held.status == "pending" and "Link" in held.held_reason

    plain = comment_post(author=alice, article=article, body="A plain first remark")
    assert plain.status == "visible"
    # once the account has a published comment, its links go through
    linked = comment_post(author=alice, article=article, body="[source](https://ok.example/)")
    assert linked.status == "visible"


def test_the_first_link_rule_can_be_turned_off(article, alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.COMMENT_HOLD_FIRST_LINK = False
    assert comment_post(author=alice, article=article, body="www.example.org").status == "visible"


def test_editing_a_comment_into_a_held_word_sends_it_back_to_review(article, alice) -> None:  # type: ignore[no-untyped-def]
    comment = comment_post(author=alice, article=article, body="A fair point")
    _rule("idiot")

    comment_edit(comment=comment, user=alice, body="A fair point, idiot")

    comment.refresh_from_db()
    assert comment.status == "pending" and comment.hold_rule is not None


# --- who sees a held comment ---------------------------------------------------------------


@pytest.fixture
def held(article, alice):  # type: ignore[no-untyped-def]
    _rule("idiot")
    visible = comment_post(author=alice, article=article, body="A visible remark")
    comment = comment_post(author=alice, article=article, body="You idiot, HELDTEXT")
    reply = comment_post(author=alice, article=article, body="idiot HELDREPLY", parent=visible)
    assert comment.status == reply.status == "pending"
    return comment


def test_the_author_sees_their_held_comment_waiting_for_review(
    client, login, article, alice, held
) -> None:  # type: ignore[no-untyped-def]
    login(alice)
    page = client.get(article.get_absolute_url()).content.decode()

    assert "HELDTEXT" in page and "HELDREPLY" in page
    assert "Waiting for review" in page


def test_other_readers_and_anonymous_visitors_never_see_a_held_comment(
    client, login, article, bob, held
) -> None:  # type: ignore[no-untyped-def]
    anonymous = client.get(article.get_absolute_url()).content.decode()
    again = client.get(article.get_absolute_url()).content.decode()  # from the page cache
    login(bob)
    other = client.get(article.get_absolute_url()).content.decode()

    for page in (anonymous, again, other):
        assert "A visible remark" in page
        assert "HELDTEXT" not in page and "HELDREPLY" not in page
        assert "Waiting for review" not in page


def test_the_cached_anonymous_page_stays_clean_after_the_author_views_it(
    client, login, article, alice, held
) -> None:  # type: ignore[no-untyped-def]
    login(alice)
    assert "HELDTEXT" in client.get(article.get_absolute_url()).content.decode()
    client.logout()
    assert "HELDTEXT" not in client.get(article.get_absolute_url()).content.decode()


def _api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    if user is not None:
        issued = token_create(user=user, name="t", scopes=["read", "write:comments"])
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    return client


def _api_bodies(user, article) -> list[str]:  # type: ignore[no-untyped-def]
    response = _api(user).get(f"/api/v1/comments/?article={article.pk}")
    assert response.status_code == 200
    return [row["body"] for row in response.json()["results"]]


def test_the_api_shows_a_held_comment_to_its_author_and_moderators_only(
    article, alice, bob, moderator, held
) -> None:  # type: ignore[no-untyped-def]
    assert "You idiot, HELDTEXT" in _api_bodies(alice, article)
    assert "You idiot, HELDTEXT" in _api_bodies(moderator, article)
    assert "You idiot, HELDTEXT" not in _api_bodies(bob, article)
    assert "You idiot, HELDTEXT" not in _api_bodies(None, article)
    own = _api(alice).get(f"/api/v1/comments/{held.pk}/").json()
    assert own["status"] == "pending" and own["pending"] is True
    assert _api(bob).get(f"/api/v1/comments/{held.pk}/").status_code == 404


def test_the_export_never_holds_a_held_comment(article, alice, held) -> None:  # type: ignore[no-untyped-def]
    issued = token_create(user=alice, name="t", scopes=["read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    response = client.get("/api/v1/export.jsonl")
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    bodies = [line.get("body") for line in lines if line.get("type") == "comment"]
    assert "A visible remark" in bodies and not any("HELD" in (b or "") for b in bodies)


def test_a_held_comment_notifies_nobody_until_approved(article, alice, bob, moderator) -> None:  # type: ignore[no-untyped-def]
    _rule("idiot")
    parent = comment_post(author=bob, article=article, body="My point")
    held = comment_post(author=alice, article=article, body="@bob you idiot", parent=parent)
    assert not Notification.objects.filter(recipient=bob).exists()

    comments_moderate(comments=[held], action="approve", moderator=moderator)

    held.refresh_from_db()
    assert held.status == "visible"
    assert Notification.objects.filter(recipient=bob, kind=Kind.REPLY).exists()
    assert Notification.objects.filter(recipient=alice, kind=Kind.MODERATION).exists()


def test_rejecting_a_held_comment_removes_it_with_a_reason(article, alice, moderator) -> None:  # type: ignore[no-untyped-def]
    _rule("idiot")
    held = comment_post(author=alice, article=article, body="idiot")

    with pytest.raises(ValidationError):
        comments_moderate(comments=[held], action="remove", moderator=moderator)
    comments_moderate(comments=[held], action="remove", moderator=moderator, reason="insult")

    held.refresh_from_db()
    assert held.status == "removed"
    log = ModerationAction.objects.get(comment=held)
    assert (log.previous_status, log.reason) == ("pending", "insult")
    assert held not in moderation_queue()


def test_the_admin_queue_shows_the_rule_that_held_a_comment(
    client, login, article, alice, moderator
) -> None:  # type: ignore[no-untyped-def]
    _rule("idiot")
    comment_post(author=alice, article=article, body="idiot")
    CommentFactory(article=article, author=alice, body="fine")
    login(moderator)

    page = client.get(reverse("admin:discussions_moderationqueueitem_changelist"))

    assert page.status_code == 200
    assert "Holding rule: “idiot”" in page.content.decode()


def test_moderators_edit_holding_rules_in_admin(client, login, moderator) -> None:  # type: ignore[no-untyped-def]
    login(moderator)
    url = reverse("admin:discussions_holdrule_add")
    bad = client.post(url, {"kind": "pattern", "text": "(oops", "language": ""})
    assert bad.status_code == 200 and not HoldRule.objects.exists()
    good = client.post(url, {"kind": "word", "text": " crétin ", "language": "fr", "active": "on"})
    assert good.status_code == 302
    rule = HoldRule.objects.get()
    assert (rule.text, rule.language, rule.created_by) == ("crétin", "fr", moderator)

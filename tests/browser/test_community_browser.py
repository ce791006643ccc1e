"""Community tools in real headless Chromium: a comment held by a holding rule is shown to its
author as waiting for review and to nobody else; a featured comment leads its discussion."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from discussions.curation import comment_feature
from discussions.holding import hold_rule_save
from discussions.models import Comment, HoldRule
from discussions.services import comment_post
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase 42"


def _user(username: str, **extra: Any) -> Any:
    user = UserFactory(username=username, email=f"{username}@example.org", **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def test_a_held_comment_waits_for_review_in_its_authors_view_only(
    live_server: Any, browser: Any, artifacts: Any
) -> None:
    article = ArticleFactory(status="published", title="Nuclear and the grid")
    _user("alice")
    _user("bob")
    hold_rule_save(rule=HoldRule(kind="word", text="crétin"), by=None)

    alices = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = alices.new_page()
    _sign_in(page, live_server.url, "alice")
    page.goto(live_server.url + article.get_absolute_url())
    page.fill("#new-comment-body", "Only a C R E T I N would say the grid can cope.")
    page.click("#new-comment-form button[type=submit]")
    page.wait_for_load_state()

    held = Comment.objects.get(article=article)
    assert held.status == Comment.Status.PENDING
    mine = page.locator(f"#comment-{held.pk}")
    expect(mine).to_contain_text("Only a C R E T I N would say")
    expect(mine.locator(".comment__pending")).to_contain_text("Waiting for review")
    page.screenshot(path=str(artifacts / "held-comment-author.png"), full_page=True)
    alices.close()

    for username in ("bob", None):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        other = context.new_page()
        if username:
            _sign_in(other, live_server.url, username)
        other.goto(live_server.url + article.get_absolute_url())
        expect(other.locator(f"#comment-{held.pk}")).to_have_count(0)
        expect(other.locator("body")).not_to_contain_text("C R E T I N")
        context.close()


def test_a_featured_comment_is_first_with_its_label(
    live_server: Any, page: Any, artifacts: Any
) -> None:
    article = ArticleFactory(status="published", title="Nuclear and the grid")
    alice = _user("alice")
    editor = _user("eddie", is_staff=True, is_superuser=True)
    comment_post(author=alice, article=article, body="An early remark.")
    comment_post(author=alice, article=article, body="Another remark.")
    expert = comment_post(
        author=alice, article=article, body="RTE's 2023 report gives 320 TWh of nuclear output."
    )
    comment_feature(comment=expert, by=editor, label="Expert answer")

    page.goto(live_server.url + article.get_absolute_url())

    first = page.locator(".thread > .comment-item").first
    expect(first.locator("article.comment")).to_have_attribute("id", f"comment-{expert.pk}")
    expect(first.locator(".badge--featured")).to_have_text("Expert answer")
    page.screenshot(path=str(artifacts / "featured-comment.png"), full_page=True)
    assert not page.script_errors

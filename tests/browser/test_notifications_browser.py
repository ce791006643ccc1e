"""Notifications in real headless Chromium: a reply lights the bell, the notification page
opens it and marks it read, and the e-mail's unsubscribe link works without signing in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from discussions.models import Comment
from discussions.services import comment_post
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase 42"


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def test_a_reply_rings_the_bell_and_the_page_marks_it_read(
    live_server: Any, browser: Any, artifacts: Any
) -> None:
    article = ArticleFactory(status="published", title="Nuclear and the grid")
    alice = UserFactory(username="alice", email="alice@example.org")
    bob = UserFactory(username="bob", email="bob@example.org")
    for user in (alice, bob):
        user.set_password(PASSWORD)
        user.save()
    question = comment_post(author=alice, article=article, body="Who pays for the grid?")
    mail.outbox.clear()

    bobs = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = bobs.new_page()
    _sign_in(page, live_server.url, "bob")
    page.goto(live_server.url + article.get_absolute_url())
    page.click(f"#comment-{question.pk} a[data-reply]")
    page.fill(f"#reply-body-{question.pk}", "Network tariffs, mostly.")
    page.click(f"#reply-form-{question.pk} button[type=submit]")
    page.wait_for_load_state()
    answer = Comment.objects.get(parent=question)
    bobs.close()

    alices = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = alices.new_page()
    _sign_in(page, live_server.url, "alice")
    page.goto(live_server.url + "/")
    expect(page.locator(".bell__count")).to_contain_text("1")
    page.click("a.bell")
    item = page.locator(".notification--unread")
    expect(item).to_contain_text("bob replied to your comment on “Nuclear and the grid”.")
    page.screenshot(path=str(artifacts / "notifications-1280.png"), full_page=True)
    item.locator("button.notification__open").click()
    page.wait_for_url(re.compile(re.escape(article.get_absolute_url())))
    assert page.url.endswith(f"#comment-{answer.pk}")
    assert page.locator(".bell__count").count() == 0  # read: the bell is quiet again
    alices.close()

    # the mail alice got: its one-click link needs no sign-in
    [sent] = mail.outbox
    link = re.search(r"(http\S+/notifications/unsubscribe/\S+/)", sent.body)
    assert link is not None
    stranger = browser.new_context()
    page = stranger.new_page()
    page.goto(link.group(1).replace("http://127.0.0.1:8000", live_server.url))
    page.click(".unsubscribe button[type=submit]")
    expect(page.locator(".unsubscribe [role=status]")).to_contain_text("you will no longer receive")
    page.screenshot(path=str(artifacts / "unsubscribe.png"))
    stranger.close()

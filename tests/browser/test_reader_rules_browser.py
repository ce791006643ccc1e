"""Reader rules in headless Chromium: the flag confirmation is on screen where the reader
clicked, and the page's counter counts a comment as the server does."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from discussions.models import Flag
from discussions.services import comment_create, comment_length
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase 42"


def _sign_in(page, live_server, username):  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def _in_viewport(page, selector):  # type: ignore[no-untyped-def]
    return page.evaluate(
        """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
             return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_the_flag_confirmation_is_on_screen_in_the_flagged_comment(  # type: ignore[no-untyped-def]
    live_server, page, artifacts
):
    article = ArticleFactory(status="published", body="A long article. " * 200)
    for n in range(12):
        comment_create(article=article, body=f"Comment number {n}.", external_author=f"h{n}")
    far = comment_create(article=article, body="A dubious one.", external_author="spammer")
    UserFactory(username="dora", password=PASSWORD)
    _sign_in(page, live_server, "dora")
    page.goto(live_server.url + article.get_absolute_url())

    page.click(f"#comment-{far.pk} a:text-is('Flag')")
    page.select_option("select[name=reason]", "spam")
    page.click("form.flag-form button[type=submit]")
    page.wait_for_url(re.compile(f"#comment-{far.pk}$"))
    notice = f"#comment-{far.pk} .comment__notice"
    expect(page.locator(notice)).to_have_text("Thank you. A moderator will look at this comment.")
    assert _in_viewport(page, notice)
    assert page.evaluate("window.scrollY") > 0  # the comment is far down the page
    page.screenshot(path=str(artifacts / "flag-confirmation.png"))
    assert Flag.objects.filter(comment=far).count() == 1

    # the second attempt says so, at the same place, and adds no flag
    page.click(f"#comment-{far.pk} a:text-is('Flag')")
    page.wait_for_url(re.compile(f"#comment-{far.pk}$"))
    expect(page.locator(notice)).to_have_text("You have already flagged this comment.")
    assert _in_viewport(page, notice)
    assert Flag.objects.filter(comment=far).count() == 1
    assert page.script_errors == []


@pytest.mark.parametrize(
    "text",
    [
        "Short one.",
        "See https://www.rte-france.com/eco2mix/la-production-delectricite-par-filiere"
        "?mode=annuel&year=2023 for the yearly figures.",
        "[RTE](https://www.rte-france.com/" + "long-path/" * 30 + ") 👍\nsecond line",
    ],
)
def test_the_counter_counts_as_the_server_does(live_server, page, text):  # type: ignore[no-untyped-def]
    article = ArticleFactory(status="published")
    UserFactory(username="dora", password=PASSWORD)
    _sign_in(page, live_server, "dora")
    page.goto(live_server.url + article.get_absolute_url())
    page.fill("#new-comment-body", text)
    expected = comment_length(text)
    expect(page.locator("#new-comment-count")).to_have_text(f"{expected} / 400 characters")
    assert page.script_errors == []

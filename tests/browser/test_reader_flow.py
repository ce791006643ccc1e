"""A new reader in real headless Chromium: sign up, comment, reply (nested), like, flag,
switch language; screenshots of the article page at desktop and phone width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from claims.models import Claim
from discussions.models import Comment, Flag, Reaction
from discussions.services import comment_create
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "Le PDG d’un grand fabricant de puces a lâché une bombe sur la course à l’infrastructure.\n"
    "Huang pousse fortement pour l’intégration du nucléaire, alors que les centres de données "
    "dévorent l’électricité à des taux sans précédent. Les réseaux actuels ne pourront pas "
    "suivre ce qui s’annonce.\n"
    "Celui qui contrôle l’approvisionnement en énergie contrôle le développement de l’IA."
)


def _seed_article():  # type: ignore[no-untyped-def]
    article = ArticleFactory(
        title="L’IA, les centres de données et l’énergie nucléaire",
        slug="ia-energie",
        body=BODY,
        language="fr",
        source_name="Gate",
        original_author="Gate News",
    )
    article.tags.add("energy", "nuclear")
    spans = [
        "Huang pousse fortement pour l’intégration du nucléaire, alors que les centres de "
        "données dévorent l’électricité à des taux sans précédent.",
        "Les réseaux actuels ne pourront pas suivre ce qui s’annonce.",
        "Celui qui contrôle l’approvisionnement en énergie contrôle le développement de l’IA.",
    ]
    for number, quote in enumerate(spans):
        start = BODY.index(quote)
        claim = ClaimFactory(
            article=article,
            start=start,
            end=start + len(quote),
            status=Claim.Status.PUBLISHED,
            verdict=["mostly_accurate", "misleading", "unverifiable"][number],
            statement=["Data centres use a lot of power.", "Grids cannot keep up.", ""][number],
            tags=["energy"],
        )
        EvidenceFactory(claim=claim)
    for handle, when, text in [
        (
            "BlockchainBard",
            "Il y a 14h",
            "On ne pourra vraiment pas éviter la voie du nucléaire...",
        ),
        ("FlippedSignal", "12-08 11:46", "Sans nucléaire, ces nœuds consomment vraiment beaucoup."),
    ]:
        comment_create(
            article=article,
            body=text,
            external_author=handle,
            external_posted_raw=when,
            external_like_count=2,
            enforce_length=False,
        )
    return article


def test_new_reader_signs_up_comments_replies_likes_flags_and_switches_language(
    live_server, page, artifacts
):
    article = _seed_article()
    url = live_server.url + article.get_absolute_url()

    page.goto(url)
    assert page.locator("mark.claim").count() >= 3
    page.screenshot(path=str(artifacts / "article-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=str(artifacts / "article-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # sign up from the discussion's link, and come back to the article
    page.click("#discussion >> text=sign up")
    page.fill("input[name=email]", "dora@example.org")
    page.fill("input[name=username]", "dora")
    page.fill("input[name=password1]", "a long passphrase 42")
    page.fill("input[name=password2]", "a long passphrase 42")
    page.click("form[action='/accounts/signup/'] button[type=submit]")
    page.wait_for_url(re.compile(re.escape(article.get_absolute_url())))
    assert page.text_content(".site-nav__user") == "Signed in as dora"

    # a top-level comment, with the character counter counting
    page.fill("#new-comment-body", "Le nucléaire prend dix ans à construire.")
    assert "40 / 400" in page.text_content("#new-comment-count")
    page.click("#new-comment-form button[type=submit]")
    page.wait_for_load_state()
    mine = Comment.objects.get(author__username="dora")
    assert page.locator(f"#comment-{mine.pk}").is_visible()

    # reply inline to an imported comment and see the reply nested under it
    imported = Comment.objects.get(external_author="FlippedSignal")
    page.click(f"#comment-{imported.pk} a[data-reply]")
    page.fill(f"#reply-body-{imported.pk}", "Et les réseaux, qui les paie ?")
    page.click(f"#reply-form-{imported.pk} button[type=submit]")
    page.wait_for_load_state()
    reply = Comment.objects.get(parent=imported)
    nested = page.locator(f"li:has(> #comment-{imported.pk}) details.replies #comment-{reply.pk}")
    assert nested.count() == 1 and nested.is_visible()

    # like without a reload: the count moves on the page and in the database
    # (an imported comment counts the likes given here apart from the original page's)
    assert "2 likes on the original" in page.text_content(f"#comment-{imported.pk}")
    count = page.locator(f"[data-like-count='{imported.pk}']")
    assert count.text_content() == "0"
    page.click(f"button[data-like='{imported.pk}']")
    # (locator assertions poll without eval, which our CSP refuses to page scripts)
    expect(count).to_have_text("1")
    assert page.get_attribute(f"button[data-like='{imported.pk}']", "aria-pressed") == "true"
    assert Reaction.objects.filter(comment=imported, user__username="dora").exists()

    # flag the other imported comment
    other = Comment.objects.get(external_author="BlockchainBard")
    page.click(f"#comment-{other.pk} >> text=Flag")
    page.select_option("select[name=reason]", "off_topic")
    page.click("form.flag-form button[type=submit]")
    page.wait_for_load_state()
    assert Flag.objects.filter(comment=other, reason="off_topic").exists()
    assert page.locator("text=A moderator will look at this comment").count() == 1

    # switch the interface to French: the select submits itself
    page.select_option("#language-select", "fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.text_content(".site-nav__user") == "Connecté en tant que dora"
    assert page.get_attribute(".article__body", "lang") == "fr"
    page.screenshot(path=str(artifacts / "article-desktop-fr.png"), full_page=True)

    assert page.script_errors == []


def test_article_page_starts_with_a_skip_link_and_labels_every_control(
    live_server, page, django_user_model
):
    article = _seed_article()
    django_user_model.objects.create_user("erin", "erin@example.org", "a long passphrase 42")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "erin")
    page.fill("input[name=password]", "a long passphrase 42")
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()
    page.goto(live_server.url + article.get_absolute_url())

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-999px"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    unlabeled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea, button')]
            .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !(el.textContent || '').trim())
            .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert unlabeled == []
    landmarks = page.evaluate(
        "[...document.querySelectorAll('header[role=banner], nav, main, footer')].length"
    )
    assert landmarks >= 4
    assert page.script_errors == []


def test_more_comments_appends_the_next_threads_in_place(live_server, page, settings):
    settings.COMMENT_TOP_LEVEL_PAGE_SIZE = 2
    article = _seed_article()  # two imported comments
    comment_create(
        article=article, body="Third thread", external_author="WealthCoffee", enforce_length=False
    )
    url = live_server.url + article.get_absolute_url()
    page.goto(url)
    assert page.locator(".discussion > ol.thread > li").count() == 2

    page.click("a[data-more-comments]")

    expect(page.locator(".discussion > ol.thread > li")).to_have_count(3)
    assert page.url == url
    assert page.locator("a[data-more-comments]").count() == 0
    assert page.locator("text=Third thread").is_visible()
    assert page.script_errors == []

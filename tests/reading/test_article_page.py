from __future__ import annotations

import re

import pytest
from django.urls import reverse

from claims.models import Claim
from tests.factories import ArticleFactory, ClaimFactory, CommentFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def _claims(article):  # type: ignore[no-untyped-def]
    body = article.body
    first_end = body.find(".") + 1
    second_start = first_end + 1
    second_end = body.find(".", second_start) + 1
    c1 = ClaimFactory(article=article, start=0, end=first_end, tags=["energy", "nuclear"])
    c2 = ClaimFactory(
        article=article,
        start=second_start,
        end=second_end,
        status=Claim.Status.ACCEPTED,
        verdict="accurate",
    )
    return c1, c2


def test_article_page_highlights_each_kept_claim_in_place(client, article):
    c1, c2 = _claims(article)
    ClaimFactory(
        article=article, start=c2.end + 1, end=len(article.body), status=Claim.Status.SUGGESTED
    )
    EvidenceFactory(claim=c1)
    EvidenceFactory(claim=c1)
    CommentFactory(article=article, claim=c1)

    page = client.get(article.get_absolute_url()).content.decode()

    for number, claim in ((1, c1), (2, c2)):
        opening = rf'<mark class="claim[^"]*" id="claim-{number}" data-claim="{claim.pk}">'
        assert re.search(opening + re.escape(claim.quote), page)
        assert f'id="card-{number}"' in page
    assert page.count('id="claim-') == 2  # the suggested claim is not highlighted
    assert "2 pieces of evidence" in page
    assert f'href="/claims/{c1.pk}/#discussion">1 comment</a>' in page
    assert 'href="/tags/energy/"' in page
    assert f'<div class="article__body" lang="{article.language}">' in page


def test_article_page_shows_imported_comments_with_handle_time_and_likes(client, article):
    from discussions.services import comment_create

    comment_create(
        article=article,
        body="Sans nucléaire, pas de centres de données.",
        external_author="FlippedSignal",
        external_posted_raw="12-08 11:46",
        external_like_count=3,
        enforce_length=False,
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "FlippedSignal" in page
    assert "12-08 11:46" in page
    assert "imported" in page
    assert "3 likes on the original" in page


def test_imported_time_is_shown_as_written_with_the_resolved_moment_in_datetime(client, article):
    import datetime as dt

    from discussions.services import comment_create

    comment_create(
        article=article,
        body="Le nucléaire est le point de rupture.",
        external_author="PaperHandSister",
        external_posted_raw="12-08 11:45",
        external_posted_at=dt.datetime(2025, 12, 8, 11, 45, tzinfo=dt.UTC),
        enforce_length=False,
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'datetime="2025-12-08T12:45:00+01:00"' in page  # shown in the site's time zone
    assert ">12-08 11:45</time>" in page


def test_html_lang_follows_accept_language(client, article):
    fr = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    en = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr">' in fr
    assert '<html lang="en">' in en


def test_csp_header_allows_no_inline_script(client, article):
    response = client.get(article.get_absolute_url())
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "<script>" not in response.content.decode()
    assert not re.search(r"\son[a-z]+=", response.content.decode())


def test_draft_article_is_not_found_for_readers(client, alice, login):
    draft = ArticleFactory(status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    login(alice)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_article_list_is_newest_first_and_filters_by_tag_and_language(client):
    import datetime as dt

    from django.utils import timezone

    old = ArticleFactory(title="Old one", published_at=timezone.now() - dt.timedelta(days=3))
    new = ArticleFactory(title="New one", published_at=timezone.now(), language="fr")
    old.tags.add("energy")
    page = client.get(reverse("reading:home")).content.decode()
    assert page.index("New one") < page.index("Old one")
    tagged = client.get(reverse("reading:home"), {"tag": "energy"}).content.decode()
    assert "Old one" in tagged and "New one" not in tagged
    french = client.get(reverse("reading:home"), {"language": "fr"}).content.decode()
    assert "New one" in french and "Old one" not in french
    assert new.title in client.get(reverse("reading:home"), {"language": "xx"}).content.decode()


def test_tag_page_lists_tagged_articles_and_404s_for_unknown_tags(client):
    a = ArticleFactory(title="Tagged piece")
    a.tags.add("geopolitics")
    ArticleFactory(title="Untagged piece")
    page = client.get(reverse("reading:tag", args=["geopolitics"])).content.decode()
    assert "Tagged piece" in page and "Untagged piece" not in page
    assert client.get(reverse("reading:tag", args=["nothing"])).status_code == 404


def test_thread_nests_replies_and_marks_deleted_comments(client, article, alice, bob):
    root = CommentFactory(article=article, author=alice, body="Root text")
    reply = CommentFactory(article=article, author=bob, parent=root, body="Reply text")
    from discussions.services import comment_delete

    comment_delete(comment=root, user=alice)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Root text" not in page
    assert "deleted by its author" in page
    root_at = page.index(f'id="comment-{root.pk}"')
    details_at = page.index('<details class="replies"', root_at)
    assert root_at < details_at < page.index(f'id="comment-{reply.pk}"')


def test_unknown_pages_answer_404_in_the_site_layout(client, settings):
    settings.DEBUG = False
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert 'class="skip-link"' in response.content.decode()

"""The article and claim pages run a fixed number of queries whatever the size of the thread,
the number of claims, evidence links, series and tags."""

from __future__ import annotations

import pytest

from claims.models import ClaimSeries
from discussions.models import Comment, Reaction
from discussions.selectors import MAX_DISPLAY_DEPTH
from discussions.services import comment_create
from tests.discussions.helpers import bulk_chain, bulk_thread
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    ObservationFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db

# 12 before notifications; a signed-in page's bell and follow button cost one query more, and
# whether the reader is suspended or banned (the reason replaces the comment forms) one more
PAGE_BUDGET = 14


def _rich_article():  # type: ignore[no-untyped-def]
    body = " ".join(f"Sentence number {i} says something about energy." for i in range(12))
    article = ArticleFactory(body=body)
    article.tags.add("energy", "nuclear", "geopolitics")
    claims = []
    start = 0
    for i in range(8):
        end = body.index(".", start) + 1
        claim = ClaimFactory(article=article, start=start, end=end, tags=[f"t{i}", "energy"])
        for _ in range(3):
            EvidenceFactory(claim=claim)
        claims.append(claim)
        start = end + 1
    return article, claims


def _attach_series(claim, n: int = 3) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        series = SeriesFactory()
        series.tags.add("energy")
        for year in range(2000, 2010):
            ObservationFactory(series=series, period=f"{year}-01-01", value=year + i)
        ClaimSeries.objects.create(
            claim=claim,
            series=series,
            status=ClaimSeries.Status.CONFIRMED if i else ClaimSeries.Status.SUGGESTED,
        )


@pytest.mark.parametrize("comments", [10, 1_000, pytest.param(10_000, marks=pytest.mark.slow)])
def test_article_page_queries_do_not_grow_with_the_thread(
    client, alice, bob, login, settings, django_assert_max_num_queries, comments
):
    settings.COMMENT_TOP_LEVEL_PAGE_SIZE = 50
    article, _claims = _rich_article()
    # a few large threads: every comment of a page's roots is on the page
    bulk_thread(article=article, author=bob, roots=10, replies_per_root=comments // 10 - 1)
    liked = Comment.objects.filter(article=article)[:5]
    Reaction.objects.bulk_create([Reaction(user=alice, comment=c) for c in liked])
    login(alice)

    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count('class="comment-item') == comments


@pytest.mark.slow
def test_article_page_queries_with_many_top_level_threads(
    client, alice, login, settings, django_assert_max_num_queries
):
    settings.COMMENT_TOP_LEVEL_PAGE_SIZE = 50
    article, _claims = _rich_article()
    bulk_thread(article=article, author=alice, roots=10_000)
    login(alice)
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(article.get_absolute_url() + "?sort=liked&cpage=3")
    page = response.content.decode()
    assert page.count('class="comment-item') == 50
    assert "cpage=4" in page


def test_article_page_queries_with_a_500_deep_reply_chain(
    client, alice, login, django_assert_max_num_queries
):
    article, _claims = _rich_article()
    deepest = bulk_chain(article=article, author=alice, depth=500)
    login(alice)
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(article.get_absolute_url())
    page = response.content.decode()
    assert page.count('class="comment-item') == 501
    assert f'id="comment-{deepest.pk}"' in page
    # nesting is capped: the document does not get 500 levels deep, and replies below the
    # cap say whom they answer
    assert page.count('<details class="replies"') <= 10
    assert page.count("in reply to alice") == 500 - MAX_DISPLAY_DEPTH


@pytest.mark.parametrize("comments", [10, 1_000, pytest.param(10_000, marks=pytest.mark.slow)])
def test_claim_page_queries_do_not_grow_with_thread_evidence_or_series(
    client, alice, bob, login, django_assert_max_num_queries, comments
):
    article, claims = _rich_article()
    claim = claims[2]
    _attach_series(claim)
    bulk_thread(
        article=article, claim=claim, author=bob, roots=10, replies_per_root=comments // 10 - 1
    )
    login(alice)

    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(claim.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="comment-item') == comments
    assert page.count('class="chart"') == 3
    assert page.count('class="evidence-item"') == 3


def test_claim_page_queries_with_a_500_deep_reply_chain(
    client, alice, login, django_assert_max_num_queries
):
    article, claims = _rich_article()
    _attach_series(claims[0])
    bulk_chain(article=article, claim=claims[0], author=alice, depth=500)
    login(alice)
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(claims[0].get_absolute_url())
    assert response.content.decode().count('class="comment-item') == 501


def test_posting_a_reply_through_the_service_is_constant_in_queries(
    alice, django_assert_max_num_queries
):
    article = ArticleFactory()
    deepest = bulk_chain(article=article, author=alice, depth=500)
    bulk_thread(article=article, author=alice, roots=200, replies_per_root=20)
    with django_assert_max_num_queries(5):
        reply = comment_create(article=article, author=alice, body="reply", parent=deepest)
    assert reply.depth == 501

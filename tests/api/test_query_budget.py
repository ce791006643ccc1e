"""Every list endpoint runs a fixed number of queries whatever the page size (10, 100, 1,000)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag, TaggedItem

from articles.models import Article
from claims.models import Claim, ClaimSeries, Evidence
from discussions.models import Comment
from energy.models import Series
from integrations.models import ApiToken, WebhookAttempt, WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db

N = 1000
BUDGET = 8
PAGE_SIZES = (10, 100, 1000)
BODY = "Nuclear power made up about 65 % of French electricity in 2023."


def _tag(objects, tags):
    items = []
    for obj in objects:
        ct = ContentType.objects.get_for_model(obj)
        items += [TaggedItem(content_type=ct, object_id=obj.pk, tag=t) for t in tags]
    TaggedItem.objects.bulk_create(items)


@pytest.fixture
def big_corpus(editor):
    tags = [Tag.objects.create(name=n, slug=n) for n in ("energy", "nuclear", "grid")]
    articles = Article.objects.bulk_create(
        Article(title=f"A{i}", slug=f"a-{i}", body=BODY, status="published") for i in range(N)
    )
    claims = Claim.objects.bulk_create(
        Claim(article=a, quote=BODY[:7], start=0, end=7, status="published", verdict="accurate")
        for a in articles
    )
    series = Series.objects.bulk_create(
        Series(source="owid", dataset="d", metric=f"m{i}", title=f"S{i}", unit="TWh")
        for i in range(N)
    )
    _tag(articles, tags)
    _tag(claims, tags)
    _tag(series, tags[:1])
    Evidence.objects.bulk_create(
        Evidence(claim=c, url=f"https://example.org/{c.pk}", stance="supports", added_by=editor)
        for c in claims
    )
    ClaimSeries.objects.bulk_create(
        ClaimSeries(claim=c, series=s) for c, s in zip(claims, series, strict=True)
    )
    Comment.objects.bulk_create(
        Comment(article=articles[i % 10], author=editor, body=f"c{i}", body_html=f"<p>c{i}</p>")
        for i in range(N)
    )
    ApiToken.objects.bulk_create(
        ApiToken(
            user=editor, name=f"t{i}", prefix="assay_x", key_hash=uuid.uuid4().hex, scopes=["read"]
        )
        for i in range(N)
    )
    subscription = WebhookSubscription.objects.create(
        owner=editor, target_url="https://example.org/h", events=["claim.published"], secret="s"
    )
    WebhookSubscription.objects.bulk_create(
        WebhookSubscription(owner=editor, target_url="https://example.org/h", events=[], secret="s")
        for _ in range(N)
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscription=subscription, event="claim.published") for _ in range(N)
    )
    WebhookAttempt.objects.bulk_create(
        WebhookAttempt(delivery=d, number=1, started_at=dt.datetime.now(dt.UTC), status_code=200)
        for d in deliveries
    )
    return subscription


PUBLIC_LISTS = [
    "/api/v1/search/?q=Nuclear&limit=100",
    "/api/v1/articles/",
    "/api/v1/claims/",
    "/api/v1/claims/?tag=energy",
    "/api/v1/evidence/",
    "/api/v1/series/",
    "/api/v1/comments/",
    "/api/v1/tags/",
]


@pytest.mark.slow
def test_public_lists_have_a_fixed_query_count(
    api, bearer, editor, big_corpus, django_assert_max_num_queries
):
    token_client = bearer(editor, "read")
    for path in PUBLIC_LISTS:
        separator = "&" if "?" in path else "?"
        for size in PAGE_SIZES:
            # a token costs its lookup (and a last-use write): checked on the richest list
            for client in (api, token_client) if path == "/api/v1/claims/" else (api,):
                with django_assert_max_num_queries(BUDGET):
                    response = client.get(f"{path}{separator}page_size={size}")
                assert response.status_code == 200
                if "search" in path:
                    assert len(response.json()["claims"]) == 100
                    continue
                expected = min(size, 3) if "tags" in path else size
                assert len(response.json()["results"]) == expected, path


@pytest.mark.slow
def test_own_resource_lists_have_a_fixed_query_count(
    session, editor, big_corpus, django_assert_max_num_queries
):
    client = session(editor)
    paths = [
        "/api/v1/tokens/",
        "/api/v1/webhooks/",
        f"/api/v1/webhooks/{big_corpus.pk}/deliveries/",
    ]
    for path in paths:
        for size in PAGE_SIZES:
            with django_assert_max_num_queries(BUDGET):
                response = client.get(f"{path}?page_size={size}")
            assert response.status_code == 200
            assert len(response.json()["results"]) == size


@pytest.mark.slow
def test_page_size_is_capped(api, big_corpus, settings):
    settings.API_MAX_PAGE_SIZE = 600
    response = api.get("/api/v1/claims/?page_size=5000")
    assert len(response.json()["results"]) == 600
    assert response.json()["next"] is not None

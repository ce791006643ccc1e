"""With Redis (cache and broker) down, pages and the API still serve: cache misses, not errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ClaimFactory, CommentFactory


@pytest.fixture
def redis_down(settings, use_broker, closed_port):  # type: ignore[no-untyped-def]
    url = f"redis://127.0.0.1:{closed_port}/5"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    settings.CELERY_BROKER_URL = url
    use_broker(url)
    return url


@pytest.fixture
def thread(article, bob):  # type: ignore[no-untyped-def]
    claim = ClaimFactory(article=article, tags=["nuclear"])
    top = CommentFactory(article=article, author=bob, body="Top-level comment")
    CommentFactory(article=article, author=bob, parent=top, body="A reply")
    return claim, top


@pytest.mark.django_db
def test_pages_serve_while_redis_is_down(client, redis_down, article, thread) -> None:
    claim, _ = thread
    for url in (
        reverse("articles:list"),
        reverse("articles:detail", kwargs={"slug": article.slug}),
        reverse("claims:detail", kwargs={"pk": claim.pk}),
        reverse("articles:tag", kwargs={"slug": "nuclear"}),
        reverse("articles:search") + "?q=nuclear",
    ):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_api_lists_serve_while_redis_is_down(client, redis_down, article, thread) -> None:
    for url in ("/api/v1/articles/", "/api/v1/claims/", "/api/v1/comments/"):
        response = client.get(url)
        assert response.status_code == 200, url

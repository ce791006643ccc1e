"""With Redis (cache and broker) down, pages and the API serve, and readers can still post."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import OutboxJob
from discussions.models import Comment, Flag
from integrations.models import WebhookDelivery, WebhookSubscription
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
        reverse("reading:home"),
        reverse("reading:article", kwargs={"slug": article.slug}),
        reverse("reading:claim", kwargs={"pk": claim.pk}),
        reverse("reading:tag", kwargs={"slug": "nuclear"}),
        reverse("reading:search") + "?q=nuclear",
    ):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_api_lists_serve_while_redis_is_down(client, redis_down, article, thread) -> None:
    for url in ("/api/v1/articles/", "/api/v1/claims/", "/api/v1/comments/"):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_posting_a_comment_works_while_redis_is_down(
    client, login, redis_down, article, alice, django_capture_on_commit_callbacks
) -> None:
    login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("discussions:post", kwargs={"article_pk": article.pk}),
            {"body": "Posted while Redis is down."},
        )
    assert response.status_code == 302
    assert Comment.objects.filter(author=alice, body="Posted while Redis is down.").exists()


@pytest.mark.django_db
def test_flagging_queues_its_webhook_in_the_outbox_while_the_broker_is_down(
    client, login, redis_down, thread, alice, charlie, django_capture_on_commit_callbacks
) -> None:
    _, comment = thread
    WebhookSubscription.objects.create(
        owner=charlie, target_url="https://example.org/hook", events=["comment.flagged"]
    )
    login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("discussions:flag", kwargs={"pk": comment.pk}), {"reason": "spam"}
        )
    assert response.status_code == 302
    assert Flag.objects.filter(user=alice, comment=comment).exists()
    delivery = WebhookDelivery.objects.get()
    job = OutboxJob.objects.get()
    assert job.args == [delivery.pk]
    assert job.task_name.endswith("deliver_webhook")

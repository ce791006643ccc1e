"""Webhooks: signed deliveries to a real local receiver, retries with a log, the SSRF guard."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings as settings_module
from django.utils import timezone
from werkzeug import Response

from integrations.models import WebhookDelivery, WebhookSubscription
from integrations.services import webhook_subscription_create
from integrations.signing import verify
from integrations.tasks import webhook_backoff
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def _subscribe(client, url, events):
    response = client.post(
        "/api/v1/webhooks/", {"target_url": url, "events": events}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_publishing_a_claim_delivers_a_signed_event(
    session, editor, corpus, httpserver, django_capture_on_commit_callbacks
):
    client = session(editor)
    hook = _subscribe(client, httpserver.url_for("/hook"), ["claim.published"])
    httpserver.expect_oneshot_request("/hook", method="POST").respond_with_data("thanks")
    claim = corpus.other_claim
    client.post(
        f"/api/v1/claims/{claim.pk}/verdict/",
        {"verdict": "accurate", "summary": "IEA agrees.", "reason": "IEA 2025"},
        format="json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/claims/{claim.pk}/publish/", {}, format="json")
    assert response.status_code == 200, response.content
    httpserver.check_assertions()
    request, _response = httpserver.log[0]
    body = request.get_data()
    assert verify(
        secret=hook["secret"],
        timestamp=int(request.headers["X-Assay-Timestamp"]),
        body=body,
        signature=request.headers["X-Assay-Signature"],
    )
    envelope = json.loads(body)
    assert envelope["event"] == "claim.published"
    assert envelope["data"]["claim"] == claim.pk
    assert request.headers["X-Assay-Event"] == "claim.published"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert [a.status_code for a in delivery.attempts.all()] == [200]
    log = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries/").json()["results"]
    assert log[0]["status"] == "delivered"


def test_a_tampered_body_fails_verification(session, editor, corpus, httpserver):
    assert not verify(secret="s", timestamp=1, body=b"{}", signature="sha256=00")


def test_a_failing_receiver_is_retried_and_every_attempt_logged(
    editor, corpus, httpserver, django_capture_on_commit_callbacks, settings, dead_url
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    subscription = webhook_subscription_create(
        owner=editor, target_url=httpserver.url_for("/hook"), events=["evidence.added"]
    )
    httpserver.expect_ordered_request("/hook").respond_with_response(Response("busy", 503))
    httpserver.expect_ordered_request("/hook").respond_with_data("ok")
    from claims.services import evidence_add

    with django_capture_on_commit_callbacks(execute=True):
        evidence_add(claim=corpus.claim, url=dead_url, stance="context", by=editor)
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert delivery.status == WebhookDelivery.Status.RETRYING
    _flush_due_retries()
    delivery.refresh_from_db()
    assert [a.status_code for a in delivery.attempts.all()] == [503, 200]
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempt_count == 2


def _flush_due_retries() -> None:
    """Run the retries deferred to the outbox as if their time had come (beat's outbox_flush)."""
    from core.models import OutboxJob
    from core.tasks import outbox_flush

    while OutboxJob.objects.exists():
        OutboxJob.objects.update(next_attempt_at=timezone.now())
        outbox_flush()


def test_on_the_embedded_default_a_retry_never_runs_inside_the_request(
    editor, corpus, httpserver, django_capture_on_commit_callbacks, dead_url
):
    """Finding of an outside audit: on the embedded default, webhook retries ran inline, six
    attempts in about a second inside the request that emitted the event. The first attempt
    runs, the retry waits in the outbox with its backoff."""
    from core.models import OutboxJob

    webhook_subscription_create(
        owner=editor, target_url=httpserver.url_for("/hook"), events=["evidence.added"]
    )
    httpserver.expect_request("/hook").respond_with_response(Response("busy", 503))
    from claims.services import evidence_add

    with django_capture_on_commit_callbacks(execute=True):
        evidence_add(claim=corpus.claim, url=dead_url, stance="context", by=editor)
    assert len([r for r, _ in httpserver.log if r.path == "/hook"]) == 1
    deferred = OutboxJob.objects.get(task_name="integrations.tasks.deliver_webhook")
    assert deferred.next_attempt_at >= timezone.now() + dt.timedelta(
        seconds=settings_module.WEBHOOK_RETRY_BASE_SECONDS - 1
    )
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.RETRYING


def test_a_receiver_that_keeps_failing_is_given_up_after_the_maximum(
    editor, corpus, httpserver, django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    webhook_subscription_create(
        owner=editor, target_url=httpserver.url_for("/hook"), events=["comment.flagged"]
    )
    httpserver.expect_request("/hook").respond_with_response(Response("no", 500))
    from discussions.services import comment_flag

    comment = CommentFactory(article=corpus.article)
    with django_capture_on_commit_callbacks(execute=True):
        comment_flag(comment=comment, user=editor, reason="spam")
    _flush_due_retries()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.error == "HTTP 500"
    assert delivery.attempts.count() == 2


def test_events_on_drafts_are_not_sent(
    editor, corpus, httpserver, django_capture_on_commit_callbacks, dead_url
):
    webhook_subscription_create(
        owner=editor, target_url=httpserver.url_for("/hook"), events=["evidence.added"]
    )
    from claims.services import evidence_add

    with django_capture_on_commit_callbacks(execute=True):
        evidence_add(claim=corpus.draft_claim, url=dead_url, stance="context")
    assert not WebhookDelivery.objects.exists()
    assert httpserver.log == []


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/hook",
        "http://10.0.0.8/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:192.168.1.1]/hook",
        "http://localhost:9/hook",
    ],
)
def test_internal_targets_are_refused(session, editor, url, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    response = session(editor).post(
        "/api/v1/webhooks/", {"target_url": url, "events": ["claim.published"]}, format="json"
    )
    assert response.status_code == 400
    assert "target_url" in response.json()["errors"]
    assert not WebhookSubscription.objects.exists()


def test_the_guard_is_checked_again_at_delivery(
    editor, corpus, httpserver, django_capture_on_commit_callbacks, settings, dead_url
):
    webhook_subscription_create(
        owner=editor, target_url=httpserver.url_for("/hook"), events=["evidence.added"]
    )
    settings.OUTBOUND_ALLOW_LOOPBACK = False  # the address is no longer acceptable
    from claims.services import evidence_add

    with django_capture_on_commit_callbacks(execute=True):
        evidence_add(claim=corpus.claim, url=dead_url, stance="context")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts.get().error.startswith("refused")
    assert httpserver.log == []


def test_backoff_grows_and_is_capped():
    assert 30 <= webhook_backoff(1) <= 38
    assert 60 <= webhook_backoff(2) <= 75
    assert webhook_backoff(20) <= 4500


def test_subscriptions_are_made_in_admin_and_the_log_is_shown_there(
    client, admin_user, editor, corpus, httpserver, django_capture_on_commit_callbacks, settings
):
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    refused = client.post(
        "/admin/integrations/webhooksubscription/add/",
        {
            "owner": editor.pk,
            "target_url": "http://10.1.2.3/hook",
            "events": ["claim.published"],
            "is_active": "on",
        },
    )
    assert refused.status_code == 200
    assert not WebhookSubscription.objects.exists()
    response = client.post(
        "/admin/integrations/webhooksubscription/add/",
        {
            "owner": editor.pk,
            "target_url": httpserver.url_for("/hook"),
            "events": ["comment.flagged"],
            "is_active": "on",
        },
        follow=True,
    )
    subscription = WebhookSubscription.objects.get()
    assert any(subscription.secret in str(m) for m in response.context["messages"])
    httpserver.expect_request("/hook").respond_with_response(Response("down", 502))
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    from discussions.services import comment_flag

    with django_capture_on_commit_callbacks(execute=True):
        comment_flag(comment=corpus.reply, user=editor, reason="off_topic")
    delivery = WebhookDelivery.objects.get()
    page = client.get(f"/admin/integrations/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert b"502" in page.content
    assert client.get("/admin/integrations/webhookdelivery/").status_code == 200


def test_a_verdict_change_on_a_published_claim_is_announced_with_the_previous_one(
    session, editor, corpus, httpserver, django_capture_on_commit_callbacks
):
    webhook_subscription_create(
        owner=editor, target_url=httpserver.url_for("/hook"), events=["claim.verdict_changed"]
    )
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    client = session(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/claims/{corpus.claim.pk}/verdict/",
            {"verdict": "mostly_accurate", "summary": "2023: 64.8 %.", "reason": "RTE 2023"},
            format="json",
        )
    assert response.status_code == 200
    ((request, _response),) = httpserver.log
    data = json.loads(request.get_data())["data"]
    assert (data["claim"], data["verdict"], data["previous_verdict"]) == (
        corpus.claim.pk,
        "mostly_accurate",
        "accurate",
    )
    # rating a claim that is not published yet tells no one
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/api/v1/claims/{corpus.other_claim.pk}/verdict/",
            {"verdict": "accurate", "summary": "IEA.", "reason": "IEA"},
            format="json",
        )
    assert len(httpserver.log) == 1

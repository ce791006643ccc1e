"""Celery tasks of integrations: webhook delivery."""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import time
import uuid
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.tasks import AssayTask, rows_claim, rows_sweep
from integrations.models import WebhookAttempt, WebhookDelivery
from integrations.outbound import OutboundURLError, guarded_post
from integrations.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
)

logger = logging.getLogger(__name__)

FINAL_STATUSES = (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED)


def webhook_backoff(attempt: int) -> int:
    """Seconds before the next attempt: exponential from WEBHOOK_RETRY_BASE_SECONDS, capped at
    an hour, with up to 25 % jitter so failed receivers are not hit in lockstep."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    delay = min(base, 3600)
    return int(delay + random.uniform(0, delay / 4))  # noqa: S311 - jitter, not security


def webhook_body(delivery: WebhookDelivery) -> bytes:
    envelope = {
        "id": str(delivery.event_id),
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


# A delivery still "running" after this long has no live run: the task's hard time limit (90 s)
# is shorter, so the worker that took it died (see core.tasks.rows_claim).
DELIVERY_LEASE = dt.timedelta(seconds=180)


@shared_task(
    name="integrations.tasks.deliver_webhook",
    base=AssayTask,
    bind=True,
    # attempts are counted on the delivery (WEBHOOK_MAX_ATTEMPTS), not by Celery
    max_retries=None,
    autoretry_for=(),
    soft_time_limit=60,
    time_limit=90,
)
def deliver_webhook(self: Task[Any, Any], delivery_id: int) -> str:
    """POST one delivery, signed; on failure retry later with backoff until
    WEBHOOK_MAX_ATTEMPTS attempts were made. Returns the delivery's status.

    Only the run that takes the delivery (core.tasks.rows_claim: pending or retrying, or left
    running by this very task whose worker died, or past its lease) posts it; a duplicate
    message finds it taken or finished and returns. On the embedded default the retry is
    deferred to the outbox (AssayTask), never run inside the request that emitted the event.
    """
    taken = rows_claim(
        WebhookDelivery,
        [delivery_id],
        task_id=self.request.id or uuid.uuid4().hex,
        lease=DELIVERY_LEASE,
        queued=(WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING),
    )
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None:
        return "gone"
    if not taken:
        return str(delivery.status)
    subscription = delivery.subscription
    if not subscription.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.FAILED, error="the subscription is inactive"
        )
        return WebhookDelivery.Status.FAILED

    number = delivery.attempt_count + 1
    body = webhook_body(delivery)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": settings.HTTP_USER_AGENT,
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.event_id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret=subscription.secret, timestamp=timestamp, body=body),
    }
    import httpx  # in the worker that delivers, not in every web process

    started = timezone.now()
    clock = time.monotonic()
    status_code: int | None = None
    error = ""
    excerpt = ""
    permanent = False
    try:
        response = guarded_post(
            subscription.target_url,
            content=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        )
        status_code = response.status_code
        excerpt = response.text[:500]
    except OutboundURLError as exc:
        error, permanent = f"refused: {exc}", True
    except (httpx.HTTPError, SoftTimeLimitExceeded) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    ok = status_code is not None and 200 <= status_code < 300
    if ok:
        new_status = WebhookDelivery.Status.DELIVERED
    elif permanent or number >= settings.WEBHOOK_MAX_ATTEMPTS:
        new_status = WebhookDelivery.Status.FAILED
    else:
        new_status = WebhookDelivery.Status.RETRYING
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=started,
            duration_ms=int((time.monotonic() - clock) * 1000),
            status_code=status_code,
            error=error or ("" if ok else f"HTTP {status_code}"),
            response_excerpt=excerpt,
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=new_status,
            attempt_count=number,
            last_status_code=status_code,
            delivered_at=timezone.now() if ok else None,
            error="" if ok else (error or f"HTTP {status_code}")[:500],
        )
    logger.info(
        "webhook %s delivery %s attempt %s: %s",
        delivery.event,
        delivery.pk,
        number,
        status_code or error,
    )
    if new_status == WebhookDelivery.Status.RETRYING:
        raise self.retry(countdown=webhook_backoff(number))
    return str(new_status)


def webhook_deliveries_sweep(*, now: dt.datetime | None = None) -> int:
    """End the deliveries no run will finish (their worker was lost and the message was not
    delivered again): failed with the reason, never running forever."""
    return rows_sweep(
        WebhookDelivery,
        lease=DELIVERY_LEASE,
        reason="the worker delivering this event was lost and the job was not delivered again",
        now=now,
        finished_field=None,
    )


@shared_task(name="integrations.sweep_webhook_deliveries", soft_time_limit=60, time_limit=90)
def sweep_webhook_deliveries() -> int:
    """Beat: end the deliveries whose worker was lost and whose message never came back."""
    return webhook_deliveries_sweep()

"""Celery tasks of integrations: webhook delivery."""

from __future__ import annotations

import json
import logging
import random
import time

import httpx
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

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


@shared_task(
    name="integrations.tasks.deliver_webhook",
    bind=True,
    max_retries=None,
    soft_time_limit=60,
    time_limit=90,
    acks_late=True,
)
def deliver_webhook(self, delivery_id: int) -> str:  # type: ignore[no-untyped-def]
    """POST one delivery, signed; on failure retry later with backoff until
    WEBHOOK_MAX_ATTEMPTS attempts were made. Returns the delivery's status."""
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None:
        return "gone"
    if delivery.status in FINAL_STATUSES:
        return str(delivery.status)
    subscription = delivery.subscription
    if not subscription.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED)
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

"""Emitting webhook events: services call event_emit inside their transaction.

A delivery row is written for each active subscription in the same transaction as the
change it reports (so an event is never lost nor sent for a rolled-back change); the
deliveries are queued once the transaction commits.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.tasks import enqueue_on_commit
from integrations.models import WebhookDelivery, WebhookEvent, WebhookSubscription


def event_emit(name: str, payload: dict[str, Any]) -> list[int]:
    """Record and queue event `name` for every subscriber; returns the delivery ids."""
    if name not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {name!r}")
    # Subscriptions are few; filtering their event lists in Python works on every database.
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(is_active=True) if name in s.events
    ]
    if not subscriptions:
        return []
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(subscription=s, event=name, payload=payload) for s in subscriptions]
        )
        ids = [d.pk for d in deliveries]
        for delivery_id in ids:
            # sent after commit; kept in the outbox if the broker is down, never raised into
            # the request that made the change
            enqueue_on_commit("integrations.tasks.deliver_webhook", delivery_id)
    return ids

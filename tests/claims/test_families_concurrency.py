"""Two editors confirm the same link at the same moment: one link, one family, one event, and
no error for either (PostgreSQL: SQLite runs one write at a time anyway)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from claims.models import ClaimFamily, ClaimLink
from claims.services import claim_link_confirm
from integrations.models import WebhookDelivery
from integrations.services import webhook_subscription_create
from tests.factories import ClaimFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_confirmations_make_one_link(
    require_postgres: None, editor: Any, settings: Any
) -> None:
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    webhook_subscription_create(
        owner=editor, target_url="http://127.0.0.1:9/hook", events=["claim.matched"]
    )
    a, b = ClaimFactory(), ClaimFactory()
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def confirm(first: Any, second: Any) -> None:
        try:
            start.wait()
            claim_link_confirm(claim=first, other=second, by=editor)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=confirm, args=pair) for pair in [(a, b), (b, a), (a, b), (b, a)]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert ClaimLink.objects.count() == 1
    assert ClaimLink.objects.get().status == "confirmed"
    assert ClaimFamily.objects.count() == 1
    assert WebhookDelivery.objects.filter(event="claim.matched").count() == 1

"""The OpenAPI schema: complete, and the API conforms to it (schemathesis, in process)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from integrations.services import token_create

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight to the WSGI app, whose end-of-request signal would close the
    connection holding the test's transaction (on PostgreSQL): detach it, as Django's test
    client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def editor_token(editor, corpus) -> str:
    return token_create(
        user=editor,
        name="schemathesis",
        scopes=["read", "write:claims", "write:evidence", "write:comments"],
    ).secret


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, editor_token):
    """No 5xx, and every status, content type, header and body is the one documented.

    Left out: checks that a valid-looking request succeeds (ids are random, so most point
    nowhere), that any schema-violating one fails (empty optional filters are ignored, not
    refused), and that reads need credentials (published content is public)."""
    case.call_and_validate(
        headers={"Authorization": f"Bearer {editor_token}"},
        checks=CHECKS,
    )


@pytest.mark.django_db
def test_responses_for_real_rows_conform(editor, editor_token, corpus):
    """Random ids rarely exist: validate the documented 200s on rows that do."""
    from energy.models import SeriesRefreshJob
    from integrations.models import WebhookAttempt, WebhookDelivery
    from integrations.services import webhook_subscription_create

    subscription = webhook_subscription_create(
        owner=editor, target_url="http://127.0.0.1:9/hook", events=["claim.published"]
    )
    delivery = WebhookDelivery.objects.create(subscription=subscription, event="claim.published")
    WebhookAttempt.objects.create(delivery=delivery, number=1, status_code=500, error="HTTP 500")
    job = SeriesRefreshJob.objects.create(series=corpus.series, requested_by=editor)
    calls = [
        ("/api/v1/claims/{id}/", corpus.claim.pk),
        ("/api/v1/claims/{id}/claimreview/", corpus.claim.pk),
        ("/api/v1/articles/{id}/", corpus.article.pk),
        ("/api/v1/evidence/{id}/", corpus.evidence.pk),
        ("/api/v1/series/{id}/", corpus.series.pk),
        ("/api/v1/series/{id}/observations/", corpus.series.pk),
        ("/api/v1/comments/{id}/", corpus.reply.pk),
        ("/api/v1/webhooks/{id}/", subscription.pk),
        ("/api/v1/webhooks/{id}/deliveries/", subscription.pk),
        ("/api/v1/jobs/{id}/", job.pk),
    ]
    for path, pk in calls:
        case = schema[path]["GET"].Case(path_parameters={"id": pk})
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {editor_token}"}, checks=CHECKS
        )
        assert response.status_code == 200, path
    for path in ["/api/v1/claims/", "/api/v1/comments/", "/api/v1/tokens/", "/api/v1/tags/"]:
        case = schema[path]["GET"].Case()
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {editor_token}"}, checks=CHECKS
        )
        assert response.status_code == 200, path

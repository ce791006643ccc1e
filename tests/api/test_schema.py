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
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_headers_conformance,
            response_schema_conformance,
        ],
    )

"""One JSON line per request and per job, both carrying the request id."""

from __future__ import annotations

import json
import logging

import pytest
from celery import shared_task
from django.conf import settings

from core.request_id import get_request_id, reset_request_id, set_request_id

SEEN: list[str] = []


@shared_task(name="tests.core.note_request_id")
def note_request_id() -> None:
    SEEN.append(get_request_id())


@pytest.fixture(autouse=True)
def _clear() -> None:
    SEEN.clear()


def _json_formatter() -> logging.Formatter:
    config = settings.LOGGING["formatters"]["json"]
    factory = config["()"]
    module, _, name = factory.rpartition(".")
    cls = getattr(__import__(module, fromlist=[name]), name)
    return cls(config["fmt"], rename_fields=config["rename_fields"])  # type: ignore[no-any-return]


def _records(caplog: pytest.LogCaptureFixture, logger: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == logger]


def test_each_request_logs_one_json_line_with_its_id(client, caplog) -> None:
    caplog.set_level(logging.INFO, logger="assay.request")
    response = client.get("/healthz")
    [record] = _records(caplog, "assay.request")
    line = json.loads(_json_formatter().format(record))
    assert line["message"] == "request"
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["view"] == "core:healthz"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 32


def test_a_sane_request_id_from_the_proxy_is_kept(client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abc")
    assert response["X-Request-ID"] == "lb-1234.abc"


def test_a_forged_request_id_is_replaced(client, caplog) -> None:
    caplog.set_level(logging.INFO, logger="assay.request")
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x"}\n{"level": "ERROR"')
    assert response["X-Request-ID"] != 'x"}\n{"level": "ERROR"'
    [record] = _records(caplog, "assay.request")
    assert record.request_id == response["X-Request-ID"]  # type: ignore[attr-defined]


def test_server_errors_are_logged_at_error_level(client, caplog, settings) -> None:
    caplog.set_level(logging.INFO, logger="assay.request")
    client.raise_request_exception = False
    settings.ROOT_URLCONF = "tests.core.urls_boom"
    response = client.get("/boom/")
    assert response.status_code == 500
    [record] = _records(caplog, "assay.request")
    assert record.levelno == logging.ERROR
    assert record.status == 500  # type: ignore[attr-defined]


def test_a_job_queued_from_a_request_logs_under_that_request_id(caplog) -> None:
    caplog.set_level(logging.INFO, logger="assay.job")
    token = set_request_id("req-42")
    try:
        note_request_id.delay()
    finally:
        reset_request_id(token)
    assert SEEN == ["req-42"]
    [record] = _records(caplog, "assay.job")
    line = json.loads(_json_formatter().format(record))
    assert line["message"] == "job"
    assert line["task"] == "tests.core.note_request_id"
    assert line["state"] == "SUCCESS"
    assert line["request_id"] == "req-42"
    assert line["duration_ms"] >= 0


def test_a_job_run_by_a_worker_takes_the_request_id_from_its_message(caplog) -> None:
    caplog.set_level(logging.INFO, logger="assay.job")
    # no request in progress, as in a worker process: the id comes from the message header
    note_request_id.apply(headers={"assay_request_id": "req-from-message"})
    assert SEEN == ["req-from-message"]
    [record] = _records(caplog, "assay.job")
    assert record.request_id == "req-from-message"  # type: ignore[attr-defined]
    assert get_request_id() == "-"  # restored after the job


def test_a_failing_job_logs_a_warning_line(caplog) -> None:
    caplog.set_level(logging.INFO, logger="assay.job")

    @shared_task(name="tests.core.always_fails")
    def always_fails() -> None:
        raise ValueError("bad payload")

    always_fails.delay()
    [record] = _records(caplog, "assay.job")
    assert record.levelno == logging.WARNING
    assert record.state == "FAILURE"  # type: ignore[attr-defined]
    assert record.error == "ValueError: bad payload"  # type: ignore[attr-defined]


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["page", "api"])
def test_the_500_line_of_django_request_carries_the_request_id(
    client, caplog, settings, monkeypatch, where
) -> None:
    """Finding of an outside audit: the 500 line from `django.request` had `request_id: "-"`
    (Django logs a 500 response a view returned, as the API does, after every middleware has
    run, when the request's id is no longer current)."""
    from core.logging import RequestIdFilter

    caplog.set_level(logging.ERROR, logger="django.request")
    client.raise_request_exception = False
    if where == "page":
        settings.ROOT_URLCONF = "tests.core.urls_boom"
        url = "/boom/"
    else:
        import claims.api

        def bug(**_kwargs):  # type: ignore[no-untyped-def]
            raise RuntimeError("a bug behind the API")

        monkeypatch.setattr(claims.api, "claim_list_with_links", bug)
        url = "/api/v1/claims/"
    response = client.get(url)
    assert response.status_code == 500
    records = _records(caplog, "django.request")
    assert records
    for record in records:
        if not hasattr(record, "request_id"):
            RequestIdFilter().filter(record)
        assert record.request_id == response["X-Request-ID"]  # type: ignore[attr-defined]

"""Every job kind that claims a row survives a killed worker: the message delivered again (same
task id) does the work exactly once, a duplicate message while a live run holds the row does
nothing, and a row whose run is lost for good ends failed with the reason (the beat sweepers),
never running forever. Series refresh jobs: tests/api/test_jobs.py; a real worker killed:
tests/energy/test_worker.py and tests/core/test_lost_workers_real.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from pytest_httpserver import HTTPServer

from articles.models import Article, ArticleImport
from claims.models import Evidence
from integrations.models import WebhookDelivery
from integrations.services import webhook_subscription_create
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = (
    "<html><head><title>Grids</title></head><body><article><h1>Grids</h1>"
    + "<p>Electricity grids in Europe need 584 billion euros of investment by 2030. </p>" * 12
    + "</article></body></html>"
)


@dataclass
class Kind:
    """One job kind: how to make its row, run its task, read its state and sweep it."""

    task: str
    sweep: str
    make: Callable[[str], models.Model]
    status: str  # the row's status field
    running_fields: Callable[[str, dt.datetime], dict[str, Any]]
    done: str
    error_field: str

    def run(self, row: models.Model, task_id: str) -> Any:
        from celery import current_app

        return current_app.tasks[self.task].apply(args=[row.pk], task_id=task_id).get()

    def state(self, row: models.Model) -> str:
        row.refresh_from_db()
        return str(getattr(row, self.status))


def _import(url: str) -> models.Model:
    return ArticleImport.objects.create(url=url)


def _evidence(url: str) -> models.Model:
    return Evidence.objects.create(
        claim=ClaimFactory(), url=url, stance="context", check_status="queued"
    )


def _delivery(url: str) -> models.Model:
    subscription = webhook_subscription_create(
        owner=UserFactory(), target_url=url, events=["claim.published"]
    )
    return WebhookDelivery.objects.create(subscription=subscription, event="claim.published")


KINDS = {
    "url_import": Kind(
        task="articles.tasks.import_article_from_url",
        sweep="editorial.sweep_url_imports",
        make=_import,
        status="status",
        running_fields=lambda task_id, at: {
            "status": "running",
            "task_id": task_id,
            "started_at": at,
        },
        done="done",
        error_field="error",
    ),
    "evidence_check": Kind(
        task="claims.evidence_tasks.check_evidence_link",
        sweep="claims.sweep_evidence_checks",
        make=_evidence,
        status="check_status",
        running_fields=lambda task_id, at: {
            "check_status": "running",
            "check_task_id": task_id,
            "check_started_at": at,
        },
        done="done",
        error_field="check_error",
    ),
    "webhook_delivery": Kind(
        task="integrations.tasks.deliver_webhook",
        sweep="integrations.sweep_webhook_deliveries",
        make=_delivery,
        status="status",
        running_fields=lambda task_id, at: {
            "status": "running",
            "task_id": task_id,
            "started_at": at,
        },
        done="delivered",
        error_field="error",
    ),
}


@pytest.fixture(params=list(KINDS))
def kind(request: pytest.FixtureRequest) -> Kind:
    return KINDS[request.param]


@pytest.fixture
def page(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/page").respond_with_data(PAGE, content_type="text/html")
    return httpserver.url_for("/page")


def _hits(httpserver: HTTPServer) -> int:
    return len([r for r, _ in httpserver.log if r.path == "/page"])


def _left_running(kind: Kind, row: models.Model, task_id: str, ago: dt.timedelta) -> None:
    type(row)._default_manager.filter(pk=row.pk).update(
        **kind.running_fields(task_id, timezone.now() - ago)
    )


def test_the_redelivered_message_of_a_killed_worker_does_the_work_once(
    kind: Kind, page: str, httpserver: HTTPServer
) -> None:
    """Finding of an outside audit (as for series refresh jobs): a worker killed mid-job left
    its row `running`, and the message delivered again found it taken and returned."""
    row = kind.make(page)
    _left_running(kind, row, "task-1", dt.timedelta(seconds=5))
    kind.run(row, "task-1")
    assert kind.state(row) == kind.done
    assert _hits(httpserver) == 1
    # a further duplicate of the message finds the work done and does nothing
    kind.run(row, "task-1")
    kind.run(row, "task-2")
    assert kind.state(row) == kind.done
    assert _hits(httpserver) == 1
    if kind.task == "articles.tasks.import_article_from_url":
        assert Article.objects.count() == 1


def test_a_row_a_live_run_holds_is_left_to_it(
    kind: Kind, page: str, httpserver: HTTPServer
) -> None:
    row = kind.make(page)
    _left_running(kind, row, "task-1", dt.timedelta(seconds=5))
    kind.run(row, "task-2")
    assert kind.state(row) == "running"
    assert _hits(httpserver) == 0


def test_a_row_whose_run_outlived_its_lease_is_taken_by_the_next_message(
    kind: Kind, page: str, httpserver: HTTPServer
) -> None:
    row = kind.make(page)
    _left_running(kind, row, "task-1", dt.timedelta(hours=1))
    kind.run(row, "task-2")
    assert kind.state(row) == kind.done
    assert _hits(httpserver) == 1


def test_a_row_whose_worker_was_lost_for_good_ends_failed_with_the_reason(
    kind: Kind, page: str
) -> None:
    from celery import current_app

    row = kind.make(page)
    recent = kind.make(page + "?recent")
    _left_running(kind, row, "task-1", dt.timedelta(hours=1))
    _left_running(kind, recent, "task-2", dt.timedelta(seconds=5))
    assert current_app.tasks[kind.sweep].apply().get() == 1
    assert kind.state(row) == "failed"
    assert "worker" in str(getattr(row, kind.error_field)).lower()
    assert kind.state(recent) == "running"  # a live run is left alone


def test_every_sweeper_has_a_beat_schedule(kind: Kind) -> None:
    schedule = PeriodicTask.objects.get(task=kind.sweep)
    assert schedule.enabled and schedule.interval is not None

"""A real Celery worker killed in the middle of each job that claims a row — a URL import, an
evidence link check, a webhook delivery: the message delivered again does the work, once.

As tests/energy/test_worker.py (whose fixtures these are): the worker is a subprocess on the
PostgreSQL test database and the run's scratch Redis database; the test sees what it commits
through transactional_db.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from werkzeug import Request, Response

from articles.models import Article, ArticleImport
from claims.models import Evidence
from integrations.models import WebhookDelivery
from integrations.services import webhook_subscription_create
from tests.energy.test_worker import (  # noqa: F401 - fixtures shared with the energy worker tests
    _children,
    _wait_for,
    broker,
    start_worker,
    worker,
)
from tests.factories import ClaimFactory, UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]

PAGE = (
    "<html><head><title>Grids</title></head><body><article><h1>Grids</h1>"
    + "<p>Electricity grids in Europe need 584 billion euros of investment by 2030. </p>" * 12
    + "</article></body></html>"
)


def _import(url: str) -> tuple[str, Any, Callable[[Any], bool]]:
    row = ArticleImport.objects.create(url=url)

    def done(row: Any) -> bool:
        row.refresh_from_db()
        return row.status == ArticleImport.Status.DONE

    return "articles.tasks.import_article_from_url", row, done


def _evidence(url: str) -> tuple[str, Any, Callable[[Any], bool]]:
    row = Evidence.objects.create(
        claim=ClaimFactory(), url=url, stance="context", check_status="queued"
    )

    def done(row: Any) -> bool:
        row.refresh_from_db()
        return row.check_status == Evidence.CheckStatus.DONE

    return "claims.evidence_tasks.check_evidence_link", row, done


def _delivery(url: str) -> tuple[str, Any, Callable[[Any], bool]]:
    subscription = webhook_subscription_create(
        owner=UserFactory(), target_url=url, events=["claim.published"]
    )
    row = WebhookDelivery.objects.create(subscription=subscription, event="claim.published")

    def done(row: Any) -> bool:
        row.refresh_from_db()
        return row.status == WebhookDelivery.Status.DELIVERED

    return "integrations.tasks.deliver_webhook", row, done


KINDS = {"url_import": _import, "evidence_check": _evidence, "webhook_delivery": _delivery}


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_worker_killed_mid_job_leaves_it_done_once(
    require_postgres,
    transactional_db,
    broker,  # noqa: F811 - the fixture imported above
    worker,  # noqa: F811 - the fixture imported above
    httpserver,
    tmp_path: Path,
    kind: str,
) -> None:
    """Finding of an outside audit (done for series refresh jobs, extended to every job that
    claims a row): a worker killed mid-job left the row `running`, and the message delivered
    again found it taken and returned, so the work never happened."""
    arrived, release = threading.Event(), threading.Event()
    calls = {"n": 0}

    def slow(request: Request) -> Response:
        calls["n"] += 1
        if calls["n"] == 1:
            arrived.set()
            release.wait(60)  # held until the worker that asked is dead
        return Response(PAGE, content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    task, row, done = KINDS[kind](httpserver.url_for("/slow"))

    app = Celery("lost-worker-test", broker=broker, set_as_current=False)
    try:
        app.send_task(task, args=[row.pk])
        _wait_for(lambda: arrived.is_set() or worker.poll() is not None, "the worker to fetch", 90)
        assert arrived.is_set(), (tmp_path / "worker.log").read_text()[-3000:]
        children = _children(worker.pid)
        assert children, "the prefork worker has no child process"
        for child in children:
            os.kill(child, signal.SIGKILL)
        release.set()
        _wait_for(lambda: done(row), f"the redelivered {kind} to finish", 90)
    finally:
        release.set()
        app.close()

    log = (tmp_path / "worker.log").read_text()
    assert "WorkerLostError" in log or "SIGKILL" in log, log[-3000:]
    assert calls["n"] == 2  # the killed run's request, then the redelivered run's: no third
    if kind == "url_import":
        assert Article.objects.count() == 1
    if kind == "webhook_delivery":
        row.refresh_from_db()
        assert row.attempt_count == 1 and row.attempts.count() == 1
    if kind == "evidence_check":
        row.refresh_from_db()
        assert row.ok is True and row.archived_at is not None

"""Series refresh through the API: 202 with a job URL, the job's state, and webhooks."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from werkzeug import Response

from energy.models import SeriesRefreshJob
from integrations.models import WebhookDelivery
from integrations.services import webhook_subscription_create
from tests.factories import SeriesFactory

pytestmark = pytest.mark.django_db

CSV = "year,value\n2022,460\n2023,415\n"


@pytest.fixture
def csv_series(httpserver):
    return SeriesFactory(
        source="csv",
        dataset=httpserver.url_for("/datacentres.csv"),
        title="Data-centre electricity",
        unit="TWh",
        params={"date_column": "year", "value_column": "value"},
    )


def test_refresh_is_queued_and_its_job_can_be_polled(
    session, editor, csv_series, httpserver, django_capture_on_commit_callbacks
):
    httpserver.expect_request("/datacentres.csv").respond_with_data(CSV, content_type="text/csv")
    webhook_subscription_create(
        owner=editor, target_url=httpserver.url_for("/hook"), events=["series.updated"]
    )
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    client = session(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/series/{csv_series.pk}/refresh/")
    assert response.status_code == 202
    job_url = response.json()["url"]
    assert response["Location"] == job_url
    job = client.get(job_url).json()
    assert job["status"] == "succeeded", job
    assert job["finished_at"] is not None
    csv_rows = client.get(f"/api/v1/series/{csv_series.pk}/observations/?format=csv")
    assert csv_rows.content.decode().count("\n") == 3
    delivery = WebhookDelivery.objects.get(event="series.updated")
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    sent = json.loads(next(r for r, _ in httpserver.log if r.path == "/hook").get_data())
    assert sent["data"]["series"] == csv_series.pk


def test_a_failed_refresh_says_why_and_keeps_the_data(
    session, editor, csv_series, httpserver, django_capture_on_commit_callbacks
):
    httpserver.expect_request("/datacentres.csv").respond_with_response(Response("gone", 404))
    client = session(editor)
    with django_capture_on_commit_callbacks(execute=True):
        job_url = client.post(f"/api/v1/series/{csv_series.pk}/refresh/").json()["url"]
    job = client.get(job_url).json()
    assert job["status"] == "failed"
    assert job["error"]


def _run_refresh_job(job: SeriesRefreshJob, task_id: str) -> dict[str, int]:
    from energy.tasks import refresh_series

    kwargs = {"series_ids": [job.series_id], "job_ids": [job.pk]}
    return refresh_series.apply(kwargs=kwargs, task_id=task_id).get()


def test_a_job_runs_once_even_if_delivered_twice(editor, csv_series, httpserver):
    httpserver.expect_request("/datacentres.csv").respond_with_data(CSV, content_type="text/csv")
    job = SeriesRefreshJob.objects.create(series=csv_series, requested_by=editor)
    assert _run_refresh_job(job, "task-1")["series"] == 1
    assert _run_refresh_job(job, "task-1")["series"] == 0
    job.refresh_from_db()
    assert job.status == SeriesRefreshJob.Status.SUCCEEDED
    assert len([r for r, _ in httpserver.log if r.path == "/datacentres.csv"]) == 1


def test_a_job_left_running_by_a_dead_worker_is_done_by_the_redelivered_message(
    editor, csv_series, httpserver
):
    """Finding: a worker killed during a refresh left its job `running` forever, because the
    redelivered message found it taken and returned."""
    httpserver.expect_request("/datacentres.csv").respond_with_data(CSV, content_type="text/csv")
    job = SeriesRefreshJob.objects.create(
        series=csv_series,
        requested_by=editor,
        status=SeriesRefreshJob.Status.RUNNING,
        task_id="task-1",
        started_at=timezone.now(),
    )
    assert _run_refresh_job(job, "task-1")["series"] == 1
    job.refresh_from_db()
    assert job.status == SeriesRefreshJob.Status.SUCCEEDED


def test_a_job_another_live_run_holds_is_left_to_it(editor, csv_series, httpserver):
    job = SeriesRefreshJob.objects.create(
        series=csv_series,
        requested_by=editor,
        status=SeriesRefreshJob.Status.RUNNING,
        task_id="task-1",
        started_at=timezone.now(),
    )
    assert _run_refresh_job(job, "task-2")["series"] == 0
    assert httpserver.log == []


def test_a_job_whose_worker_was_lost_ends_failed_with_the_reason(editor, csv_series):
    from energy.tasks import sweep_refresh_jobs

    job = SeriesRefreshJob.objects.create(
        series=csv_series,
        requested_by=editor,
        status=SeriesRefreshJob.Status.RUNNING,
        task_id="task-1",
        started_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert sweep_refresh_jobs() == 1
    job.refresh_from_db()
    assert job.status == SeriesRefreshJob.Status.FAILED
    assert "worker" in job.error and job.finished_at is not None


def test_others_cannot_poll_a_job(session, editor, alice, csv_series):
    job = SeriesRefreshJob.objects.create(series=csv_series, requested_by=editor)
    assert session(alice).get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert session(editor).get(f"/api/v1/jobs/{job.pk}/").status_code == 200

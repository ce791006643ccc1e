"""The energy catalogue moved out of the claims app without moving a row: a database filled at
the previous layout keeps every series, observation, tag, link, job and beat schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_THE_MOVE = [
    ("claims", "0007_verdict_change_reason_text"),
    ("integrations", "0003_editors_edit_beat_schedules"),
    ("energy", None),
]


def _migrate(targets):  # type: ignore[no-untyped-def]
    """Migrate to `targets`; return the models as they are at that point."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


@pytest.mark.django_db(transaction=True)
def test_rows_tags_links_jobs_and_schedules_survive_the_move() -> None:
    old = _migrate(BEFORE_THE_MOVE)
    Series = old.get_model("claims", "Series")
    Observation = old.get_model("claims", "Observation")
    Job = old.get_model("integrations", "SeriesRefreshJob")
    Article = old.get_model("articles", "Article")
    Claim = old.get_model("claims", "Claim")
    ClaimSeries = old.get_model("claims", "ClaimSeries")
    Tag = old.get_model("taggit", "Tag")
    TaggedItem = old.get_model("taggit", "TaggedItem")
    ContentType = old.get_model("contenttypes", "ContentType")
    PeriodicTask = old.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = old.get_model("django_celery_beat", "IntervalSchedule")

    series = Series.objects.create(
        source="owid",
        dataset="owid-energy-data",
        entity="France",
        metric="nuclear_share_elec",
        title="Nuclear share of electricity, France",
        unit="%",
    )
    Observation.objects.bulk_create(
        [
            Observation(series=series, period=dt.date(y, 1, 1), value=60.0 + y % 7)
            for y in range(2000, 2024)
        ]
    )
    series_type, _ = ContentType.objects.get_or_create(app_label="claims", model="series")
    tag = Tag.objects.create(name="nuclear", slug="nuclear")
    TaggedItem.objects.create(tag=tag, content_type=series_type, object_id=series.pk)
    text = "La France tire l’essentiel de son électricité du nucléaire."
    article = Article.objects.create(title="t", slug="t", body=text)
    claim = Claim.objects.create(article=article, quote=text, start=0, end=len(text))
    ClaimSeries.objects.create(claim=claim, series=series, status="confirmed", origin="editor")
    Job.objects.create(series=series, status="succeeded")
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period="days")
    PeriodicTask.objects.update_or_create(
        name="Refresh Our World in Data series",
        defaults={"task": "claims.tasks.refresh_series", "interval": every, "crontab": None},
    )

    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())

    from django_celery_beat.models import PeriodicTask as NewPeriodicTask

    from claims.models import ClaimSeries as NewClaimSeries
    from energy.models import Observation as NewObservation
    from energy.models import Series as NewSeries
    from energy.models import SeriesRefreshJob as NewJob

    moved = NewSeries.objects.get(pk=series.pk)
    assert moved.title == "Nuclear share of electricity, France"
    assert NewObservation.objects.filter(series=moved).count() == 24
    assert list(moved.tags.names()) == ["nuclear"]
    assert NewClaimSeries.objects.get(claim_id=claim.pk).series == moved
    assert NewJob.objects.get(series=moved).status == "succeeded"
    task = NewPeriodicTask.objects.get(name="Refresh Our World in Data series").task
    assert task == "energy.refresh_series"


def test_jobs_queued_under_the_old_names_still_run() -> None:
    from celery import current_app

    for name in (
        "claims.tasks.refresh_series",
        "integrations.tasks.run_series_refresh_job",
        "energy.refresh_series",
    ):
        assert name in current_app.tasks

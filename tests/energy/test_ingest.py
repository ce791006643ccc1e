"""Upserts write only what changed, in one transaction per series, on SQLite and PostgreSQL;
the demo catalogue seeds idempotently; assertions are re-evaluated when data changes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from claims.models import ClaimSeries
from claims.services import assertions_evaluate
from devtools.catalogue import catalogue_seed_demo
from energy.ingest import observations_upsert
from energy.models import Observation, Series
from energy.tasks import SourceStillUnavailable, refresh_series
from tests.factories import ClaimFactory, ObservationFactory, SeriesFactory


def points(n: int, value: float = 1.5) -> list[tuple[dt.date, float]]:
    return [(dt.date(2000 + i, 1, 1), value + i) for i in range(n)]


def upsert(series: Series, data: list[tuple[dt.date, float]]):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        return observations_upsert(series_id=series.pk, points=iter(data))


@pytest.fixture(params=["default", "postgres"])
def backend(request):  # type: ignore[no-untyped-def]
    """Each upsert test runs on the configured database; the PostgreSQL run (COPY path)
    needs DATABASE_URL on PostgreSQL."""
    if request.param == "postgres":
        request.getfixturevalue("require_postgres")
    return connection.vendor


def test_first_load_inserts_and_reload_writes_nothing(db, backend):
    series = SeriesFactory()
    first = upsert(series, points(30))
    assert (first.received, first.created, first.updated) == (30, 30, 0)
    ids = set(Observation.objects.values_list("id", flat=True))

    again = upsert(series, points(30))

    assert (again.received, again.changed, again.unchanged) == (30, 0, 30)
    assert set(Observation.objects.values_list("id", flat=True)) == ids


def test_only_changed_values_are_updated_and_new_periods_added(db, backend):
    series = SeriesFactory()
    upsert(series, points(10))
    revised = points(12)
    revised[3] = (revised[3][0], 99.0)

    counts = upsert(series, revised)

    assert (counts.created, counts.updated, counts.unchanged) == (2, 1, 9)
    assert series.observations.get(period=dt.date(2003, 1, 1)).value == 99.0
    assert series.observations.count() == 12


def test_upsert_touches_only_its_series(db, backend):
    mine, other = SeriesFactory(), SeriesFactory()
    ObservationFactory(series=other, period=dt.date(2000, 1, 1), value=7.0)
    upsert(mine, points(3))
    assert list(other.observations.values_list("value", flat=True)) == [7.0]


def test_an_error_mid_series_rolls_the_whole_series_back(db, backend):
    series = SeriesFactory()
    upsert(series, points(5))

    def broken():  # type: ignore[no-untyped-def]
        yield dt.date(2000, 1, 1), 123.0
        yield dt.date(2030, 1, 1), 5.0
        raise ValueError("source died half-way")

    with pytest.raises(ValueError), transaction.atomic():
        observations_upsert(series_id=series.pk, points=broken())

    assert list(series.observations.values_list("value", flat=True)) == [
        1.5,
        2.5,
        3.5,
        4.5,
        5.5,
    ]


def test_upsert_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError):
        observations_upsert(series_id=SeriesFactory().pk, points=[])


def test_demo_catalogue_seeds_once_with_its_snapshot(db):
    catalogue_seed_demo()
    series_count = Series.objects.count()
    last = Observation.objects.order_by("-id").values_list("id", flat=True).first()
    france = Series.objects.get(catalogue_key="owid-nuclear-share-france")

    catalogue_seed_demo()

    assert Series.objects.count() == series_count == 24
    assert Observation.objects.order_by("-id").values_list("id", flat=True).first() == last
    assert france.status == Series.Status.SNAPSHOT
    assert france.observations.get(period=dt.date(2023, 1, 1)).value == 65.195
    assert (france.unit, france.license) == ("%", "CC BY 4.0")
    assert "Our World in Data" in france.attribution and france.retrieved_at
    datacentre = Series.objects.get(catalogue_key="iea-datacentre-electricity-world")
    assert datacentre.source == Series.Source.CSV
    assert datacentre.observations.get(period=dt.date(2024, 1, 1)).value == 415.0
    assert {"nuclear", "energy"} <= set(france.tags.names())
    assert "nucléaire" in france.keyword_list() and "nuclear" in france.keyword_list()


def test_demo_seed_keeps_editor_changes_and_live_data(db):
    catalogue_seed_demo()
    france = Series.objects.get(catalogue_key="owid-nuclear-share-france")
    Series.objects.filter(pk=france.pk).update(
        title="Part du nucléaire, France", status=Series.Status.OK
    )
    Observation.objects.filter(series=france, period=dt.date(2023, 1, 1)).update(value=65.3)

    catalogue_seed_demo()

    france.refresh_from_db()
    assert france.title == "Part du nucléaire, France"
    assert france.observations.get(period=dt.date(2023, 1, 1)).value == 65.3


def link_with_assertion(series: Series, operator: str, threshold: float) -> ClaimSeries:
    return ClaimSeries.objects.create(
        claim=ClaimFactory(),
        series=series,
        assertion_operator=operator,
        assertion_threshold=threshold,
        assertion_period_start=dt.date(2023, 1, 1),
        assertion_period_end=dt.date(2023, 12, 31),
    )


def test_assertion_is_evaluated_and_drift_flagged_when_data_changes(db):
    series = SeriesFactory(unit="%")
    ObservationFactory(series=series, period=dt.date(2023, 1, 1), value=65.195)
    ObservationFactory(series=series, period=dt.date(2022, 1, 1), value=62.0)
    link = link_with_assertion(series, ClaimSeries.Operator.GTE, 65.0)

    assert assertions_evaluate(series_id=series.pk) == 1
    link.refresh_from_db()
    assert (link.assertion_result, link.assertion_value) == (ClaimSeries.Result.HOLDS, 65.195)
    assert not link.assertion_drifted and link.assertion_checked_at

    assert assertions_evaluate(series_id=series.pk) == 0
    Observation.objects.filter(series=series, period=dt.date(2023, 1, 1)).update(value=64.0)
    assertions_evaluate(series_id=series.pk)

    link.refresh_from_db()
    assert (link.assertion_result, link.assertion_drifted) == (ClaimSeries.Result.FAILS, True)


def test_assertion_without_data_in_its_period(db):
    series = SeriesFactory()
    ObservationFactory(series=series, period=dt.date(2010, 1, 1), value=1.0)
    link = link_with_assertion(series, ClaimSeries.Operator.LT, 5.0)
    assertions_evaluate(series_id=series.pk)
    link.refresh_from_db()
    assert (link.assertion_result, link.assertion_value) == (ClaimSeries.Result.NO_DATA, None)


def test_refresh_that_changes_data_reevaluates_assertions(
    db, settings, httpserver, django_capture_on_commit_callbacks
):
    settings.OWID_BASE_URL = httpserver.url_for("/")
    httpserver.expect_request("/owid-energy-data.csv").respond_with_data(
        "country,year,nuclear_share_elec\nFrance,2023,64.0\n"
    )
    series = SeriesFactory(entity="France", metric="nuclear_share_elec")
    ObservationFactory(series=series, period=dt.date(2023, 1, 1), value=65.195)
    link = link_with_assertion(series, ClaimSeries.Operator.GTE, 65.0)
    assertions_evaluate(series_id=series.pk)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("refresh_series", "--source", "owid", stdout=io.StringIO())

    link.refresh_from_db()
    assert (link.assertion_result, link.assertion_drifted) == (ClaimSeries.Result.FAILS, True)


def test_refresh_command_reports_and_fails_when_everything_failed(db, settings, httpserver, capsys):
    settings.OWID_BASE_URL = httpserver.url_for("/")
    settings.SOURCE_RETRY_BACKOFF_MS = 0
    httpserver.expect_request("/owid-energy-data.csv").respond_with_data("<html>down</html>")
    SeriesFactory(entity="France", metric="nuclear_share_elec", title="Nuclear share, France")

    with pytest.raises(CommandError, match="every series failed"):
        call_command("refresh_series", "--source", "owid")

    assert "FAILED Nuclear share, France" in capsys.readouterr().out


def test_refresh_command_with_nothing_to_do(db, capsys):
    call_command("refresh_series", "--source", "eia")
    assert "No series to refresh" in capsys.readouterr().out


@pytest.fixture
def owid_server(settings, httpserver):  # type: ignore[no-untyped-def]
    settings.OWID_BASE_URL = httpserver.url_for("/")
    settings.SOURCE_RETRY_BACKOFF_MS = 0
    SeriesFactory(entity="France", metric="nuclear_share_elec")
    return httpserver


def test_refresh_task_asks_for_a_retry_only_after_temporary_failures(db, owid_server):
    owid_server.expect_request("/owid-energy-data.csv").respond_with_data("busy", status=503)
    with pytest.raises(SourceStillUnavailable, match="HTTP 503"):
        refresh_series(source="owid")


def test_refresh_task_does_not_retry_a_bad_payload(db, owid_server):
    owid_server.expect_request("/owid-energy-data.csv").respond_with_data("<html>oops</html>")
    assert refresh_series(source="owid") == {"series": 1, "failed": 1, "written": 0}


def test_refresh_task_run_eagerly_records_the_failure_and_defers_the_retry(db, owid_server):
    from core.models import OutboxJob

    owid_server.expect_request("/owid-energy-data.csv").respond_with_data("busy", status=503)
    refresh_series.delay(source="owid")
    assert Series.objects.get().status == Series.Status.FAILED
    retry = OutboxJob.objects.get()
    assert (retry.task_name, retry.kwargs, retry.retries) == (
        "energy.refresh_series",
        {"source": "owid"},
        1,
    )

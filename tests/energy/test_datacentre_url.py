"""The built-in data-centre series fetch the file DATACENTRE_CSV_URL names at refresh time,
not a copy of the URL taken when the demo ran."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_httpserver import HTTPServer

from devtools.catalogue import catalogue_seed_demo
from energy.models import Observation, Series
from tests.factories import SeriesFactory

pytestmark = pytest.mark.django_db

SNAPSHOT = (
    Path(__file__).resolve().parents[2] / "energy/static/energy/data/datacentre-electricity.csv"
).read_text()
NEWER = SNAPSHOT.replace("World,2024,415,", "World,2024,421,")


@pytest.fixture
def newer_file(settings, httpserver: HTTPServer) -> HTTPServer:
    settings.SOURCE_RETRY_BACKOFF_MS = 0
    httpserver.expect_request("/newer.csv").respond_with_data(NEWER, content_type="text/csv")
    return httpserver


def _rows() -> list[dict]:  # type: ignore[type-arg]
    return list(Series.objects.order_by("pk").values())


def test_refresh_fetches_the_url_in_the_setting_even_after_the_demo_ran(settings, newer_file):
    catalogue_seed_demo()
    world = Series.objects.get(catalogue_key="iea-datacentre-electricity-world")
    assert world.observations.get(period=dt.date(2024, 1, 1)).value == 415.0
    settings.DATACENTRE_CSV_URL = newer_file.url_for("/newer.csv")

    call_command("refresh_series", "--source", "csv", stdout=StringIO())

    # one download serves every region
    assert [request.path for request, _ in newer_file.log] == ["/newer.csv"]
    assert world.observations.get(period=dt.date(2024, 1, 1)).value == 421.0
    datacentre = Series.objects.filter(catalogue_key__startswith="iea-datacentre-")
    assert set(datacentre.values_list("status", flat=True)) == {Series.Status.OK}


def test_running_the_demo_twice_changes_no_row(db):
    catalogue_seed_demo()
    series, observations = _rows(), list(Observation.objects.order_by("pk").values())

    catalogue_seed_demo()

    assert _rows() == series
    assert list(Observation.objects.order_by("pk").values()) == observations


def test_a_series_created_with_the_default_url_copied_in_follows_the_setting(db):
    old = SeriesFactory(
        catalogue_key="iea-datacentre-electricity-world",
        source=Series.Source.CSV,
        dataset="http://127.0.0.1:8000/static/claims/data/datacentre-electricity.csv",
        entity="World",
        metric="twh",
        params={"date_column": "year", "value_column": "twh", "where": {"region": "World"}},
    )
    elsewhere = SeriesFactory(
        catalogue_key="iea-datacentre-electricity-china",
        source=Series.Source.CSV,
        dataset="https://mirror.example.org/dc.csv",
        entity="China",
        metric="twh",
        params={"date_column": "year", "value_column": "twh", "where": {"region": "China"}},
    )

    catalogue_seed_demo()
    once = _rows()
    catalogue_seed_demo()

    old.refresh_from_db()
    elsewhere.refresh_from_db()
    assert old.params["url_setting"] == "DATACENTRE_CSV_URL"
    assert old.params["where"] == {"region": "World"}
    # an editor's own URL stays the URL
    assert elsewhere.dataset == "https://mirror.example.org/dc.csv"
    assert "url_setting" not in elsewhere.params
    assert _rows() == once


def test_an_explicit_dataset_url_is_still_fetched_as_given(settings, newer_file):
    settings.DATACENTRE_CSV_URL = "https://unused.example.org/never.csv"
    series = SeriesFactory(
        source=Series.Source.CSV,
        dataset=newer_file.url_for("/newer.csv"),
        entity="World",
        metric="twh",
        params={"date_column": "year", "value_column": "twh", "where": {"region": "World"}},
    )

    call_command("refresh_series", "--source", "csv", stdout=StringIO())

    assert series.observations.get(period=dt.date(2024, 1, 1)).value == 421.0


@pytest.mark.parametrize("setting", ["SECRET_KEY", "MISSING_CSV_URL"])
def test_a_series_naming_a_setting_that_cannot_hold_its_url_fails_with_a_clear_error(
    settings, setting
):
    series = SeriesFactory(
        source=Series.Source.CSV,
        dataset="named-by-setting",
        entity="World",
        metric="twh",
        params={"url_setting": setting},
    )

    with pytest.raises(CommandError, match=setting):
        call_command("refresh_series", "--source", "csv", stdout=StringIO())

    series.refresh_from_db()
    assert series.status == Series.Status.FAILED
    assert setting in series.last_error
    assert not series.observations.exists()

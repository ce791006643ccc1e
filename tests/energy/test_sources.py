"""OWID and CSV sources end to end against a real local HTTP server: a good payload fills the
series, every kind of bad payload marks them failed with a clear reason and keeps their data."""

from __future__ import annotations

import datetime as dt
import email.utils
import socket
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from werkzeug import Request, Response

from energy.models import Observation, Series
from energy.services import series_refresh
from energy.sources import PayloadError
from energy.sources.base import parse_period, parse_value
from tests.factories import ObservationFactory, SeriesFactory

BASE = Path(django_settings.BASE_DIR)
OWID_CSV = (BASE / "devtools" / "data" / "snapshot" / "owid-energy-slice.csv").read_bytes()
DATACENTRE_CSV = (BASE / "energy/static/energy/data/datacentre-electricity.csv").read_bytes()
OWID_PATH = "/owid-energy-data.csv"


@pytest.fixture
def sources(settings, httpserver):  # type: ignore[no-untyped-def]
    settings.OWID_BASE_URL = httpserver.url_for("/")
    settings.SOURCE_RETRY_BACKOFF_MS = 0
    settings.SOURCE_MAX_ATTEMPTS = 3
    settings.SOURCE_RETRY_AFTER_MAX = 2
    settings.SOURCE_READ_TIMEOUT = 0.5
    settings.SOURCE_CONNECT_TIMEOUT = 0.5
    return httpserver


def owid_series(entity: str = "France", metric: str = "nuclear_share_elec") -> Series:
    return SeriesFactory(
        source=Series.Source.OWID, dataset="owid-energy-data", entity=entity, metric=metric
    )


def with_old_data(series: Series) -> Series:
    """A series holding one earlier observation, as if a refresh had succeeded before."""
    ObservationFactory(series=series, period=dt.date(1999, 1, 1), value=42.0)
    return series


def assert_failed_and_intact(series: Series, *words: str) -> None:
    series.refresh_from_db()
    assert series.status == Series.Status.FAILED
    for word in words:
        assert word in series.last_error, series.last_error
    assert list(series.observations.values_list("period", "value")) == [(dt.date(1999, 1, 1), 42.0)]


def test_owid_refresh_fills_every_series_from_one_download(db, sources):
    sources.expect_request(OWID_PATH).respond_with_data(OWID_CSV, content_type="text/csv")
    france = owid_series()
    world = owid_series("World", "electricity_demand")
    china = owid_series("China", "nuclear_electricity")

    report = series_refresh(source="owid")

    assert not report.failed
    assert len(sources.log) == 1
    assert france.observations.get(period=dt.date(2023, 1, 1)).value == 65.195
    assert world.observations.get(period=dt.date(2024, 1, 1)).value == 30930.23
    assert china.observations.count() == 26
    france.refresh_from_db()
    assert france.status == Series.Status.OK
    assert france.data_version.startswith("sha256:")
    assert france.source_url == sources.url_for(OWID_PATH)
    assert france.retrieved_at is not None
    assert sources.log[0][0].headers["User-Agent"] == django_settings.HTTP_USER_AGENT


def test_unchanged_payload_writes_nothing(db, sources):
    sources.expect_request(OWID_PATH).respond_with_data(OWID_CSV, content_type="text/csv")
    series = owid_series()
    series_refresh(source="owid")
    last_id = Observation.objects.order_by("-id").values_list("id", flat=True).first()

    report = series_refresh(source="owid")

    assert [o.state for o in report.outcomes] == ["unchanged"]
    assert Observation.objects.order_by("-id").values_list("id", flat=True).first() == last_id
    assert series.observations.count() == 26


def test_conditional_request_sends_the_validators_and_accepts_304(db, sources):
    etag, modified = '"v1"', "Wed, 21 Oct 2026 07:28:00 GMT"
    sources.expect_ordered_request(OWID_PATH).respond_with_data(
        OWID_CSV, headers={"ETag": etag, "Last-Modified": modified}, content_type="text/csv"
    )
    sources.expect_ordered_request(
        OWID_PATH, headers={"If-None-Match": etag, "If-Modified-Since": modified}
    ).respond_with_data("", status=304)
    series = owid_series()
    series_refresh(source="owid")

    report = series_refresh(source="owid")

    sources.check_assertions()
    assert [o.state for o in report.outcomes] == ["unchanged"]
    series.refresh_from_db()
    assert (series.status, series.http_etag) == (Series.Status.OK, etag)


def test_changed_value_updates_only_that_row(db, sources):
    series = owid_series()
    sources.expect_ordered_request(OWID_PATH).respond_with_data(OWID_CSV)
    revised = OWID_CSV.replace(b",338.200,65.195,", b",338.200,65.5,")
    sources.expect_ordered_request(OWID_PATH).respond_with_data(revised)
    series_refresh(source="owid")
    ids = dict(series.observations.values_list("period", "id"))

    report = series_refresh(source="owid")

    (outcome,) = report.outcomes
    assert (outcome.counts.created, outcome.counts.updated) == (0, 1)
    assert series.observations.get(period=dt.date(2023, 1, 1)).value == 65.5
    assert dict(series.observations.values_list("period", "id")) == ids


def serve(sources, *args, **kwargs):  # type: ignore[no-untyped-def]
    sources.expect_request(OWID_PATH).respond_with_data(*args, **kwargs)


def test_html_error_page_with_status_200_keeps_the_data(db, sources):
    serve(sources, "<html><body>Service unavailable</body></html>", content_type="text/csv")
    series = with_old_data(owid_series())
    report = series_refresh(source="owid")
    assert report.all_failed
    assert_failed_and_intact(series, "HTML page")


def test_http_500_is_retried_a_bounded_number_of_times(db, sources):
    serve(sources, "oops", status=500)
    series = with_old_data(owid_series())
    report = series_refresh(source="owid")
    assert len(sources.log) == 3
    assert report.retryable
    assert_failed_and_intact(series, "HTTP 500", "3 attempts")


def test_404_is_not_retried(db, sources):
    serve(sources, "missing", status=404)
    series = with_old_data(owid_series())
    report = series_refresh(source="owid")
    assert len(sources.log) == 1
    assert not report.retryable
    assert_failed_and_intact(series, "HTTP 404")


def test_429_with_short_retry_after_is_waited_for(db, sources):
    sources.expect_ordered_request(OWID_PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    sources.expect_ordered_request(OWID_PATH).respond_with_data(OWID_CSV)
    series = owid_series()
    report = series_refresh(source="owid")
    assert not report.failed
    assert len(sources.log) == 2
    assert series.observations.count() == 26


def test_429_with_long_retry_after_fails_as_temporary_without_waiting(db, sources):
    serve(sources, "slow down", status=429, headers={"Retry-After": "3600"})
    series = with_old_data(owid_series())
    report = series_refresh(source="owid")
    assert len(sources.log) == 1
    assert report.retryable
    assert_failed_and_intact(series, "HTTP 429", "Retry-After 3600")


def test_503_is_retried_then_succeeds(db, sources):
    sources.expect_ordered_request(OWID_PATH).respond_with_data("busy", status=503)
    sources.expect_ordered_request(OWID_PATH).respond_with_data(OWID_CSV)
    series = owid_series()
    assert not series_refresh(source="owid").failed
    assert series.observations.count() == 26


def test_read_timeout_keeps_the_data(db, sources, settings):
    release = threading.Event()

    def stall(request: Request) -> Response:
        release.wait(3)
        return Response(OWID_CSV)

    sources.expect_request(OWID_PATH).respond_with_handler(stall)
    series = with_old_data(owid_series())
    settings.SOURCE_MAX_ATTEMPTS = 1
    try:
        report = series_refresh(source="owid")
    finally:
        release.set()
    assert report.retryable
    assert_failed_and_intact(series, "timed out")


def test_connection_refused_keeps_the_data(db, sources, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.OWID_BASE_URL = f"http://127.0.0.1:{port}/"
    series = with_old_data(owid_series())
    report = series_refresh(source="owid")
    assert report.retryable
    assert_failed_and_intact(series, "could not connect")


def test_body_shorter_than_its_content_length_is_truncated(db, sources):
    def short(request: Request) -> Response:
        response = Response(OWID_CSV[:5000])
        response.headers["Content-Length"] = str(len(OWID_CSV))
        return response

    sources.expect_request(OWID_PATH).respond_with_handler(short)
    series = with_old_data(owid_series())
    series_refresh(source="owid")
    assert_failed_and_intact(series, "truncated")


def test_file_cut_in_the_middle_of_a_row_is_refused(db, sources):
    serve(sources, OWID_CSV[: OWID_CSV.index(b"France,2023") + 30])
    series = with_old_data(owid_series())
    series_refresh(source="owid")
    assert_failed_and_intact(series, "fields instead of 17", "truncated")


def test_renamed_column_fails_only_the_series_that_need_it(db, sources):
    serve(sources, OWID_CSV.replace(b"nuclear_share_elec", b"nuclear_share_of_electricity"))
    series = with_old_data(owid_series())
    other = owid_series("World", "electricity_demand")
    report = series_refresh(source="owid")
    assert len(report.failed) == 1
    assert_failed_and_intact(series, "'nuclear_share_elec'", "renamed or removed")
    assert other.observations.count() == 26


def test_missing_key_columns_fail_the_whole_file(db, sources):
    serve(sources, OWID_CSV.replace(b"country,year", b"entity,yr", 1))
    series = with_old_data(owid_series())
    series_refresh(source="owid")
    assert_failed_and_intact(series, "not the OWID energy CSV", "country, year")


@pytest.mark.parametrize(
    ("bad", "reason"),
    [(b"65.195", "'n/a' is not a number"), (b"65.195", "not a finite number")],
    ids=["non-numeric", "nan"],
)
def test_bad_values_keep_the_data(db, sources, bad, reason):
    replacement = b"n/a" if "n/a" in reason else b"NaN"
    serve(sources, OWID_CSV.replace(b",338.200," + bad + b",", b",338.200," + replacement + b","))
    series = with_old_data(owid_series())
    series_refresh(source="owid")
    assert_failed_and_intact(series, reason, "2023")


def test_entity_absent_from_the_file_is_an_empty_result(db, sources):
    serve(sources, OWID_CSV)
    series = with_old_data(owid_series("Atlantis"))
    series_refresh(source="owid")
    assert_failed_and_intact(series, "'Atlantis' not in the file")


def test_empty_body_keeps_the_data(db, sources):
    serve(sources, b"")
    series = with_old_data(owid_series())
    series_refresh(source="owid")
    assert_failed_and_intact(series, "is empty")


def test_column_with_no_values_is_an_empty_result(db, sources):
    header, *rows = OWID_CSV.decode().splitlines()
    blanked = [",".join([*row.split(",")[:8], "", *row.split(",")[9:]]) for row in rows]
    serve(sources, "\n".join([header, *blanked]))
    series = with_old_data(owid_series())
    series_refresh(source="owid")
    assert_failed_and_intact(series, "empty result")


def test_body_above_the_size_cap_is_refused(db, sources, settings):
    settings.SOURCE_MAX_BYTES = 10_000
    serve(sources, OWID_CSV)
    series = with_old_data(owid_series())
    series_refresh(source="owid")
    assert_failed_and_intact(series, "SOURCE_MAX_BYTES")


def test_a_failure_after_success_then_a_recovery(db, sources):
    sources.expect_ordered_request(OWID_PATH).respond_with_data(OWID_CSV)
    sources.expect_ordered_request(OWID_PATH).respond_with_data("<html>down</html>")
    sources.expect_ordered_request(OWID_PATH).respond_with_data(OWID_CSV)
    series = owid_series()
    series_refresh(source="owid")
    series_refresh(source="owid")
    series.refresh_from_db()
    assert series.status == Series.Status.FAILED
    assert series.observations.count() == 26

    series_refresh(source="owid")

    series.refresh_from_db()
    assert (series.status, series.last_error) == (Series.Status.OK, "")
    assert series.observations.count() == 26


def datacentre_series(url: str, region: str) -> Series:
    return SeriesFactory(
        source=Series.Source.CSV,
        dataset=url,
        entity=region,
        metric="twh",
        params={"date_column": "year", "value_column": "twh", "where": {"region": region}},
        unit="TWh",
        attribution="Source: IEA (2025), Energy and AI",
    )


def test_csv_source_serves_several_regions_from_one_file(db, sources):
    sources.expect_request("/dc.csv").respond_with_data(DATACENTRE_CSV, content_type="text/csv")
    url = sources.url_for("/dc.csv")
    world, china = datacentre_series(url, "World"), datacentre_series(url, "China")

    report = series_refresh(source="csv")

    assert not report.failed
    assert len(sources.log) == 1
    assert list(world.observations.values_list("period", "value")) == [
        (dt.date(2024, 1, 1), 415.0),
        (dt.date(2030, 1, 1), 945.0),
        (dt.date(2035, 1, 1), 1200.0),
    ]
    assert china.observations.count() == 2


def test_csv_source_reads_date_and_value_columns_with_iso_dates(db, sources):
    body = "date,value\n2024-01-31,1.5\n2024-02-29,2.25\n"
    sources.expect_request("/plain.csv").respond_with_data(body)
    series = SeriesFactory(source=Series.Source.CSV, dataset=sources.url_for("/plain.csv"))
    series_refresh(source="csv")
    assert list(series.observations.values_list("period", "value")) == [
        (dt.date(2024, 1, 31), 1.5),
        (dt.date(2024, 2, 29), 2.25),
    ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("day,amount\n2024,1\n", "no 'date', 'value' column"),
        ("date,value\n2024,lots\n", "'lots' is not a number"),
        ("date,value\n2024,\n", "value is missing"),
        ("date,value\n2024,1\n2024,2\n", "several values for 2024"),
        ("date,value\nlast year,1\n", "not a year or a date"),
        ("date,value\n", "empty result"),
    ],
)
def test_csv_source_refuses_bad_files(db, sources, body, reason):
    sources.expect_request("/bad.csv").respond_with_data(body)
    series = with_old_data(
        SeriesFactory(source=Series.Source.CSV, dataset=sources.url_for("/bad.csv"))
    )
    series_refresh(source="csv")
    assert_failed_and_intact(series, reason)


def test_csv_url_to_an_internal_address_is_refused(db, sources, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    sources.expect_request("/internal.csv").respond_with_data("date,value\n2024,1\n")
    series = with_old_data(
        SeriesFactory(source=Series.Source.CSV, dataset=sources.url_for("/internal.csv"))
    )
    report = series_refresh(source="csv")
    assert sources.log == []
    assert not report.retryable
    assert_failed_and_intact(series, "does not resolve to a public address; refused")


def test_csv_url_on_our_own_site_may_be_loopback(db, sources, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    settings.SITE_URL = sources.url_for("/").rstrip("/")
    sources.expect_request("/static/dc.csv").respond_with_data("date,value\n2024,1\n")
    series = SeriesFactory(source=Series.Source.CSV, dataset=sources.url_for("/static/dc.csv"))
    assert not series_refresh(source="csv").failed
    assert series.observations.get().value == 1.0


@pytest.mark.parametrize(
    ("raw", "period"),
    [
        ("2023", dt.date(2023, 1, 1)),
        (2023, dt.date(2023, 1, 1)),
        ("2021-03", dt.date(2021, 3, 1)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        ("2021-Q2", dt.date(2021, 4, 1)),
        ("2021Q4", dt.date(2021, 10, 1)),
    ],
)
def test_periods_in_the_formats_sources_use(raw, period):
    assert parse_period(raw, "test") == period


@pytest.mark.parametrize("raw", ["2023-02-30", "23", "2023/01/01", "", "Q1 2023"])
def test_malformed_periods_are_refused(raw):
    with pytest.raises(PayloadError):
        parse_period(raw, "test")


@pytest.mark.parametrize(
    ("raw", "value"), [("65.195", 65.195), (".306", 0.306), ("", None), (None, None), (3, 3.0)]
)
def test_values_as_sources_send_them(raw, value):
    assert parse_value(raw, "test") == value


@pytest.mark.parametrize("raw", ["nan", "inf", "-Infinity", True, "1,5"])
def test_values_that_are_not_finite_numbers_are_refused(raw):
    with pytest.raises(PayloadError):
        parse_value(raw, "test")


def test_retry_after_as_an_http_date_is_honoured(db, sources):
    soon = email.utils.format_datetime(
        dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1), usegmt=True
    )
    sources.expect_ordered_request(OWID_PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": soon}
    )
    sources.expect_ordered_request(OWID_PATH).respond_with_data(OWID_CSV)
    series = owid_series()
    assert not series_refresh(source="owid").failed
    assert series.observations.count() == 26

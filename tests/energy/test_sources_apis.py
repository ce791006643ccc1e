"""EIA v2 and Ember connectors against a local server replaying their real response shapes."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from werkzeug import Request, Response

from energy.models import Series
from energy.services import series_refresh
from tests.factories import ObservationFactory, SeriesFactory

DATA = Path(__file__).parent / "data"
EIA_SAMPLE = json.loads((DATA / "eia-v2-sample.json").read_text())
EIA_ERRORS = json.loads((DATA / "eia-v2-error-samples.json").read_text())
EMBER_YEARLY = json.loads((DATA / "ember-yearly-sample.json").read_text())
EMBER_MONTHLY = json.loads((DATA / "ember-monthly-sample.json").read_text())
EIA_ROUTE = "electricity/electric-power-operational-data"
EIA_PATH = f"/v2/{EIA_ROUTE}/data/"


@pytest.fixture
def apis(settings, httpserver):  # type: ignore[no-untyped-def]
    settings.EIA_BASE_URL = httpserver.url_for("/v2/")
    settings.EMBER_BASE_URL = httpserver.url_for("/v1/")
    settings.EIA_API_KEY = "eia-test-key"
    settings.EMBER_API_KEY = "ember-test-key"
    settings.SOURCE_RETRY_BACKOFF_MS = 0
    return httpserver


def eia_series(fuel: str = "REN") -> Series:
    return SeriesFactory(
        source=Series.Source.EIA,
        dataset=EIA_ROUTE,
        entity="SAT",
        metric="generation",
        unit="GWh",
        frequency=Series.Frequency.MONTHLY,
        params={
            "frequency": "monthly",
            "facets": {"location": ["SAT"], "sectorid": ["6"], "fueltypeid": [fuel]},
        },
    )


def eia_answer(rows: list[dict[str, str]], total: int | None = None) -> dict[str, object]:
    answer = copy.deepcopy(EIA_SAMPLE)
    answer["response"]["data"] = rows
    answer["response"]["total"] = str(len(rows) if total is None else total)
    return answer


def assert_failed_and_intact(series: Series, *words: str) -> None:
    series.refresh_from_db()
    assert series.status == Series.Status.FAILED
    for word in words:
        assert word in series.last_error, series.last_error
    assert list(series.observations.values_list("value", flat=True)) == [42.0]


def test_eia_reads_string_values_and_sends_key_and_facets(db, apis):
    renewable = [row for row in EIA_SAMPLE["response"]["data"] if row["fueltypeid"] == "REN"]
    apis.expect_request(EIA_PATH).respond_with_json(eia_answer(renewable))
    series = eia_series()

    assert not series_refresh(source="eia").failed

    assert list(series.observations.values_list("period", "value")) == [
        (dt.date(2021, 3, 1), 69.38363)
    ]
    query = apis.log[0][0].args
    assert query["api_key"] == "eia-test-key"
    assert query["data[0]"] == "generation"
    assert query.getlist("facets[fueltypeid][]") == ["REN"]
    assert (query["frequency"], query["offset"], query["length"]) == ("monthly", "0", "5000")
    series.refresh_from_db()
    assert "eia-test-key" not in series.source_url


def test_eia_pages_through_offset_and_length(db, apis):
    start = dt.date(2000, 1, 1)
    rows = [
        {"period": (start + dt.timedelta(days=i)).isoformat(), "generation": f"{i}.5"}
        for i in range(7000)
    ]

    def page(request: Request) -> Response:
        offset = int(request.args["offset"])
        length = int(request.args["length"])
        body = eia_answer(rows[offset : offset + length], total=len(rows))
        return Response(json.dumps(body), content_type="application/json")

    apis.expect_request(EIA_PATH).respond_with_handler(page)
    series = eia_series()

    report = series_refresh(source="eia")

    assert not report.failed, report.failed[0].error
    assert [entry[0].args["offset"] for entry in apis.log] == ["0", "5000"]
    assert series.observations.count() == 7000
    assert (
        series.observations.get(period=dt.date(2000, 1, 1) + dt.timedelta(days=6999)).value
        == 6999.5
    )


def test_eia_rows_of_several_series_for_one_period_are_refused(db, apis):
    apis.expect_request(EIA_PATH).respond_with_json(eia_answer(EIA_SAMPLE["response"]["data"]))
    series = eia_series()
    ObservationFactory(series=series, value=42.0)
    series_refresh(source="eia")
    assert_failed_and_intact(series, "several values for 2021-03")


def test_eia_fewer_rows_than_announced_is_truncated(db, apis):
    apis.expect_ordered_request(EIA_PATH).respond_with_json(
        eia_answer(EIA_SAMPLE["response"]["data"][3:], total=10)
    )
    apis.expect_ordered_request(EIA_PATH).respond_with_json(eia_answer([], total=10))
    series = eia_series()
    ObservationFactory(series=series, value=42.0)
    series_refresh(source="eia")
    assert_failed_and_intact(series, "got 1 rows of the 10 announced")


def test_eia_without_a_key_asks_nothing_and_says_why(db, apis, settings):
    settings.EIA_API_KEY = ""
    series = eia_series()
    ObservationFactory(series=series, value=42.0)
    report = series_refresh(source="eia")
    assert apis.log == []
    assert not report.retryable
    assert_failed_and_intact(series, "EIA_API_KEY is not set")


@pytest.mark.parametrize(
    ("case", "status", "reason"),
    [
        ("missing_api_key_http_403", 403, "API_KEY_MISSING: No api_key was supplied"),
        ("invalid_frequency_http_400", 400, "Invalid frequency 'yearly' provided"),
        ("not_found_http_404", 404, "Not found."),
    ],
)
def test_eia_error_bodies_become_the_reason(db, apis, case, status, reason):
    apis.expect_request(EIA_PATH).respond_with_json(EIA_ERRORS[case], status=status)
    series = eia_series()
    ObservationFactory(series=series, value=42.0)
    series_refresh(source="eia")
    assert_failed_and_intact(series, f"HTTP {status}", reason)


def test_eia_empty_result(db, apis):
    apis.expect_request(EIA_PATH).respond_with_json(eia_answer([]))
    series = eia_series(fuel="XYZ")
    ObservationFactory(series=series, value=42.0)
    series_refresh(source="eia")
    assert_failed_and_intact(series, "empty result")


def ember_series(
    entity: str, metric: str, dataset: str = "electricity-generation/yearly", **params
):  # type: ignore[no-untyped-def]
    return SeriesFactory(
        source=Series.Source.EMBER,
        dataset=dataset,
        entity=entity,
        metric=metric,
        params=params,
    )


def test_ember_one_request_per_entity_serves_its_series(db, apis):
    apis.expect_request("/v1/electricity-generation/yearly").respond_with_json(EMBER_YEARLY)
    nuclear = ember_series("FRA", "Nuclear")
    share = ember_series(
        "FRA",
        "Nuclear",
        dataset="electricity-generation/yearly/",
        value_field="share_of_generation_pct",
    )
    total = ember_series("FRA", "Total generation")

    report = series_refresh(source="ember")

    assert not report.failed, report.failed[0].error
    assert len(apis.log) == 2  # the trailing slash makes a second dataset key
    assert nuclear.observations.get().value == 380.45
    assert nuclear.observations.get().period == dt.date(2024, 1, 1)
    assert share.observations.get().value == 67.72
    assert total.observations.get().value == 561.78
    query = apis.log[0][0].args
    assert (query["entity_code"], query["api_key"]) == ("FRA", "ember-test-key")


def test_ember_monthly_rows(db, apis):
    apis.expect_request("/v1/electricity-generation/monthly").respond_with_json(EMBER_MONTHLY)
    demand = ember_series("USA", "Demand", dataset="electricity-generation/monthly")
    assert not series_refresh(source="ember").failed
    assert list(demand.observations.values_list("period", "value")) == [
        (dt.date(2021, 1, 1), 355.60)
    ]


def test_ember_without_a_key_says_why(db, apis, settings):
    settings.EMBER_API_KEY = ""
    series = ember_series("FRA", "Nuclear")
    ObservationFactory(series=series, value=42.0)
    series_refresh(source="ember")
    assert apis.log == []
    assert_failed_and_intact(series, "EMBER_API_KEY is not set")


def test_ember_refused_key_reason_is_shown(db, apis):
    apis.expect_request("/v1/electricity-generation/yearly").respond_with_json(
        {"detail": "No API key set"}, status=401
    )
    series = ember_series("FRA", "Nuclear")
    ObservationFactory(series=series, value=42.0)
    series_refresh(source="ember")
    assert_failed_and_intact(series, "HTTP 401", "No API key set")


def test_ember_two_letter_code_is_refused_before_asking(db, apis):
    series = ember_series("FR", "Nuclear")
    ObservationFactory(series=series, value=42.0)
    series_refresh(source="ember")
    assert apis.log == []
    assert_failed_and_intact(series, "ISO3")


def test_ember_answer_without_data_list(db, apis):
    apis.expect_request("/v1/electricity-generation/yearly").respond_with_json({"stats": {}})
    series = ember_series("FRA", "Nuclear")
    ObservationFactory(series=series, value=42.0)
    series_refresh(source="ember")
    assert_failed_and_intact(series, "no data list")


def test_ember_unknown_value_field(db, apis):
    apis.expect_request("/v1/electricity-generation/yearly").respond_with_json(EMBER_YEARLY)
    series = ember_series("FRA", "Nuclear", value_field="capacity_gw")
    ObservationFactory(series=series, value=42.0)
    series_refresh(source="ember")
    assert_failed_and_intact(series, "no 'capacity_gw' field")

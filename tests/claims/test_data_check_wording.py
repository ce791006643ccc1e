"""Data checks in words: the rule, the value and the history of the result (drift)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from claims.data_checks import history_sentence, rule_sentence, value_sentence
from claims.models import AssertionResultChange, ClaimSeries

TITLE = "Nuclear share of electricity generation, France"


def _link(**kwargs):  # type: ignore[no-untyped-def]
    values = {
        "assertion_operator": "gte",
        "assertion_threshold": 60.0,
        "assertion_period_start": dt.date(2020, 1, 1),
        "assertion_period_end": dt.date(2024, 12, 31),
        "assertion_value": 55.0,
        "assertion_result": "fails",
    }
    values.update(kwargs)
    return ClaimSeries(**values)


def _change(result: str, year: int, checked: dt.date) -> AssertionResultChange:
    return AssertionResultChange(
        result=result,
        data_through=dt.date(year, 1, 1),
        checked_at=dt.datetime(checked.year, checked.month, checked.day, 12, tzinfo=dt.UTC),
    )


def test_rule_reads_as_a_sentence():
    with translation.override("en"):
        assert rule_sentence(_link(), title=TITLE, unit="%", annual=True) == (
            "“Nuclear share of electricity generation, France” stays at or above 60 % "
            "over 2020–2024"
        )
        assert (
            rule_sentence(
                _link(assertion_operator="lt", assertion_period_start=None),
                title="X",
                unit="TWh",
                annual=True,
            )
            == "“X” stays below 60 TWh up to 2024"
        )


def test_rule_in_french():
    with translation.override("fr"):
        sentence = rule_sentence(_link(), title=TITLE, unit="%", annual=True)
    assert "2020–2024" in sentence and "60 %" in sentence and "stays" not in sentence


def test_value_names_the_value_nearest_to_failing():
    with translation.override("en"):
        assert value_sentence(_link(), unit="%") == "lowest value in the period: 55 %"
        assert value_sentence(_link(assertion_operator="lte"), unit="%") == (
            "highest value in the period: 55 %"
        )


def test_drift_reads_held_then_does_not_hold_since():
    changes = [
        _change("holds", 2023, dt.date(2025, 3, 1)),
        _change("fails", 2024, dt.date(2026, 3, 5)),
    ]
    with translation.override("en"):
        assert history_sentence(changes, annual=True) == (
            "Held with the 2023 data; does not hold since the 2024 data, March 5, 2026."
        )


def test_one_result_only_and_a_return():
    with translation.override("en"):
        assert history_sentence([_change("holds", 2024, dt.date(2026, 1, 2))], annual=True) == (
            "Holds with the 2024 data."
        )
        three = [
            _change("holds", 2022, dt.date(2024, 1, 1)),
            _change("fails", 2023, dt.date(2025, 1, 1)),
            _change("holds", 2024, dt.date(2026, 1, 1)),
        ]
        assert history_sentence(three, annual=True) == (
            "Held with the 2022 data; did not hold with the 2023 data, Jan. 1, 2025; "
            "holds since the 2024 data, Jan. 1, 2026."
        )
    assert history_sentence([], annual=True) == ""


@pytest.mark.django_db
def test_a_data_change_that_breaks_the_check_is_told_to_readers(client, article):  # type: ignore[no-untyped-def]
    from claims.services import assertions_evaluate, claim_series_add
    from tests.conftest import _user
    from tests.factories import ClaimFactory, ObservationFactory, SeriesFactory

    editor = _user("edith", groups=("Editor",), staff=True)
    claim = ClaimFactory(article=article, statement_en="Nuclear stays above 60 %.")
    series = SeriesFactory(title_en=TITLE, unit="%")
    for year, value in ((2020, 67.0), (2021, 69.0), (2022, 63.0), (2023, 65.0)):
        ObservationFactory(series=series, period=dt.date(year, 1, 1), value=value)
    from claims.services import Assertion

    claim_series_add(
        claim=claim,
        series=series,
        by=editor,
        assertion=Assertion("gte", 60.0, dt.date(2020, 1, 1), dt.date(2024, 12, 31)),
    )
    ObservationFactory(series=series, period=dt.date(2024, 1, 1), value=55.0)
    assertions_evaluate(series_id=series.pk)

    page = client.get(claim.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "stays at or above 60 % over 2020–2024" in page
    assert "lowest value in the period: 55 %" in page.lower()
    assert "Held with the 2023 data; does not hold since the 2024 data" in page

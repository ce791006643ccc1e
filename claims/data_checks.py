"""A data check as readers read it, in their language: the rule in words, the value nearest
to failing, and the history of its result ("held with the 2023 data; does not hold since the
2024 data, 5 Mar 2026"). Pure functions of a link, its series' title and its changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from claims.models import AssertionResultChange, ClaimSeries


def number(value: float) -> str:
    """A figure as the reader's locale writes it, to at most two decimals (62.5, 62,5)."""
    rounded = round(float(value), 2)
    if rounded.is_integer():
        return number_format(int(rounded), force_grouping=True)
    return number_format(rounded, force_grouping=True)


def quantity(value: float, unit: str) -> str:
    return f"{number(value)} {unit}".strip()


def period_label(day: dt.date, *, annual: bool) -> str:
    """A period of the data: its year for annual data, else its month."""
    return str(day.year) if annual else date_format(day, "YEAR_MONTH_FORMAT")


def _period(link: ClaimSeries, *, annual: bool) -> str:
    start, end = link.assertion_period_start, link.assertion_period_end
    if start and end:
        return _("over %(start)s–%(end)s") % {
            "start": period_label(start, annual=annual),
            "end": period_label(end, annual=annual),
        }
    if start:
        return _("from %(start)s on") % {"start": period_label(start, annual=annual)}
    if end:
        return _("up to %(end)s") % {"end": period_label(end, annual=annual)}
    return _("over all the data")


def rule_sentence(link: ClaimSeries, *, title: str, unit: str, annual: bool) -> str:
    """The check in words: “Nuclear share of electricity generation, France” stays at or
    above 60 % over 2020–2024."""
    assert link.assertion_threshold is not None
    templates = {
        ClaimSeries.Operator.GTE: _("“%(title)s” stays at or above %(threshold)s %(period)s"),
        ClaimSeries.Operator.GT: _("“%(title)s” stays above %(threshold)s %(period)s"),
        ClaimSeries.Operator.LTE: _("“%(title)s” stays at or below %(threshold)s %(period)s"),
        ClaimSeries.Operator.LT: _("“%(title)s” stays below %(threshold)s %(period)s"),
    }
    return templates[ClaimSeries.Operator(link.assertion_operator)] % {
        "title": title,
        "threshold": quantity(link.assertion_threshold, unit),
        "period": _period(link, annual=annual),
    }


def value_sentence(link: ClaimSeries, *, unit: str) -> str:
    """The value the result rests on: the lowest for “at or above”, the highest for “below”."""
    if link.assertion_value is None:
        return ""
    lowest = link.assertion_operator in (ClaimSeries.Operator.GTE, ClaimSeries.Operator.GT)
    template = (
        _("lowest value in the period: %(value)s")
        if lowest
        else _("highest value in the period: %(value)s")
    )
    return template % {"value": quantity(link.assertion_value, unit)}


def _present(result: str) -> str:
    return {
        ClaimSeries.Result.HOLDS: _("holds"),
        ClaimSeries.Result.FAILS: _("does not hold"),
    }.get(ClaimSeries.Result(result), _("has no data for the period"))


def _past(result: str) -> str:
    return {
        ClaimSeries.Result.HOLDS: _("held"),
        ClaimSeries.Result.FAILS: _("did not hold"),
    }.get(ClaimSeries.Result(result), _("had no data for the period"))


def _data(change: AssertionResultChange, *, annual: bool) -> str:
    if change.data_through is None:
        return _("with the data then")
    return _("with the %(period)s data") % {
        "period": period_label(change.data_through, annual=annual)
    }


def _since(change: AssertionResultChange, *, annual: bool) -> str:
    if change.data_through is None:
        return _("since %(date)s") % {"date": date_format(change.checked_at, "DATE_FORMAT")}
    return _("since the %(period)s data, %(date)s") % {
        "period": period_label(change.data_through, annual=annual),
        "date": date_format(change.checked_at, "DATE_FORMAT"),
    }


def history_sentence(changes: Sequence[AssertionResultChange], *, annual: bool) -> str:
    """How the result went, oldest first: "Held with the 2023 data; does not hold since the
    2024 data, 5 Mar 2026." One result only: "Holds with the 2024 data." Empty: ""."""
    if not changes:
        return ""
    if len(changes) == 1:
        only = changes[0]
        text = f"{_present(only.result)} {_data(only, annual=annual)}"
    else:
        parts = [f"{_past(changes[0].result)} {_data(changes[0], annual=annual)}"]
        for change in changes[1:-1]:
            parts.append(
                _("%(result)s %(data)s, %(date)s")
                % {
                    "result": _past(change.result),
                    "data": _data(change, annual=annual),
                    "date": date_format(change.checked_at, "DATE_FORMAT"),
                }
            )
        last = changes[-1]
        parts.append(f"{_present(last.result)} {_since(last, annual=annual)}")
        text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


@dataclass(frozen=True)
class DataCheck:
    """What the claim page says of one link's data check."""

    result: str
    result_label: str
    rule: str
    value: str
    history: str
    drifted: bool


def data_check(
    link: ClaimSeries,
    changes: Sequence[AssertionResultChange],
    *,
    title: str,
    unit: str,
    annual: bool,
) -> DataCheck | None:
    if not link.assertion_operator or link.assertion_threshold is None:
        return None
    return DataCheck(
        result=link.assertion_result,
        result_label=str(link.get_assertion_result_display()) if link.assertion_result else "",
        rule=rule_sentence(link, title=title, unit=unit, annual=annual),
        value=value_sentence(link, unit=unit),
        history=history_sentence(changes, annual=annual),
        drifted=link.assertion_drifted,
    )

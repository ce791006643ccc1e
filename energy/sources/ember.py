"""Ember electricity data API (JSON). Source key: dataset = "<dataset>/<resolution>"
(e.g. "electricity-generation/yearly"), entity = ISO3 code ("FRA"; two-letter codes silently
return nothing), metric = Ember series name ("Nuclear", "Demand", "Total generation"),
params = {"value_field": "generation_twh" | "share_of_generation_pct" | ...}. One request per
dataset and entity serves all its series."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from energy.models import Series
from energy.sources.base import (
    ConfigurationError,
    ParseResult,
    Payload,
    PayloadError,
    Points,
    SourceError,
    collect_points,
)
from energy.sources.http import http_get

name = "ember"


def group_key(series: Series) -> str:
    return f"{series.dataset}|{series.entity}"


def fetch(group: Sequence[Series], *, etag: str = "", last_modified: str = "") -> Payload:
    if not settings.EMBER_API_KEY:
        raise ConfigurationError(
            "EMBER_API_KEY is not set: get a free key at https://ember-energy.org/data/api/ "
            "and set it in the environment"
        )
    first = group[0]
    entity = first.entity.strip().upper()
    if len(entity) != 3 or not entity.isalpha():
        raise ConfigurationError(f"Ember needs an ISO3 entity code (e.g. FRA), not {entity!r}")
    params = [("entity_code", entity), ("api_key", settings.EMBER_API_KEY)]
    start = min(
        (str(s.params.get("start", "")) for s in group if s.params.get("start")), default=""
    )
    if start:
        params.append(("start_date", start))
    return http_get(
        f"{settings.EMBER_BASE_URL}{first.dataset.strip('/')}",
        params=params,
        accept="application/json",
    )


def parse(payload: Payload, group: Sequence[Series]) -> ParseResult:
    data = payload.json()
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        detail = data.get("detail") if isinstance(data, dict) else None
        raise PayloadError(
            f"{payload.url}: "
            + (f"Ember error: {detail}" if detail else "no data list in the answer")
        )
    rows = data["data"]
    results: dict[int, Points | SourceError] = {}
    for series in group:
        field = str(series.params.get("value_field", "generation_twh"))
        where = f"Ember {series.dataset} {series.entity} {series.metric} {field}"
        mine = [
            row
            for row in rows
            if isinstance(row, dict)
            and str(row.get("entity_code", "")).upper() == series.entity.upper()
            and row.get("series") == series.metric
        ]
        try:
            if mine and field not in mine[0]:
                raise PayloadError(
                    f"{where}: rows have no {field!r} field (fields: {', '.join(mine[0])})"
                )
            results[series.pk] = collect_points(
                ((row.get("date"), row.get(field)) for row in mine), where
            )
        except PayloadError as exc:
            results[series.pk] = exc
    return results

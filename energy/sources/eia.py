"""US EIA API v2 (JSON). Source key: dataset = route (e.g.
"electricity/electric-power-operational-data"), metric = data column ("generation"),
params = {"frequency": "annual", "facets": {"location": ["US"], "fueltypeid": ["NUC"]},
"start": "2001"}. The key goes in the api_key query parameter; pages hold at most 5,000 rows
(offset/length); values arrive as strings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

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

name = "eia"
PAGE_LENGTH = 5000
MAX_PAGES = 200  # one million rows: far above any one series; stops a runaway loop


def group_key(series: Series) -> str:
    return f"series-{series.pk}"


def _query(series: Series, offset: int) -> list[tuple[str, str]]:
    params = series.params or {}
    query = [
        ("api_key", settings.EIA_API_KEY),
        ("frequency", str(params.get("frequency", series.frequency))),
        ("data[0]", series.metric),
    ]
    facets = params.get("facets", {})
    if not isinstance(facets, dict):
        raise ConfigurationError("params.facets must be an object of facet -> list of values")
    for facet, values in sorted(facets.items()):
        for value in values if isinstance(values, list) else [values]:
            query.append((f"facets[{facet}][]", str(value)))
    for bound in ("start", "end"):
        if params.get(bound):
            query.append((bound, str(params[bound])))
    query += [
        ("sort[0][column]", "period"),
        ("sort[0][direction]", "asc"),
        ("offset", str(offset)),
        ("length", str(PAGE_LENGTH)),
    ]
    return query


def _response(payload: Payload) -> dict[str, Any]:
    data = payload.json()
    if isinstance(data, dict) and "error" in data:
        error = data["error"]
        message = (
            f"{error.get('code', '')}: {error.get('message', '')}"
            if isinstance(error, dict)
            else error
        )
        raise PayloadError(f"EIA error: {message}")
    response = data.get("response") if isinstance(data, dict) else None
    if not isinstance(response, dict) or not isinstance(response.get("data"), list):
        raise PayloadError(f"{payload.url}: no response.data list in the answer")
    return response


def fetch(group: Sequence[Series], *, etag: str = "", last_modified: str = "") -> Payload:
    if not settings.EIA_API_KEY:
        raise ConfigurationError(
            "EIA_API_KEY is not set: register for a free key at "
            "https://www.eia.gov/opendata/register.php and set it in the environment"
        )
    (series,) = group
    url = f"{settings.EIA_BASE_URL}{series.dataset.strip('/')}/data/"
    rows: list[dict[str, Any]] = []
    total = -1
    for _page in range(MAX_PAGES):
        payload = http_get(url, params=_query(series, len(rows)), accept="application/json")
        try:
            response = _response(payload)
        finally:
            payload.close()
        try:
            total = int(str(response.get("total", "")))
        except ValueError:
            raise PayloadError(
                f"{url}: response.total {response.get('total')!r} is not a count"
            ) from None
        page_rows = response["data"]
        rows.extend(page_rows)
        if not page_rows or len(rows) >= total:
            break
    else:
        raise PayloadError(f"{url}: more than {MAX_PAGES} pages; narrow the facets or dates")
    if len(rows) < total:
        raise PayloadError(f"{url}: got {len(rows)} rows of the {total} announced (truncated)")
    # One canonical body for all pages, so the data version covers the whole series.
    body = json.dumps({"total": total, "data": rows}, sort_keys=True).encode()
    return Payload.from_bytes(url, body, content_type="application/json")


def parse(payload: Payload, group: Sequence[Series]) -> ParseResult:
    (series,) = group
    data = payload.json()
    results: dict[int, Points | SourceError] = {}
    where = f"EIA {series.dataset} {series.metric}"
    try:
        rows = data["data"]
        if rows and series.metric not in rows[0]:
            raise PayloadError(
                f"{where}: rows have no {series.metric!r} column (columns: {', '.join(rows[0])})"
            )
        results[series.pk] = collect_points(
            ((row.get("period"), row.get(series.metric)) for row in rows), where
        )
    except PayloadError as exc:
        results[series.pk] = exc
    return results

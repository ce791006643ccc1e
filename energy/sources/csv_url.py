"""Any CSV an editor points at: a date (year or ISO date) column and a value column.

The series' source key: dataset = the CSV URL; params may rename the columns
({"date_column": "year", "value_column": "twh"}) and pick rows ({"where": {"region": "World"}}),
so one file with several regions serves several series in one download. Unit and attribution
are entered by the editor on the series.

Series that Assay ships (the demo's data-centre figures) take their URL from a setting instead,
read at each refresh: params {"url_setting": "DATACENTRE_CSV_URL"}, with dataset a plain name.
Changing the variable then moves every such series to the new file. Only settings whose name
ends in _CSV_URL can be named.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from urllib.parse import urlsplit

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

name = "csv"


URL_SETTING_SUFFIX = "_CSV_URL"


def series_csv_url(series: Series) -> str:
    """The URL to fetch: the setting named by params["url_setting"], else the dataset."""
    setting = series.params.get("url_setting") if isinstance(series.params, dict) else None
    if not setting:
        return series.dataset
    if not isinstance(setting, str) or not setting.endswith(URL_SETTING_SUFFIX):
        raise ConfigurationError(
            f"params url_setting={setting!r} must name a setting ending in {URL_SETTING_SUFFIX}"
        )
    url = getattr(settings, setting, None)
    if not isinstance(url, str) or not url:
        raise ConfigurationError(f"the setting {setting} named by the series is not set")
    return url


def group_key(series: Series) -> str:
    try:
        return series_csv_url(series)
    except ConfigurationError:
        # fetched alone, so that the error is reported against this series
        return f"unresolved:{series.pk}"


def fetch(group: Sequence[Series], *, etag: str = "", last_modified: str = "") -> Payload:
    url = series_csv_url(group[0])
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"{url!r} is not an http(s) URL")
    # Editors type these URLs: the guard refuses internal addresses. Loopback is allowed where
    # settings allow it, and for Assay's own site, which serves the demo's CSV.
    own_site = url.startswith(settings.SITE_URL + "/")
    return http_get(
        url,
        etag=etag,
        last_modified=last_modified,
        accept="text/csv",
        guard=True,
        allow_loopback=bool(settings.OUTBOUND_ALLOW_LOOPBACK) or own_site,
    )


def parse(payload: Payload, group: Sequence[Series]) -> ParseResult:
    payload.refuse_html()
    rows: dict[int, list[tuple[object, object]]] = {series.pk: [] for series in group}
    results: dict[int, Points | SourceError] = {}
    try:
        reader = csv.reader(payload.text())
        header = next(reader, None)
        if header is None:
            raise PayloadError(f"{payload.url} is empty")
        index = {column.strip().lower(): position for position, column in enumerate(header)}
        plans: list[tuple[Series, int, int, list[tuple[int, str]]]] = []
        for series in group:
            date_column = str(series.params.get("date_column", "date")).lower()
            value_column = str(series.params.get("value_column", "value")).lower()
            where = {
                str(k).lower(): str(v) for k, v in dict(series.params.get("where", {})).items()
            }
            missing = [c for c in (date_column, value_column, *where) if c not in index]
            if missing:
                results[series.pk] = PayloadError(
                    f"{payload.url} has no {', '.join(repr(c) for c in missing)} column "
                    f"(columns: {', '.join(index)})"
                )
                continue
            filters = [(index[column], value) for column, value in where.items()]
            plans.append((series, index[date_column], index[value_column], filters))
        width = len(header)
        for line_number, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) != width:
                raise PayloadError(
                    f"{payload.url} line {line_number} has {len(row)} fields instead of {width} "
                    "(truncated or malformed file)"
                )
            for series, date_at, value_at, filters in plans:
                if all(row[at].strip() == value for at, value in filters):
                    rows[series.pk].append((row[date_at], row[value_at]))
    except UnicodeDecodeError as exc:
        raise PayloadError(f"{payload.url} is not UTF-8 text: {exc}") from None
    except csv.Error as exc:
        raise PayloadError(f"{payload.url} is not valid CSV: {exc}") from None
    for series in group:
        if series.pk in results:
            continue
        try:
            results[series.pk] = collect_points(
                iter(rows[series.pk]), f"CSV {series.title}", skip_missing=False
            )
        except PayloadError as exc:
            results[series.pk] = exc
    return results

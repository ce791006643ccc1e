"""Our World in Data energy dataset: one CSV (~9 MB, one row per entity and year) for every
OWID series. The file is downloaded once per refresh and read once, streaming, keeping only
the rows of the entities the catalogue asks for."""

from __future__ import annotations

import csv
from collections.abc import Sequence

from django.conf import settings

from energy.models import Series
from energy.sources.base import (
    ParseResult,
    Payload,
    PayloadError,
    Points,
    SourceError,
    collect_points,
)
from energy.sources.http import http_get

name = "owid"
FILE_NAME = "owid-energy-data.csv"
_REQUIRED = ("country", "year")


def url() -> str:
    return f"{settings.OWID_BASE_URL}{FILE_NAME}"


def group_key(series: Series) -> str:
    return FILE_NAME


def fetch(group: Sequence[Series], *, etag: str = "", last_modified: str = "") -> Payload:
    return http_get(url(), etag=etag, last_modified=last_modified, accept="text/csv")


def parse(payload: Payload, group: Sequence[Series]) -> ParseResult:
    payload.refuse_html()
    wanted: dict[str, list[Series]] = {}
    for series in group:
        wanted.setdefault(series.entity, []).append(series)
    rows: dict[int, list[tuple[object, object]]] = {series.pk: [] for series in group}
    results: dict[int, Points | SourceError] = {}
    try:
        reader = csv.reader(payload.text())
        header = next(reader, None)
        if header is None:
            raise PayloadError(f"{payload.url} is empty")
        header = [column.strip() for column in header]
        missing = [column for column in _REQUIRED if column not in header]
        if missing:
            raise PayloadError(
                f"{payload.url} is not the OWID energy CSV: no {', '.join(missing)} column "
                f"(header starts {', '.join(header[:5])!r})"
            )
        index = {column: position for position, column in enumerate(header)}
        country_at, year_at = index["country"], index["year"]
        columns: dict[int, int] = {}
        for series in group:
            if series.metric not in index:
                results[series.pk] = PayloadError(
                    f"column {series.metric!r} is not in {payload.url} (renamed or removed?)"
                )
            else:
                columns[series.pk] = index[series.metric]
        width = len(header)
        for line_number, row in enumerate(reader, start=2):
            if len(row) != width:
                raise PayloadError(
                    f"{payload.url} line {line_number} has {len(row)} fields instead of {width} "
                    "(truncated or malformed file)"
                )
            for series in wanted.get(row[country_at], ()):
                if series.pk in columns:
                    rows[series.pk].append((row[year_at], row[columns[series.pk]]))
    except UnicodeDecodeError as exc:
        raise PayloadError(f"{payload.url} is not UTF-8 text: {exc}") from None
    except csv.Error as exc:
        raise PayloadError(f"{payload.url} is not valid CSV: {exc}") from None
    for series in group:
        if series.pk in results:
            continue
        where = f"OWID {series.entity} / {series.metric}"
        if not rows[series.pk]:
            results[series.pk] = PayloadError(f"{where}: entity {series.entity!r} not in the file")
            continue
        try:
            results[series.pk] = collect_points(iter(rows[series.pk]), where)
        except PayloadError as exc:
            results[series.pk] = exc
    return results

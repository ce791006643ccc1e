"""Reads of the series catalogue shared by the pages and the API."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from energy.models import Observation, Series


def series_points(*, series_ids: list[int]) -> dict[int, list[tuple[dt.date, float]]]:
    """Every observation of these series, oldest first, as plain (period, value) pairs: one
    query, without building a model instance per point (a daily series has thousands)."""
    points: dict[int, list[tuple[dt.date, float]]] = {pk: [] for pk in series_ids}
    if not series_ids:
        return points
    rows = (
        Observation.objects.filter(series_id__in=series_ids)
        .order_by("series_id", "period")
        .values_list("series_id", "period", "value")
    )
    for series_id, period, value in rows:
        points[series_id].append((period, value))
    return points


def series_list() -> QuerySet[Series]:
    """The series catalogue: public, whatever the claims it backs."""
    return Series.objects.prefetch_related(Prefetch("tags", to_attr="tag_list"))


def series_observations(*, series: Series) -> QuerySet[Observation]:
    return Observation.objects.filter(series=series).order_by("period")

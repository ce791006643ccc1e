"""Ordering that refuses what it cannot do: an unknown `ordering` field is a 400 listing the
fields the endpoint sorts by, not a silent fallback to the default order."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
import django_filters.fields
from django import forms
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

from integrations.serializers import MAX_ID

MAX_UTC_OFFSET = dt.timedelta(hours=14)  # Kiribati's; the furthest west is -12:00


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):  # type: ignore[misc]  # django-filter ships no types
    """A filter on a row id: a whole number from 1 to the largest id, else 400 (a number
    filter takes decimals, so `6.18e+34` overflowed SQLite and `1.5` was read as 1)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class _UtcDateTimeField(django_filters.fields.IsoDateTimeField):  # type: ignore[misc]
    def clean(self, value: Any) -> dt.datetime | None:
        moment: dt.datetime | None = super().clean(value)
        if moment is None:
            return None
        offset = moment.utcoffset()
        if offset is not None and abs(offset) > MAX_UTC_OFFSET:
            raise forms.ValidationError(
                "This offset from UTC is not one any place uses (at most ±14:00)."
            )
        try:
            # the database gets UTC: PostgreSQL refuses offsets Python accepts (-19:18)
            return moment.astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError("This date is out of range.") from None


class SinceFilter(django_filters.IsoDateTimeFilter):  # type: ignore[misc]
    """`updated_since`: an ISO 8601 date and time, compared in UTC; an offset no place uses or
    a date out of range is a 400, never a database error."""

    field_class = _UtcDateTimeField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        super().__init__(*args, **kwargs)


class StrictOrderingFilter(OrderingFilter):
    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        fields = getattr(view, "ordering_fields", None)
        if isinstance(fields, list | tuple) and all(isinstance(f, str) for f in fields):
            for parameter in parameters:
                parameter["description"] = (
                    f"Sort by {', '.join(fields)}: one or more, comma-separated, a leading - "
                    "for descending. Another field is refused with 400."
                )
        return parameters

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",")]
            valid = self.get_valid_fields(queryset, view, {"request": request})
            allowed = [name for name, _label in valid]
            unknown = [term for term in fields if term.removeprefix("-") not in allowed]
            if unknown:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            f"Cannot order by {', '.join(unknown)}: use "
                            f"{', '.join(allowed)} (a leading - sorts descending)."
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)

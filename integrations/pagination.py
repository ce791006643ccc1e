"""Cursor pagination for large lists: stable while rows are inserted, page size capped.

A cursor the server did not hand out, or a page size that is not a positive whole number, is
a 400 in the API's error shape. A page size above API_MAX_PAGE_SIZE is served at the maximum.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request

from integrations.serializers import MAX_ID


class ApiCursorPagination(CursorPagination):
    page_size_query_param = "page_size"
    page_size_query_description = (
        "Results per page: a whole number from 1. Larger than the server's maximum "
        "(API_MAX_PAGE_SIZE, 1000 by default) is served at the maximum."
    )
    cursor_query_description = "The cursor from a page's `next` or `previous` link, as given."
    # Ordering fields must be unique together (a tiebreaker last) so no row is skipped or
    # repeated between pages; views set their own ordering.
    ordering = ("-id",)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters

    def get_page_size(self, request: Request) -> int:
        # Read at request time so deployments (and tests) can change the defaults.
        self.page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_MAX_PAGE_SIZE
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw.strip())
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {self.page_size_query_param: [f"{raw!r} is not a whole number of at least 1."]}
            )
        return min(size, self.max_page_size)

    def _invalid_cursor(self) -> ValidationError:
        return ValidationError(
            {
                self.cursor_query_param: [
                    "This cursor is not valid: use a page's next or previous link as given."
                ]
            }
        )

    def decode_cursor(self, request: Request) -> Any:
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise self._invalid_cursor() from None
        if cursor is not None and isinstance(cursor.position, str) and "\x00" in cursor.position:
            raise self._invalid_cursor()  # PostgreSQL text cannot hold it: a forged cursor
        return cursor

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        """A cursor whose position does not fit the ordering field (`p=abc` on an id, a number
        out of range) was forged: a 400, not a database error."""
        if request.query_params.get(self.cursor_query_param) is None:
            return super().paginate_queryset(queryset, request, view)
        cursor = self.decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            self._check_position(queryset, request, view, cursor.position)
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, OverflowError, DjangoValidationError):
            raise self._invalid_cursor() from None

    def _check_position(
        self, queryset: QuerySet[Any], request: Request, view: Any, position: str
    ) -> None:
        """Before any query: the position must be a value of the first ordering field (the
        database would fail on it otherwise, aborting the transaction it runs in)."""
        name = self.get_ordering(request, queryset, view)[0].lstrip("-")
        field: Any
        if name in queryset.query.annotations:
            field = queryset.query.annotations[name].output_field  # the comments' thread key
        else:
            try:
                field = queryset.model._meta.get_field(name)
            except FieldDoesNotExist:
                return
        try:
            value = field.to_python(position)
        except DjangoValidationError:
            raise self._invalid_cursor() from None
        if isinstance(field, models.IntegerField) and not -MAX_ID <= value <= MAX_ID:
            raise self._invalid_cursor()


class IdCursorPagination(ApiCursorPagination):
    ordering = ("id",)

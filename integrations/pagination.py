"""Cursor pagination for large lists: stable while rows are inserted, page size capped.

A cursor the server did not hand out, or a page size that is not a positive whole number, is
a 400 in the API's error shape. A page size above API_MAX_PAGE_SIZE is served at the maximum.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


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

    def decode_cursor(self, request: Request) -> Any:
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {
                    self.cursor_query_param: [
                        "This cursor is not valid: use a page's next or previous link as given."
                    ]
                }
            ) from None


class IdCursorPagination(ApiCursorPagination):
    ordering = ("id",)

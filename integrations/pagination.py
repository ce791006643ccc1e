"""Cursor pagination for large lists: stable while rows are inserted, page size capped."""

from __future__ import annotations

from django.conf import settings
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


class ApiCursorPagination(CursorPagination):
    page_size_query_param = "page_size"
    # Ordering fields must be unique together (a tiebreaker last) so no row is skipped or
    # repeated between pages; views set their own ordering.
    ordering = ("-id",)

    def get_page_size(self, request: Request) -> int:
        # Read at request time so deployments (and tests) can change the defaults.
        self.page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_MAX_PAGE_SIZE
        return super().get_page_size(request)  # type: ignore[no-any-return]


class IdCursorPagination(ApiCursorPagination):
    ordering = ("id",)

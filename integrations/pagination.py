"""Cursor pagination for large lists: stable while rows are inserted, page size capped."""

from __future__ import annotations

from django.conf import settings
from rest_framework.pagination import CursorPagination


class ApiCursorPagination(CursorPagination):
    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    # Ordering fields must be unique together (a tiebreaker last) so no row is skipped or
    # repeated between pages; views set their own ordering.
    ordering = ("-id",)


class IdCursorPagination(ApiCursorPagination):
    ordering = ("id",)

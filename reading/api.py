"""What integrators read across apps: tags in use, search, and the JSON Lines export of the
whole knowledge base a client may read."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection
from django.db.models import Prefetch, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from taggit.models import Tag

from articles.selectors import article_list_for_api
from articles.serializers import ArticleDetailSerializer, ArticleSerializer
from claims.selectors import claim_list_with_links
from claims.serializers import ClaimSerializer
from core.request_id import get_request_id, reset_request_id, set_request_id
from discussions.selectors import comment_list_for_api
from discussions.serializers import CommentSerializer
from energy.models import Observation
from energy.selectors import series_list
from energy.serializers import ObservationSerializer, SeriesSerializer
from integrations.pagination import IdCursorPagination
from integrations.permissions import ScopedPermission
from integrations.renderers import JSONLinesRenderer
from integrations.views_base import ConditionalRetrieveMixin, JSONErrorsMixin
from reading.search import article_search, claim_search, tags_in_use

EXPORT_CHUNK = 500
logger = logging.getLogger(__name__)


class TagSerializer(serializers.ModelSerializer[Tag]):
    class Meta:
        model = Tag
        fields = ["id", "name", "slug"]
        read_only_fields = fields


class TagFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Tag
        fields = ["q"]


class TagViewSet(ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Tags in use on articles, claims and series; `/tags/<slug>/` for one."""

    serializer_class = TagSerializer
    filterset_class = TagFilter
    lookup_field = "slug"
    ordering_fields = ["id", "name"]
    ordering = ["name"]
    pagination_class = IdCursorPagination

    def get_queryset(self) -> QuerySet[Tag]:
        return tags_in_use()


class SearchResultSerializer(serializers.Serializer[Any]):
    query = serializers.CharField()
    articles = ArticleSerializer(many=True)
    claims = ClaimSerializer(many=True)


class SearchQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(max_length=200)
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)


class SearchView(APIView):
    """Articles and claims matching the words of `q` (full-text on PostgreSQL)."""

    @extend_schema(
        parameters=[SearchQuerySerializer],
        responses={200: SearchResultSerializer},
    )
    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query, limit = params.validated_data["q"], params.validated_data["limit"]
        articles = list(article_search(query=query, user=request.user)[:limit])
        claims = list(claim_search(query=query, user=request.user)[:limit])
        context = {"request": request}
        return Response(
            {
                "query": query,
                "articles": ArticleSerializer(articles, many=True, context=context).data,
                "claims": ClaimSerializer(claims, many=True, context=context).data,
            }
        )


def _jsonl(kind: str, data: Any) -> str:
    return json.dumps({"type": kind, **data}, ensure_ascii=False, default=str) + "\n"


def export_lines(*, user: Any) -> Iterator[str]:
    """The knowledge base a user may read, one JSON object per line: articles, claims (with
    evidence and series links), the public discussion (comments as anonymous readers see
    them, in thread order), series (with observations). Memory stays flat: rows come in chunks
    with their prefetches."""
    yield _jsonl("export", {"generated_at": timezone.now().isoformat(), "format": 1})
    yield from _export_rows(user=user)


def export_stream(*, user: Any, request_id: str) -> Iterator[str]:
    """export_lines with its last line saying whether it is complete: `{"type": "end",
    "complete": true, "lines": n}`, or, when the database fails once the 200 is sent,
    `{"type": "error", "complete": false, …}` and an error in the log under the request's id
    (a client that sees no "end" line knows the file is cut short)."""
    token = set_request_id(request_id)
    lines = 0
    try:
        for line in export_lines(user=user):
            lines += 1
            yield line
    except DatabaseError as exc:
        logger.error(
            "export broken off: database error",
            extra={"lines": lines, "error": f"{type(exc).__name__}: {exc}"},
        )
        yield _jsonl(
            "error",
            {
                "complete": False,
                "lines": lines,
                "detail": "The export was cut short by a database error. Try again shortly.",
                "request_id": request_id,
            },
        )
        return
    finally:
        reset_request_id(token)
    yield _jsonl("end", {"complete": True, "lines": lines})


def _export_rows(*, user: Any) -> Iterator[str]:
    for article in article_list_for_api(user=user).order_by("id").iterator(chunk_size=EXPORT_CHUNK):
        yield _jsonl("article", ArticleDetailSerializer(article).data)
    claims = claim_list_with_links(user=user).order_by("id")
    for claim in claims.iterator(chunk_size=EXPORT_CHUNK):
        yield _jsonl("claim", ClaimSerializer(claim).data)
    for comment in comment_list_for_api(user=AnonymousUser()).iterator(chunk_size=EXPORT_CHUNK):
        yield _jsonl("comment", CommentSerializer(comment).data)
    observations = Prefetch("observations", queryset=Observation.objects.order_by("period"))
    for series in (
        series_list()
        .prefetch_related(observations)
        .order_by("id")
        .iterator(chunk_size=EXPORT_CHUNK)
    ):
        row = SeriesSerializer(series).data
        row["observations"] = ObservationSerializer(series.observations.all(), many=True).data
        yield _jsonl("series", row)


class ExportView(JSONErrorsMixin, APIView):
    """The whole knowledge base you may read, as JSON Lines, streamed."""

    permission_classes = [ScopedPermission]
    renderer_classes = [JSONLinesRenderer, JSONRenderer]

    @extend_schema(
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(
                response=OpenApiTypes.STR,
                description='One JSON object per line, each with a "type": export (first), '
                "article, claim or series, then end (`complete: true`) — or error "
                "(`complete: false`) when the export was cut short.",
            )
        }
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        # Once streaming starts the status is sent: a database that is down must be found
        # before, and answered 503 like every other endpoint.
        connection.ensure_connection()
        response = StreamingHttpResponse(
            export_stream(user=request.user, request_id=get_request_id()),
            content_type="application/x-ndjson; charset=utf-8",
        )
        stamp = timezone.now().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="assay-export-{stamp}.jsonl"'
        return response

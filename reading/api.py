"""What integrators read across apps: tags in use, search, and the JSON Lines export of the
whole knowledge base a client may read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import django_filters
from django.contrib.auth.models import AnonymousUser
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
                description='One JSON object per line, each with a "type": export, article, '
                "claim or series.",
            )
        }
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            export_lines(user=request.user), content_type="application/x-ndjson; charset=utf-8"
        )
        stamp = timezone.now().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="assay-export-{stamp}.jsonl"'
        return response

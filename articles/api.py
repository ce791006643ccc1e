"""Articles, tags and search in the API: read-only, drafts visible to editors only."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from taggit.models import Tag

from articles.models import Article, Language
from articles.selectors import article_list_for_api, article_search
from articles.serializers import ArticleDetailSerializer, ArticleSerializer
from claims.selectors import claim_search, tags_in_use
from claims.serializers import ClaimSerializer
from integrations.pagination import IdCursorPagination
from integrations.views_base import ConditionalRetrieveMixin


class ArticleFilter(django_filters.FilterSet):
    tag = django_filters.CharFilter(field_name="tags__slug", help_text="A tag slug, e.g. energy.")
    status = django_filters.ChoiceFilter(choices=Article.Status.choices)
    language = django_filters.ChoiceFilter(choices=Language.choices)
    slug = django_filters.CharFilter()
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Article
        fields = ["tag", "status", "language", "slug", "updated_since"]


class ArticleViewSet(ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Articles: published ones for everyone, drafts and articles in review for editors."""

    filterset_class = ArticleFilter
    ordering_fields = ["id", "created_at", "updated_at"]
    ordering = ["-id"]

    def get_queryset(self) -> QuerySet[Article]:
        return article_list_for_api(user=self.request.user)

    def get_serializer_class(self) -> type[ArticleSerializer]:
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer


class TagSerializer(serializers.ModelSerializer[Tag]):
    class Meta:
        model = Tag
        fields = ["id", "name", "slug"]
        read_only_fields = fields


class TagFilter(django_filters.FilterSet):
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

"""Articles, tags and search in the API: read-only, drafts visible to editors only."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework import viewsets

from articles.models import Article, Language
from articles.selectors import article_list_for_api
from articles.serializers import ArticleDetailSerializer, ArticleSerializer
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

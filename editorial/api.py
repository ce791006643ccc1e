"""Articles in the API: read (drafts for editors only), and the editorial writes: create an
article from plain text, from a post page dump, or from a URL (an import job to poll), and
change one. Every write goes through editorial.services, like the admin."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from articles.models import Article, ArticleImport, Language
from articles.selectors import article_list_for_api
from articles.serializers import ArticleDetailSerializer, ArticleSerializer
from core.roles import user_sees_drafts
from editorial.importers import DumpError
from editorial.services.articles import (
    ARTICLE_FIELDS,
    article_create,
    article_import_post,
    article_update,
)
from editorial.services.url_imports import article_import_request
from integrations.filters import SinceFilter
from integrations.pagination import ApiCursorPagination
from integrations.permissions import ScopedPermission
from integrations.serializers import absolute
from integrations.views_base import ConditionalRetrieveMixin, valid_body


class ArticleFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    tag = django_filters.CharFilter(field_name="tags__slug", help_text="A tag slug, e.g. energy.")
    status = django_filters.ChoiceFilter(choices=Article.Status.choices)
    language = django_filters.ChoiceFilter(choices=Language.choices)
    slug = django_filters.CharFilter()
    updated_since = SinceFilter()

    class Meta:
        model = Article
        fields = ["tag", "status", "language", "slug", "updated_since"]


class _ArticleFields(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Article.Status.choices, required=False)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    source_url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    source_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    original_author = serializers.CharField(max_length=200, required=False, allow_blank=True)
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )


class ArticleCreateSerializer(_ArticleFields):
    """`source` says what `body` holds: `text` (the article itself), `post_dump` (a post page
    as copied from a platform: the post, its chrome and reader comments) or `url` (a page to
    fetch: `url` is required and an import job is queued)."""

    source = serializers.ChoiceField(  # type: ignore[assignment]  # the article's source kind, not Field.source
        choices=["text", "post_dump", "url"]
    )
    body = serializers.CharField(required=False, allow_blank=False, max_length=5_000_000)
    url = serializers.URLField(required=False, max_length=2000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["source"] == "url":
            if not attrs.get("url"):
                raise serializers.ValidationError({"url": ["Required when source is url."]})
            if attrs.get("body"):
                raise serializers.ValidationError(
                    {"body": ["Not taken when source is url: the page is fetched."]}
                )
        elif not attrs.get("body"):
            raise serializers.ValidationError({"body": ["Required for text and post_dump."]})
        elif attrs.get("url"):
            raise serializers.ValidationError(
                {"url": ["Only for source url; the original's address goes in source_url."]}
            )
        return attrs


class ArticleUpdateSerializer(_ArticleFields):
    slug = serializers.SlugField(max_length=200, required=False)
    body = serializers.CharField(required=False, allow_blank=False, max_length=5_000_000)


class ArticleImportSerializer(serializers.ModelSerializer[ArticleImport]):
    url = serializers.SerializerMethodField()
    page_url = serializers.CharField(source="url", read_only=True)
    article_url = serializers.SerializerMethodField()

    class Meta:
        model = ArticleImport
        fields = [
            "id",
            "url",
            "page_url",
            "language",
            "status",
            "error",
            "article",
            "article_url",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, job: ArticleImport) -> str:
        return absolute(
            self.context.get("request"), reverse("api:article-import-detail", args=[job.pk])
        )

    def get_article_url(self, job: ArticleImport) -> str | None:
        if job.article_id is None:
            return None
        return absolute(
            self.context.get("request"), reverse("api:article-detail", args=[job.article_id])
        )


class ArticleViewSet(
    ConditionalRetrieveMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,  # type: ignore[type-arg]
):
    """Articles: published ones for everyone, drafts and articles in review for editors.
    Creating and changing articles needs `write:articles` (editors)."""

    filterset_class = ArticleFilter
    ordering_fields = ["id", "created_at", "updated_at"]
    ordering = ["-id"]
    write_scope = "write:articles"

    def get_queryset(self) -> QuerySet[Article]:
        return article_list_for_api(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "create":
            return ArticleCreateSerializer
        if self.action in ("update", "partial_update"):
            return ArticleUpdateSerializer
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    def _detail(self, article: Article, **extra: Any) -> dict[str, Any]:
        article = self.get_queryset().get(pk=article.pk)
        data = ArticleDetailSerializer(article, context={"request": self.request}).data
        return {**data, **extra}

    @extend_schema(
        request=ArticleCreateSerializer,
        responses={
            201: ArticleDetailSerializer,
            200: OpenApiResponse(ArticleDetailSerializer, description="Already imported."),
            202: ArticleImportSerializer,
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = valid_body(ArticleCreateSerializer(data=request.data)).validated_data
        fields = {k: v for k, v in body.items() if k in ARTICLE_FIELDS}
        if body["source"] == "url":
            job = article_import_request(
                url=body["url"], language=body.get("language", ""), by=request.user
            )
            data = ArticleImportSerializer(job, context={"request": request}).data
            return Response(
                data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]}
            )
        if body["source"] == "post_dump":
            try:
                imported = article_import_post(
                    raw=body["body"].encode("utf-8"),
                    language=body.get("language"),
                    source_url=body.get("source_url", ""),
                    source_name=body.get("source_name", ""),
                    original_author=body.get("original_author", ""),
                    title=body.get("title", ""),
                    status=body.get("status", Article.Status.DRAFT),
                    created_by=request.user,
                )
            except DumpError as error:
                raise serializers.ValidationError({"body": [str(error)]}) from None
            code = status.HTTP_201_CREATED if imported.created else status.HTTP_200_OK
            return Response(
                self._detail(imported.article, comments_imported=imported.comments_created),
                status=code,
            )
        article = article_create(
            body=body["body"],
            title=fields.pop("title", ""),
            language=fields.pop("language", Language.ENGLISH),
            tags=body.get("tags"),
            created_by=request.user,
            **fields,
        )
        return Response(self._detail(article), status=status.HTTP_201_CREATED)

    @extend_schema(request=ArticleUpdateSerializer, responses={200: ArticleDetailSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        article = self.get_object()
        partial = kwargs.get("partial", False) or request.method == "PATCH"
        serializer = ArticleUpdateSerializer(data=request.data, partial=partial)
        data = valid_body(serializer).validated_data
        if not data:
            raise serializers.ValidationError({"non_field_errors": ["Nothing to change."]})
        report = article_update(
            article=article,
            by=request.user,
            body=data.get("body"),
            tags=data.get("tags"),
            **{k: v for k, v in data.items() if k in ARTICLE_FIELDS},
        )
        extra = {}
        if report is not None:
            extra["reanchored"] = {
                "moved": len(report.moved),
                "fuzzy": len(report.fuzzy),
                "lost": len(report.lost),
                "unchanged": report.unchanged,
            }
        return Response(self._detail(article, **extra))


class ArticleImportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """URL imports: queued by POST /api/v1/articles/ with `source: url`; poll one for its
    state (queued, running, done, failed) and, when done, its article. Editors see all."""

    serializer_class = ArticleImportSerializer
    pagination_class = ApiCursorPagination
    permission_classes = [ScopedPermission]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ArticleImport]:
        if getattr(self, "swagger_fake_view", False):
            return ArticleImport.objects.none()
        jobs = ArticleImport.objects.order_by("-id")
        user = self.request.user
        if user_sees_drafts(user):
            return jobs
        if not user.is_authenticated:
            return jobs.none()
        return jobs.filter(requested_by=user)

"""API representations of articles; fields are listed explicitly and all are read-only."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from articles.models import Article
from integrations.serializers import TagListField, absolute


class ArticleSerializer(serializers.ModelSerializer[Article]):
    tags = TagListField(read_only=True)
    # a URL or "" when unknown (URLField would promise a URL in the schema)
    source_url = serializers.CharField(read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "slug",
            "language",
            "source_url",
            "source_name",
            "original_author",
            "published_at",
            "status",
            "tags",
            "web_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_web_url(self, article: Article) -> str:
        return absolute(self.context.get("request"), article.get_absolute_url())


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body"]
        read_only_fields = fields


def article_export_row(article: Article) -> dict[str, Any]:
    return {"type": "article", **ArticleDetailSerializer(article).data}

"""Reads of articles shared by the pages and the API, each with its prefetches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from taggit.models import Tag, TaggedItem

from articles.models import Article
from core.i18n import TAG_LABELS, tags_of

if TYPE_CHECKING:
    from core.roles import AnyUser


def article_list(
    *, user: AnyUser, tag: str | None = None, language: str | None = None
) -> QuerySet[Article]:
    """Articles a reader may see, newest first (by original date, then import date)."""
    articles = Article.objects.visible_to(user).prefetch_related("tags", TAG_LABELS)  # type: ignore[misc]  # taggit managers are prefetchable; the stubs do not know them
    if tag:
        articles = articles.filter(tags__slug=tag)
    if language:
        articles = articles.filter(language=language)
    return articles.order_by("-published_at", "-created_at", "-id").distinct()


def article_for_page(*, slug: str, user: AnyUser) -> Article | None:
    """An article for its page, with its tags and their labels (`tag_list`)."""
    article = Article.objects.visible_to(user).filter(slug=slug).first()
    if article is not None:
        article.tag_list = tags_of(article)  # type: ignore[attr-defined]
    return article


def tag_get(*, slug: str) -> Tag | None:
    return Tag.objects.select_related("label").filter(slug=slug).first()


def article_tags(*, user: AnyUser) -> list[Tag]:
    """Tags on the articles this user may see, by name, each with `article_count`: one query."""
    visible = Article.objects.visible_to(user).order_by().values("pk")
    items = TaggedItem.objects.filter(
        content_type__app_label="articles",
        content_type__model="article",
        object_id__in=visible,
    )
    return list(
        Tag.objects.filter(pk__in=items.values("tag_id"))
        .select_related("label")
        .annotate(
            article_count=Subquery(
                items.filter(tag_id=OuterRef("pk"))
                .order_by()
                .values("tag_id")
                .annotate(n=Count("pk"))
                .values("n")
            )
        )
        .order_by("name")
    )


def article_languages(*, user: AnyUser) -> list[str]:
    return sorted(
        Article.objects.visible_to(user).order_by().values_list("language", flat=True).distinct()
    )


def article_list_for_api(*, user: AnyUser) -> QuerySet[Article]:
    """Articles a client may read, tags prefetched into a list (one query per page)."""
    return Article.objects.visible_to(user).prefetch_related(Prefetch("tags", to_attr="tag_list"))

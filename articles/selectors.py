"""Reads of articles shared by the pages and the API, each with its prefetches."""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, FloatField, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from taggit.models import Tag

from articles.models import Article

# PostgreSQL text-search configurations, one per article language; the GIN indexes in
# articles/migrations/*_article_search_index.py are built on exactly these expressions.
SEARCH_CONFIGS = {"fr": "french", "en": "english"}
SEARCH_DOCUMENT = (
    "to_tsvector('{config}'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, ''))"
)


def article_list(
    *, user: object, tag: str | None = None, language: str | None = None
) -> QuerySet[Article]:
    """Articles a reader may see, newest first (by original date, then import date)."""
    articles = Article.objects.visible_to(user).prefetch_related("tags")  # type: ignore[misc]  # taggit managers are prefetchable; the stubs do not know them
    if tag:
        articles = articles.filter(tags__slug=tag)
    if language:
        articles = articles.filter(language=language)
    return articles.order_by("-published_at", "-created_at", "-id").distinct()


def article_for_page(*, slug: str, user: object) -> Article | None:
    return Article.objects.visible_to(user).prefetch_related("tags").filter(slug=slug).first()  # type: ignore[misc]  # taggit managers are prefetchable; the stubs do not know them


def tag_get(*, slug: str) -> Tag | None:
    return Tag.objects.filter(slug=slug).first()


def article_languages(*, user: object) -> list[str]:
    return sorted(
        Article.objects.visible_to(user).order_by().values_list("language", flat=True).distinct()
    )


def search_match_sql() -> str:
    """The WHERE condition of a full-text search (one %s per configuration for the query)."""
    return " OR ".join(
        f"{SEARCH_DOCUMENT.format(config=config)} @@ "
        f"websearch_to_tsquery('{config}'::regconfig, %s)"
        for config in SEARCH_CONFIGS.values()
    )


def search_rank_sql() -> str:
    return " + ".join(
        f"ts_rank({SEARCH_DOCUMENT.format(config=config)}, "
        f"websearch_to_tsquery('{config}'::regconfig, %s))"
        for config in SEARCH_CONFIGS.values()
    )


def article_search(*, query: str, user: object) -> QuerySet[Article]:
    """Full-text search on PostgreSQL (French and English stemming, GIN-indexed); a plain
    case-insensitive match elsewhere (the embedded SQLite default)."""
    query = query.strip()
    articles = Article.objects.visible_to(user).prefetch_related("tags")  # type: ignore[misc]  # taggit managers are prefetchable; the stubs do not know them
    if not query:
        return articles.none()
    if connection.vendor != "postgresql":
        words = query.split()
        condition = Q()
        for word in words:
            condition &= Q(title__icontains=word) | Q(body__icontains=word)
        return articles.filter(condition).order_by("-published_at", "-created_at", "-id")
    matches, rank = search_match_sql(), search_rank_sql()
    params = [query] * len(SEARCH_CONFIGS)
    # the SQL is built from the constants above; the reader's query only travels as a
    # parameter. The match sits in the WHERE clause itself so PostgreSQL can combine the two
    # GIN indexes (BitmapOr).
    return (
        articles.filter(RawSQL(matches, params, output_field=BooleanField()))  # noqa: S611
        .annotate(rank=RawSQL(rank, params, output_field=FloatField()))  # noqa: S611
        .order_by("-rank", "-published_at", "-id")
    )


def article_list_for_api(*, user: object) -> QuerySet[Article]:
    """Articles a client may read, tags prefetched into a list (one query per page)."""
    return Article.objects.visible_to(user).prefetch_related(Prefetch("tags", to_attr="tag_list"))

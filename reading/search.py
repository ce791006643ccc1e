"""Search across what readers may read: articles by their text and tags, and by the statement,
quote and tags of their public claims. Shared by the search page and the search API.

PostgreSQL: full-text search with French and English stemming (the body's match runs on its
GIN indexes). The embedded SQLite default matches the same way: every word of the query,
stemmed with the same Snowball stemmers, accent-blind, ligatures spelled out and elided
articles dropped (core.text.search_document). One behaviour on both, pages and API alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from taggit.models import Tag, TaggedItem

from articles.models import Article
from claims.models import Claim
from claims.selectors import claim_list_with_links
from core.i18n import TAG_LABELS
from core.models import TagLabel
from core.text import SearchDocument, register_fold, search_query

if TYPE_CHECKING:
    from core.roles import AnyUser

# PostgreSQL text-search configurations a query is matched in (any one matching); the GIN indexes in
# articles/migrations/0002 and 0003 are built on exactly these expressions.
# assay_french (migration 0003) is french with accents removed before stemming: it lets
# "electricite" find "électricité", while french keeps the better stems of accented words.
SEARCH_CONFIGS = {"fr": "french", "en": "english", "fr_unaccented": "assay_french"}
SEARCH_DOCUMENT = (
    "to_tsvector('{config}'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, ''))"
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


def _claim_document(config: str) -> str:
    # the statement in both languages (claims/translation.py), so either language finds it
    return (
        f"to_tsvector('{config}'::regconfig, COALESCE(statement_en, '') || ' ' || "
        f"COALESCE(statement_fr, '') || ' ' || COALESCE(quote, ''))"
    )


def _tag_document(config: str) -> str:
    return f"to_tsvector('{config}'::regconfig, COALESCE(name, ''))"


def _tag_label_document(config: str) -> str:
    return (
        f"to_tsvector('{config}'::regconfig, COALESCE(text_en, '') || ' ' || COALESCE(text_fr, ''))"
    )


def _any_config_matches(document: Callable[[str], str]) -> str:
    return " OR ".join(
        f"{document(config)} @@ websearch_to_tsquery('{config}'::regconfig, %s)"
        for config in SEARCH_CONFIGS.values()
    )


def _tagged_article_ids(tags: QuerySet[Tag]) -> QuerySet[TaggedItem]:
    ids: QuerySet[TaggedItem] = TaggedItem.objects.filter(
        content_type__app_label="articles", content_type__model="article", tag__in=tags
    ).values("object_id")
    return ids


def _tagged_claim_ids(tags: QuerySet[Tag]) -> QuerySet[TaggedItem]:
    ids: QuerySet[TaggedItem] = TaggedItem.objects.filter(
        content_type__app_label="claims", content_type__model="claim", tag__in=tags
    ).values("object_id")
    return ids


def article_search(*, query: str, user: AnyUser) -> QuerySet[Article]:
    """Articles matching the query in their title and body, in the statement or quote or tags
    of one of their public claims, or in their tags: one query (plus the tags' prefetch).

    PostgreSQL: full-text search with French and English stemming (the body's match runs on
    its GIN indexes). SQLite: the same words found the same way (core.text)."""
    query = query.strip()
    articles = Article.objects.visible_to(user).prefetch_related("tags", TAG_LABELS)  # type: ignore[misc]  # taggit managers are prefetchable; the stubs do not know them
    if not query:
        return articles.none()
    if connection.vendor == "sqlite":
        return _sqlite_search(articles, query)
    if connection.vendor != "postgresql":
        return _plain_search(articles, query)
    matches, rank = search_match_sql(), search_rank_sql()
    params = [query] * len(SEARCH_CONFIGS)
    # the SQL is built from the constants above; the reader's query only travels as a
    # parameter. The body's match is a subquery of its own so PostgreSQL can combine the
    # two GIN indexes (BitmapOr) there.
    in_text = Article.objects.filter(RawSQL(matches, params, output_field=BooleanField()))  # noqa: S611
    labels = TagLabel.objects.filter(
        RawSQL(_any_config_matches(_tag_label_document), params, output_field=BooleanField())  # noqa: S611
    )
    tags = Tag.objects.filter(
        Q(RawSQL(_any_config_matches(_tag_document), params, output_field=BooleanField()))  # noqa: S611
        | Q(pk__in=labels.values("tag_id"))
    )
    claims = Claim.objects.public().filter(
        Q(RawSQL(_any_config_matches(_claim_document), params, output_field=BooleanField()))  # noqa: S611
        | Q(pk__in=_tagged_claim_ids(tags))
    )
    return (
        articles.filter(
            Q(pk__in=in_text.values("pk"))
            | Q(pk__in=claims.values("article_id"))
            | Q(pk__in=_tagged_article_ids(tags))
        )
        .annotate(rank=RawSQL(rank, params, output_field=FloatField()))  # noqa: S611
        .order_by("-rank", "-published_at", "-id")
    )


def _has_word(alias: str, keys: tuple[str, ...]) -> Q:
    """The search document `alias` holds one of the keys of a query word."""
    condition = Q()
    for key in keys:
        condition |= Q(**{f"{alias}__contains": f" {key} "})
    return condition


def _with_claim_documents(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    # the statement in both languages (claims/translation.py), so either language finds it
    return claims.alias(
        doc_statement_en=SearchDocument("statement_en"),
        doc_statement_fr=SearchDocument("statement_fr"),
        doc_quote=SearchDocument("quote"),
    )


def _claim_has_word(keys: tuple[str, ...]) -> Q:
    return (
        _has_word("doc_statement_en", keys)
        | _has_word("doc_statement_fr", keys)
        | _has_word("doc_quote", keys)
    )


def _sqlite_ready() -> None:
    # a connection opened before this module was imported has not seen the signal
    connection.ensure_connection()
    register_fold(sender=None, connection=connection)


def _sqlite_search(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """Every word of the query, stemmed and accent-blind as PostgreSQL's configurations do
    (core.text.search_document), in the title, the body, a public claim or a tag."""
    _sqlite_ready()
    words = search_query(query)
    if not words:
        return articles.none()
    condition = Q()
    for keys in words:
        labels = TagLabel.objects.alias(
            doc_en=SearchDocument("text_en"), doc_fr=SearchDocument("text_fr")
        ).filter(_has_word("doc_en", keys) | _has_word("doc_fr", keys))
        tags = Tag.objects.alias(doc=SearchDocument("name")).filter(
            _has_word("doc", keys) | Q(pk__in=labels.values("tag_id"))
        )
        claims = _with_claim_documents(Claim.objects.public()).filter(
            _claim_has_word(keys) | Q(pk__in=_tagged_claim_ids(tags))
        )
        condition &= (
            _has_word("doc_title", keys)
            | _has_word("doc_body", keys)
            | Q(pk__in=claims.values("article_id"))
            | Q(pk__in=_tagged_article_ids(tags))
        )
    return (
        articles.alias(doc_title=SearchDocument("title"), doc_body=SearchDocument("body"))
        .filter(condition)
        .order_by("-published_at", "-created_at", "-id")
    )


def _plain_search(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """Any other database: every word in the title, the body, a public claim or a tag."""
    condition = Q()
    for word in query.split():
        tags = Tag.objects.filter(name__icontains=word)
        claims = Claim.objects.public().filter(
            Q(statement_en__icontains=word)
            | Q(statement_fr__icontains=word)
            | Q(quote__icontains=word)
        )
        condition &= (
            Q(title__icontains=word)
            | Q(body__icontains=word)
            | Q(pk__in=claims.values("article_id"))
            | Q(pk__in=_tagged_article_ids(tags))
        )
    return articles.filter(condition).order_by("-published_at", "-created_at", "-id")


def claim_search(*, query: str, user: AnyUser) -> QuerySet[Claim]:
    """Claims whose quote or statement holds every word of the query, matched as the pages
    match articles: stemmed, accent-blind, ligatures and elisions aside (PostgreSQL's
    full-text configurations; on SQLite core.text's search documents)."""
    query = query.strip()
    claims = claim_list_with_links(user=user)
    if not query:
        return claims.none()
    if connection.vendor == "postgresql":
        params = [query] * len(SEARCH_CONFIGS)
        return claims.filter(
            RawSQL(_any_config_matches(_claim_document), params, output_field=BooleanField())  # noqa: S611
        ).order_by("-id")
    if connection.vendor == "sqlite":
        _sqlite_ready()
        words = search_query(query)
        if not words:
            return claims.none()
        condition = Q()
        for keys in words:
            condition &= _claim_has_word(keys)
        return _with_claim_documents(claims).filter(condition).order_by("-id")
    condition = Q()
    for word in query.split():
        condition &= (
            Q(quote__icontains=word)
            | Q(statement_en__icontains=word)
            | Q(statement_fr__icontains=word)
        )
    return claims.filter(condition).order_by("-id")


def tags_in_use() -> QuerySet[Tag]:
    """Tags attached to at least one article, claim or series."""
    tags: QuerySet[Tag] = Tag.objects.filter(pk__in=TaggedItem.objects.values("tag_id"))
    return tags

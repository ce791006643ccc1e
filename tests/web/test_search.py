from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from articles.selectors import article_search, search_match_sql
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _articles() -> None:
    ArticleFactory(
        title="Les centres de données",
        body="Les centres de données dévorent l’électricité ; le nucléaire revient.",
        language="fr",
    )
    ArticleFactory(
        title="Grids and data centres",
        body="Electricity grids are struggling to connect new data centres.",
        language="en",
    )
    ArticleFactory(title="Unrelated", body="A story about football.", language="en")
    ArticleFactory(title="Draft on grids", body="grids grids grids", status="draft")


def test_search_page_finds_published_articles_and_never_drafts(client):
    _articles()
    page = client.get(reverse("articles:search"), {"q": "grids"}).content.decode()
    assert "Grids and data centres" in page
    assert "Draft on grids" not in page
    assert "Unrelated" not in page


def test_empty_query_shows_the_form_without_results(client):
    _articles()
    response = client.get(reverse("articles:search"), {"q": "   "})
    assert response.status_code == 200
    assert 'class="article-list"' not in response.content.decode()


def test_search_with_sql_looking_input_is_just_text(client):
    _articles()
    response = client.get(reverse("articles:search"), {"q": "'; DROP TABLE articles_article; --"})
    assert response.status_code == 200
    assert client.get(reverse("articles:search"), {"q": "football"}).status_code == 200


def test_postgres_search_stems_french_and_english_words(require_postgres):
    _articles()
    user = None
    # French stemming: "électrique" matches "électricité"; English: "struggle", "struggling"
    assert [a.title for a in article_search(query="électrique", user=user)] == [
        "Les centres de données"
    ]
    assert [a.title for a in article_search(query="struggle", user=user)] == [
        "Grids and data centres"
    ]
    assert list(article_search(query="football -story", user=user)) == []


def test_postgres_search_uses_the_gin_indexes(require_postgres):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles_article' "
            "AND indexname LIKE 'article_search_%%'"
        )
        indexes = dict(cursor.fetchall())
    assert set(indexes) == {"article_search_french", "article_search_english"}
    assert all("USING gin" in definition for definition in indexes.values())
    _articles()
    sql = f"SELECT id FROM articles_article WHERE {search_match_sql()}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, ["grids", "grids"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "article_search_french" in plan and "article_search_english" in plan

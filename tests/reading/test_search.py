from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from claims.models import Claim
from core.text import fold
from reading.search import article_search, search_match_sql
from tests.factories import ArticleFactory, ClaimFactory

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
    page = client.get(reverse("reading:search"), {"q": "grids"}).content.decode()
    assert "Grids and data centres" in page
    assert "Draft on grids" not in page
    assert "Unrelated" not in page


def test_empty_query_shows_the_form_without_results(client):
    _articles()
    response = client.get(reverse("reading:search"), {"q": "   "})
    assert response.status_code == 200
    assert 'class="article-list"' not in response.content.decode()


def test_search_with_sql_looking_input_is_just_text(client):
    _articles()
    response = client.get(reverse("reading:search"), {"q": "'; DROP TABLE articles_article; --"})
    assert response.status_code == 200
    assert client.get(reverse("reading:search"), {"q": "football"}).status_code == 200


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


def test_postgres_search_ignores_accents_and_case(require_postgres):
    _articles()
    # "electricite", "ÉLECTRICITÉ" and "donnees" find the French article (assay_french)
    for query in ("electricite", "ÉLECTRICITÉ", "donnees"):
        assert [a.title for a in article_search(query=query, user=None)] == [
            "Les centres de données"
        ], query


def test_postgres_search_uses_the_gin_indexes(require_postgres):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles_article' "
            "AND indexname LIKE 'article_search_%%'"
        )
        indexes = dict(cursor.fetchall())
    assert set(indexes) == {
        "article_search_french",
        "article_search_english",
        "article_search_assay_french",
    }
    assert all("USING gin" in definition for definition in indexes.values())
    _articles()
    sql = f"SELECT id FROM articles_article WHERE {search_match_sql()}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, ["grids"] * 3)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "article_search_french" in plan and "article_search_english" in plan


def _seed_like_article():  # type: ignore[no-untyped-def]
    """Like the seed: a French text tagged "nuclear", its claims stated in English."""
    body = (
        "Sans le nucléaire, pas d’électricité pour les centres de données. "
        "Les réacteurs français ont produit 320 TWh en 2023."
    )
    article = ArticleFactory(title="Le prix de l’IA", body=body, language="fr")
    article.tags.add("nuclear")
    second = body.index("Les réacteurs")
    ClaimFactory(
        article=article,
        start=second,
        end=len(body),
        statement="French reactors generated 320 TWh in 2023.",
    )
    ClaimFactory(
        article=article,
        status=Claim.Status.SUGGESTED,
        statement="Hidden suggestion about windmills.",
    )
    return article


def _titles(query: str) -> list[str]:
    return [a.title for a in article_search(query=query, user=None)]


def test_search_finds_an_article_by_its_tag(client):
    _seed_like_article()
    page = client.get(reverse("reading:search"), {"q": "nuclear"}).content.decode()
    assert "Le prix de l’IA" in page
    assert _titles("Nuclear") == ["Le prix de l’IA"]


def test_search_finds_an_article_by_a_public_claim_statement_or_quote():
    _seed_like_article()
    assert _titles("generated") == ["Le prix de l’IA"]
    # a suggested claim is not public: its words find nothing
    assert _titles("windmills") == []


def test_search_by_tag_or_claim_never_finds_a_draft():
    draft = ArticleFactory(title="Draft", body="Texte.", status="draft")
    draft.tags.add("nuclear")
    ClaimFactory(article=draft, statement="Reactors everywhere.")
    assert _titles("nuclear") == []
    assert _titles("reactors") == []


@pytest.mark.parametrize("query", ["NUCLÉAIRE", "nucleaire", "Nucléaire", "Électricité"])
def test_sqlite_search_ignores_case_and_accents(query):
    if connection.vendor != "sqlite":
        pytest.skip("the accent-insensitive fallback is SQLite's")
    _seed_like_article()
    ArticleFactory(title="Autre", body="Rien à voir.", language="fr")
    assert _titles(query) == ["Le prix de l’IA"]


def test_sqlite_search_folds_claims_and_tags_too():
    if connection.vendor != "sqlite":
        pytest.skip("the accent-insensitive fallback is SQLite's")
    article = ArticleFactory(title="Énergie", body="Un texte.", language="fr")
    article.tags.add("Électricité")
    ClaimFactory(article=article, statement="Les RÉSEAUX saturent.", end=len("Un texte."))
    assert _titles("electricite") == ["Énergie"]
    assert _titles("réseaux") == ["Énergie"]
    assert _titles("Reseaux electricite") == ["Énergie"]


def test_fold_casefolds_and_strips_accents():
    assert fold("Électricité NUCLÉAIRE") == "electricite nucleaire"
    assert fold("Straße") == "strasse"
    assert fold(None) is None


@pytest.mark.parametrize("count", [3, 30])
def test_search_page_queries_do_not_grow_with_results(client, count, django_assert_max_num_queries):
    for i in range(count):
        article = ArticleFactory(title=f"Nuclear {i}", body="Texte sur le nucléaire.")
        article.tags.add("nuclear", f"tag{i}")
        ClaimFactory(article=article, statement="Nuclear output grew.")
    # the content version (the page cache misses: a first request), the count, the page, its
    # tags and their labels
    with django_assert_max_num_queries(5):
        response = client.get(reverse("reading:search"), {"q": "nuclear"})
    assert response.status_code == 200
    assert response.content.decode().count('<li class="article-item">') == min(count, 20)


def test_postgres_search_matches_tags_and_claims_and_keeps_the_gin_path(require_postgres):
    _seed_like_article()
    assert _titles("nuclear") == ["Le prix de l’IA"]
    assert _titles("reactor") == ["Le prix de l’IA"]  # English stemming of the statement
    sql, params = article_search(query="nuclear", user=None).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "article_search_french" in plan and "article_search_english" in plan


def _one_search_corpus():  # type: ignore[no-untyped-def]
    body = (
        "Le cœur du problème : l’énergie nucléaire et l'électricité des centres de données. "
        "Grids are struggling to connect them."
    )
    article = ArticleFactory(title="Au cœur du réseau", body=body, language="fr")
    ClaimFactory(article=article, start=0, end=body.index(":"), statement="Le nucléaire revient.")
    ClaimFactory(
        article=article,
        start=body.index("l’énergie"),
        end=body.index("."),
        statement="Les centrales nucléaires tournent.",
    )
    return article


SAME_ARTICLE = [
    "énergie",
    "energie",
    "l’énergie",
    "l'energie",
    "ÉNERGIE",
    "coeur",
    "cœur",
    "électrique",
    "electricite",
    "struggle",
    "données",
    "donnees",
]


@pytest.mark.parametrize("query", SAME_ARTICLE)
def test_pages_search_the_same_way_on_every_database(client, query):
    """Finding of an outside audit: on SQLite the pages missed stemming, `œ`/`oe` and elision
    (`l'énergie` vs `énergie`); PostgreSQL matched them. One behaviour on both."""
    _one_search_corpus()
    assert _titles(query) == ["Au cœur du réseau"], query
    page = client.get(reverse("reading:search"), {"q": query}).content.decode()
    assert "Au cœur du réseau" in page


@pytest.mark.parametrize("query", ["nucléaire", "nucleaire", "NUCLÉAIRE", "nucléaires"])
def test_the_api_finds_claims_accent_blind_like_the_pages(api, query):
    """Finding of an outside audit: the API's claim results were accent-sensitive on both
    databases (`nucléaire` found 2 claims, `nucleaire` 0) while the pages were accent-blind."""
    _one_search_corpus()
    found = api.get("/api/v1/search/", {"q": query}).json()
    assert len(found["claims"]) == 2, (query, found["claims"])
    assert [a["title"] for a in found["articles"]] == ["Au cœur du réseau"]


def test_search_still_needs_every_word():
    _one_search_corpus()
    assert _titles("énergie football") == []

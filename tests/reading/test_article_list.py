from __future__ import annotations

import pytest
from django.core.cache import cache

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_list_offers_the_tags_of_visible_articles_with_their_counts(client):
    ArticleFactory(title="One").tags.add("energy", "nuclear")
    ArticleFactory(title="Two").tags.add("energy")
    ArticleFactory(title="Draft", status=Article.Status.DRAFT).tags.add("secret-topic")

    page = client.get("/").content.decode()

    assert '<option value="energy">energy (2)</option>' in page
    assert '<option value="nuclear">nuclear (1)</option>' in page
    assert "secret-topic" not in page  # a draft's tags are not shown to readers


def test_tag_filter_keeps_its_selection_and_filters(client):
    ArticleFactory(title="Atoms").tags.add("nuclear")
    ArticleFactory(title="Wind farms").tags.add("renewables")

    page = client.get("/", {"tag": "nuclear"}).content.decode()

    assert '<option value="nuclear" selected>' in page
    assert "Atoms" in page and "Wind farms" not in page


def test_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for n in range(3):
        ArticleFactory().tags.add(f"tag-{n}")
    client.get("/")
    # what rendering costs: the anonymous page cache is emptied before each measured request
    cache.clear()
    with django_assert_max_num_queries(10) as few:
        client.get("/")
    for n in range(20):
        ArticleFactory().tags.add(f"more-{n}", "shared")
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from editorial.services.articles import article_import_post
from tests.factories import ArticleFactory, CommentFactory

SEED = Path(__file__).resolve().parents[2] / "devtools" / "data" / "demo" / "gate-post-fr.txt"
HANDLES = ["BlockchainBard", "FlippedSignal", "ProofOfNothing", "NFT_Therapy_Group"]

pytestmark = pytest.mark.django_db


def test_editor_sees_the_imported_comments_on_the_article_page_in_admin(client, editor):
    article = article_import_post(raw=SEED.read_bytes()).article
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")

    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert all(handle in text for handle in HANDLES)
    assert "All 8 comments of this article" in text

    listing = client.get(
        reverse("admin:discussions_comment_changelist"), {"article__id__exact": article.pk}
    )
    assert listing.status_code == 200
    assert "8 comments" in listing.content.decode()


def test_article_changelist_counts_comments_without_a_query_per_row(
    client, editor, django_assert_max_num_queries
):
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    for _ in range(3):
        article = ArticleFactory()
        CommentFactory.create_batch(2, article=article)
    url = reverse("admin:articles_article_changelist")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(20):
        CommentFactory(article=ArticleFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert "article__id__exact=" in page.content.decode()

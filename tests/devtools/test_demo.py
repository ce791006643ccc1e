from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Max

from articles.models import Article
from claims.models import Claim
from discussions.models import Comment

OUR_APPS = ("articles", "claims", "discussions", "integrations")


def snapshot() -> dict[str, tuple[int, int | None]]:
    return {
        m._meta.label: (m._base_manager.count(), m._base_manager.aggregate(x=Max("pk"))["x"])
        for m in apps.get_models()
        if m._meta.app_label in OUR_APPS
    }


@pytest.mark.django_db
def test_demo_loads_the_seed_article_with_claims_and_comments():
    out = StringIO()
    call_command("demo", stdout=out)

    article = Article.objects.get(body__contains="Les enjeux")
    assert article.status == Article.Status.PUBLISHED
    claims = list(Claim.objects.filter(article=article))
    assert len(claims) >= 6
    assert all(article.body[c.start : c.end] == c.quote for c in claims)
    tags = {t for c in claims for t in c.tags.names()}
    assert {"energy", "geopolitics", "decentralised compute"} <= tags
    assert (
        Claim.objects.filter(article=article, status="published").exclude(verdict="").count() >= 3
    )
    assert sum(c.evidence.count() for c in claims) >= 3
    handles = set(
        Comment.objects.filter(article=article)
        .exclude(external_author="")
        .values_list("external_author", flat=True)
    )
    assert len(handles) == 8
    text = out.getvalue()
    assert "editor" in text and "password" in text and "http://127.0.0.1:8000/" in text


@pytest.mark.django_db
def test_demo_twice_changes_nothing():
    call_command("demo", stdout=StringIO())
    before = snapshot()
    out = StringIO()
    call_command("demo", stdout=out)
    assert snapshot() == before
    assert "password unchanged" in out.getvalue()

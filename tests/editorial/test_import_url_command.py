"""`import_url` of a page imported before says so instead of reporting a new import."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from pytest_httpserver import HTTPServer

from articles.models import Article, ArticleImport
from claims.models import Claim
from tests.editorial.test_url_import import PAGE

pytestmark = pytest.mark.django_db


def test_importing_the_same_url_twice_says_it_was_already_imported(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/texas").respond_with_data(PAGE, content_type="text/html")
    url = httpserver.url_for("/texas")
    call_command("import_url", url, stdout=StringIO())
    article = Article.objects.get()
    claims = Claim.objects.count()
    out = StringIO()

    call_command("import_url", url, stdout=out)  # returns normally: exit status 0

    assert f"Already imported as article '{article.slug}'" in out.getvalue()
    assert "Imported" not in out.getvalue() and "suggested" not in out.getvalue()
    assert Article.objects.count() == 1
    assert Claim.objects.count() == claims
    assert ArticleImport.objects.filter(article=article).count() == 2


def test_a_new_url_still_reports_the_import_and_its_suggestions(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/texas").respond_with_data(PAGE, content_type="text/html")
    out = StringIO()

    call_command("import_url", httpserver.url_for("/texas"), stdout=out)

    assert "Imported 'Texas bitcoin miners are paid to switch off'" in out.getvalue()
    assert "claim(s) suggested" in out.getvalue()

"""Import from a URL: a local server serves a page; the job makes a draft article with claims."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pytest_httpserver import HTTPServer

from articles.models import Article, ArticleImport
from claims.models import Claim
from core.models import OutboxJob
from core.tasks import TemporaryJobError, outbox_flush
from editorial.services.url_imports import ImportTemporarilyFailed, article_import_request
from editorial.tasks import import_article_from_url

pytestmark = pytest.mark.django_db

PAGE = """<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Texas miners and the grid | Power Ledger Weekly</title>
<meta name="author" content="Maria Lopez">
<meta property="og:site_name" content="Power Ledger Weekly">
<meta property="og:title" content="Texas bitcoin miners are paid to switch off">
<meta property="article:published_time" content="2024-06-03T08:00:00Z">
</head><body>
<header><nav><a href="/">Home</a> <a href="/about">About</a>
<a href="/subscribe">Subscribe</a></nav></header>
<main><article>
<h1>Texas bitcoin miners are paid to switch off</h1>
<p>During the August 2023 heatwave, bitcoin mining farms in Texas cut about 1,500 MW of
demand when the grid operator ERCOT asked for help.</p>
<p>Riot Platforms received 31.7 million dollars in power credits that month, more than it
earned from mining.</p>
<p>Critics say the arrangement rewards an industry that adds load the state did not need.</p>
<p>What do you think?</p>
</article></main>
<footer>© 2024 Power Ledger Weekly. All rights reserved. Cookie settings.</footer>
</body></html>"""


def _import(url: str, django_capture_on_commit_callbacks, **kwargs) -> ArticleImport:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        request = article_import_request(url=url, **kwargs)
    request.refresh_from_db()
    return request


def test_a_page_becomes_a_draft_article_with_suggested_claims(
    httpserver: HTTPServer,
    editor,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    httpserver.expect_request("/texas").respond_with_data(
        PAGE, content_type="text/html; charset=utf-8"
    )

    request = _import(httpserver.url_for("/texas"), django_capture_on_commit_callbacks, by=editor)

    assert request.status == ArticleImport.Status.DONE and request.error == ""
    article = request.article
    assert article.status == Article.Status.DRAFT
    assert article.title == "Texas bitcoin miners are paid to switch off"
    assert article.original_author == "Maria Lopez"
    assert article.source_name == "Power Ledger Weekly"
    assert article.source_url == httpserver.url_for("/texas")
    assert article.published_at == dt.datetime(2024, 6, 3, 12, 0, tzinfo=dt.UTC)
    assert article.language == "en" and article.created_by == editor
    assert "1,500 MW" in article.body and "31.7 million dollars" in article.body
    assert "Subscribe" not in article.body and "All rights reserved" not in article.body
    quotes = [c.quote for c in Claim.objects.filter(article=article, status="suggested")]
    assert any("1,500 MW" in q for q in quotes) and any("31.7 million" in q for q in quotes)
    assert not any("What do you think" in q for q in quotes)


def test_importing_the_same_page_twice_makes_one_article(
    httpserver: HTTPServer,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    httpserver.expect_request("/texas").respond_with_data(PAGE, content_type="text/html")

    first = _import(httpserver.url_for("/texas"), django_capture_on_commit_callbacks)
    second = _import(httpserver.url_for("/texas"), django_capture_on_commit_callbacks)

    assert first.article_id == second.article_id
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "content_type", "body", "error"),
    [
        (404, "text/html", "<p>not found</p>", "HTTP 404"),
        (200, "image/png", "\x89PNG", "No article text"),
    ],
)
def test_a_page_that_cannot_be_imported_fails_with_a_reason(
    httpserver: HTTPServer,
    django_capture_on_commit_callbacks,
    status,
    content_type,
    body,
    error,  # type: ignore[no-untyped-def]
) -> None:
    httpserver.expect_request("/x").respond_with_data(
        body, status=status, content_type=content_type
    )

    request = _import(httpserver.url_for("/x"), django_capture_on_commit_callbacks)

    assert request.status == ArticleImport.Status.FAILED and error in request.error
    assert request.finished_at is not None
    assert not Article.objects.exists()


def test_a_server_error_is_recorded_and_raised_for_the_worker_to_retry(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/busy").respond_with_data("busy", status=503)
    request = ArticleImport.objects.create(url=httpserver.url_for("/busy"))

    with pytest.raises(ImportTemporarilyFailed):
        import_article_from_url(request.pk)  # as a worker runs it: autoretry_for catches this

    request.refresh_from_db()
    # back in the queue for the retry, the reason kept for whoever looks
    assert request.status == ArticleImport.Status.QUEUED
    assert request.error.startswith("Will try again") and "503" in request.error
    assert issubclass(ImportTemporarilyFailed, TemporaryJobError)
    assert import_article_from_url.autoretry_for == (TemporaryJobError,)


def test_without_a_broker_a_server_error_waits_in_the_outbox_then_fails_with_its_reason(
    httpserver: HTTPServer,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    httpserver.expect_request("/busy").respond_with_data("busy", status=503)

    request = _import(httpserver.url_for("/busy"), django_capture_on_commit_callbacks)

    assert request.status == ArticleImport.Status.QUEUED and "503" in request.error
    assert len(httpserver.log) == 1  # the editor's request is not held by retries
    assert OutboxJob.objects.get().task_name == "articles.tasks.import_article_from_url"
    for _ in range(import_article_from_url.max_retries):
        OutboxJob.objects.update(next_attempt_at=timezone.now())
        outbox_flush()
    request.refresh_from_db()
    # the last try ends it: failed with the reason, not queued nor running forever
    assert request.status == ArticleImport.Status.FAILED and "503" in request.error
    assert len(httpserver.log) == 1 + import_article_from_url.max_retries
    assert not OutboxJob.objects.exists()


def test_an_internal_address_is_refused(settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    settings.OUTBOUND_ALLOW_LOOPBACK = False

    request = _import("http://10.0.0.8/article", django_capture_on_commit_callbacks)

    assert request.status == ArticleImport.Status.FAILED and request.error.startswith("Refused")


@pytest.mark.parametrize("url", ["ftp://example.org/a", "not a url", "javascript:alert(1)"])
def test_a_bad_url_is_refused_before_anything_is_stored(url: str) -> None:
    with pytest.raises(ValidationError):
        article_import_request(url=url)
    assert not ArticleImport.objects.exists()


def test_import_url_command(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/texas").respond_with_data(PAGE, content_type="text/html")
    out = StringIO()

    call_command("import_url", httpserver.url_for("/texas"), stdout=out)

    assert (
        "Imported 'Texas bitcoin miners are paid to switch off' as draft article" in out.getvalue()
    )
    assert Article.objects.get().claims.count() >= 2


def test_import_url_command_reports_failures(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_data("gone", status=410)

    with pytest.raises(CommandError, match="HTTP 410"):
        call_command("import_url", httpserver.url_for("/gone"))
    with pytest.raises(CommandError, match="http and https"):
        call_command("import_url", "ftp://example.org/file")


def test_admin_import_form_queues_the_job(
    httpserver: HTTPServer,
    editor,
    login,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    httpserver.expect_request("/texas").respond_with_data(PAGE, content_type="text/html")
    client = login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_articleimport_add"),
            {"url": httpserver.url_for("/texas"), "language": ""},
        )

    assert response.status_code == 302
    request = ArticleImport.objects.get()
    assert request.requested_by == editor and request.status == ArticleImport.Status.DONE
    assert request.article.title == "Texas bitcoin miners are paid to switch off"

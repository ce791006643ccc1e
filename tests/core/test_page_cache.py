"""Anonymous pages come from the cache, and a write of any kind is seen by the next request.

The freshness tests commit (transactional), so on PostgreSQL they run the triggers as they run
in production: deferred to the commit, once per transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.urls import reverse

from claims.models import Claim
from claims.services.claims import claim_set_verdict
from claims.services.evidence import evidence_add
from core.models import ContentVersion
from core.page_cache import content_version
from discussions.models import Comment
from discussions.moderation import comments_moderate
from discussions.services import comment_create
from energy.ingest import observations_upsert
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    CommentFactory,
    ObservationFactory,
    SeriesFactory,
)


def _claim_page(claim: Claim) -> str:
    return reverse("reading:claim", kwargs={"pk": claim.pk})


def _article_page(claim: Claim) -> str:
    return reverse("reading:article", kwargs={"slug": claim.article.slug})


@pytest.fixture
def claim(db):  # type: ignore[no-untyped-def]
    article = ArticleFactory(body="France produced 65 percent of its power from nuclear. Rest.")
    return ClaimFactory(article=article, start=0, end=53, tags=["nuclear"])


@pytest.mark.django_db
def test_the_second_anonymous_read_is_one_query_and_the_same_bytes(
    client, claim, django_assert_num_queries
) -> None:
    url = _article_page(claim)
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(1):  # the content version; the page comes from the cache
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "public" in second["Cache-Control"] and "no-cache" in second["Cache-Control"]
    assert "Cookie" in second["Vary"] and "Accept-Language" in second["Vary"]


@pytest.mark.django_db
def test_an_anonymous_page_holds_nothing_of_one_visitor(client, claim) -> None:
    for url in (_article_page(claim), _claim_page(claim), reverse("reading:home")):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, url  # no session, no CSRF cookie
        assert b"csrfmiddlewaretoken" not in response.content, url


@pytest.mark.django_db
def test_a_signed_in_page_is_never_kept(client, claim, alice, login) -> None:
    login(alice)
    response = client.get(_article_page(claim))
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "ETag" not in response
    assert b"csrfmiddlewaretoken" in response.content  # the comment form, for this reader only


@pytest.mark.django_db
def test_a_reader_with_a_pending_message_gets_a_page_of_their_own(client, claim) -> None:
    client.cookies["messages"] = "anything"
    response = client.get(_article_page(claim))
    assert "X-Page-Cache" not in response
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_unchanged_page_answers_304_and_a_changed_one_200(client, claim) -> None:
    url = _claim_page(claim)
    etag = client.get(url)["ETag"]
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    CommentFactory(article=claim.article, claim=claim, body="A new point")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "A new point" in changed.content.decode()


@pytest.mark.django_db
def test_each_language_and_each_query_string_is_its_own_page(client, claim) -> None:
    url = reverse("reading:search")
    english = client.get(url + "?q=nuclear", HTTP_ACCEPT_LANGUAGE="en")
    french = client.get(url + "?q=nuclear", HTTP_ACCEPT_LANGUAGE="fr")
    other = client.get(url + "?q=solar", HTTP_ACCEPT_LANGUAGE="en")
    assert english["ETag"] != french["ETag"] != other["ETag"]
    assert french["X-Page-Cache"] == "miss"
    assert 'lang="fr"' in french.content.decode()
    assert 'lang="en"' in english.content.decode()


@pytest.mark.django_db
def test_a_missing_page_is_not_kept(client) -> None:
    assert client.get("/articles/nothing-here/").status_code == 404
    assert "X-Page-Cache" not in client.get("/articles/nothing-here/")


def _hide(comment: Comment, moderator) -> None:  # type: ignore[no-untyped-def]
    comments_moderate(comments=[comment], action="hide", moderator=moderator, reason="spam")


def _refresh(series_id: int) -> None:
    with transaction.atomic():
        observations_upsert(series_id=series_id, points=[(dt.date(2024, 1, 1), 123456.0)])


def _writes(claim: Claim, editor, moderator) -> dict[str, tuple[Callable[[], None], str, bool]]:  # type: ignore[no-untyped-def]
    """Each kind of write, the text it shows or hides, and whether it should then be seen."""
    visible = CommentFactory(article=claim.article, body="Soon to be hidden")
    series = SeriesFactory(title="Nuclear share of French electricity")
    ObservationFactory(series=series, period=dt.date(2020, 1, 1), value=1.0)
    from claims.models import ClaimSeries

    ClaimSeries.objects.create(claim=claim, series=series, status=ClaimSeries.Status.CONFIRMED)
    return {
        "comment": (
            lambda: comment_create(article=claim.article, body="Fresh remark", author=editor),
            "Fresh remark",
            True,
        ),
        "verdict": (
            lambda: claim_set_verdict(
                claim=claim,
                verdict="accurate",
                summary="Holds for 2019 to 2023",
                by=editor,
                reason="data",
            ),
            "Holds for 2019 to 2023",
            True,
        ),
        "evidence": (
            lambda: evidence_add(
                claim=claim,
                url="https://example.org/rte-bilan",
                stance="supports",
                title="RTE annual review",
                by=editor,
            ),
            "RTE annual review",
            True,
        ),
        "moderation": (lambda: _hide(visible, moderator), "Soon to be hidden", False),
        "series refresh": (
            lambda: _refresh(series.pk),
            "123456",
            True,
        ),
        "raw update": (
            lambda: Claim.objects.filter(pk=claim.pk).update(statement="Rewritten by a script"),
            "Rewritten by a script",
            True,
        ),
    }


WRITES = ["comment", "verdict", "evidence", "moderation", "series refresh", "raw update"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", WRITES)
def test_the_next_anonymous_read_after_a_write_sees_it(
    client, claim, editor, moderator, kind
) -> None:
    write, text, shown = _writes(claim, editor, moderator)[kind]
    pages = {
        "comment": [_article_page(claim)],
        "moderation": [_article_page(claim)],
        "raw update": [_article_page(claim), _claim_page(claim)],
    }.get(kind, [_claim_page(claim)])
    for url in pages:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    before = content_version()[0]
    write()
    assert content_version()[0] > before
    for url in pages:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert (text in response.content.decode()) is shown, (kind, url)


@pytest.mark.django_db(transaction=True)
def test_an_admin_edit_is_seen_by_the_next_anonymous_read(client, claim, admin_user) -> None:
    url = _claim_page(claim)
    comment = CommentFactory(article=claim.article, claim=claim, body="Reported remark")
    assert "Reported remark" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    admin = client.__class__()
    admin.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    response = admin.post(
        reverse("admin:discussions_comment_changelist"),
        {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert "Reported remark" not in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_transaction_moves_the_version_once_on_postgresql(claim, alice) -> None:
    before = content_version()[0]
    with transaction.atomic():
        for n in range(5):
            CommentFactory(article=claim.article, author=alice, body=f"Bulk {n}")
    moved = content_version()[0] - before
    if connection.vendor == "postgresql":
        assert moved == 1  # deferred to the commit, once
    else:
        assert moved >= 1  # SQLite: once per row (one writer at a time, nothing waits)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_the_version(claim) -> None:
    before = content_version()[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        CommentFactory(article=claim.article, body="Never committed")
        raise RuntimeError
    assert content_version()[0] == before


@pytest.mark.django_db
def test_with_the_cache_down_pages_are_rendered_every_time_and_stay_fresh(
    client, settings, closed_port, claim
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        }
    }
    url = _claim_page(claim)
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "miss"
    CommentFactory(article=claim.article, claim=claim, body="Posted while Redis is down")
    assert "Posted while Redis is down" in client.get(url).content.decode()


@pytest.mark.django_db
def test_every_table_readers_see_carries_the_trigger() -> None:
    from core.content_triggers import content_tables, triggered_tables

    tables = content_tables()
    for table in ("articles_article", "claims_claim", "discussions_comment", "core_taglabel"):
        assert table in tables
    assert set(tables) <= triggered_tables(connection)


@pytest.mark.django_db(transaction=True)
def test_migrate_puts_back_the_triggers_of_a_rebuilt_table() -> None:
    """SQLite alters a table by rebuilding it, and the old table's triggers go with it: every
    migrate puts them back."""
    from django.core.management import call_command

    from core.content_triggers import drop, triggered_tables

    with connection.schema_editor() as editor:
        drop(editor, ["claims_evidence"])
    assert "claims_evidence" not in triggered_tables(connection)
    call_command("migrate", verbosity=0)
    assert "claims_evidence" in triggered_tables(connection)


@pytest.mark.django_db
def test_a_hit_answered_early_keeps_the_headers_of_the_rendered_page(client, claim) -> None:
    """Hits are answered before sessions, CSRF, CSP and the rest of the stack run: they carry
    what those gave the page when it was stored, and set no cookie."""
    url = _claim_page(claim)
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    second = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language"):
        assert second[header] == first[header], header
    assert second["Content-Language"] == "fr"
    assert not second.cookies
    assert second["X-Request-ID"] != first["X-Request-ID"]


@pytest.mark.django_db
def test_only_page_views_are_looked_up(client, claim) -> None:
    """The API, health checks and unknown paths never read the content version."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in ("/healthz", "/api/v1/claims/", "/no-such-page/"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert "X-Page-Cache" not in response, url
        assert not [q for q in queries if "core_contentversion" in q["sql"]], url


@pytest.mark.django_db
def test_a_proxy_weakened_etag_still_revalidates(client, claim) -> None:
    url = _claim_page(claim)
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304


@pytest.mark.django_db
def test_a_host_not_allowed_is_refused_even_when_the_page_is_cached(client, claim) -> None:
    url = _claim_page(claim)
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get(url, HTTP_HOST="evil.example").status_code == 400


@pytest.mark.django_db
def test_unknown_query_parameters_are_rendered_but_never_stored(client, claim) -> None:
    url = _claim_page(claim)
    for n in range(3):
        response = client.get(f"{url}?utm_source=mail{n}")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
    client.get(f"{url}?sort=newest")
    assert client.get(f"{url}?sort=newest")["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_the_database_down_answers_503_before_any_page_is_read(client, claim, monkeypatch) -> None:
    from django.db import OperationalError

    import core.page_cache

    def down() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(core.page_cache, "content_version", down)
    response = client.get(_claim_page(claim))
    assert response.status_code == 503
    assert response["Retry-After"]


@pytest.mark.django_db
def test_a_search_that_cannot_run_is_not_kept(client, claim, monkeypatch) -> None:
    from claims.similarity.embedder import EmbedderUnavailable
    from reading import views

    def unavailable(**kwargs: object) -> None:
        raise EmbedderUnavailable("no encoder here")

    monkeypatch.setattr(views, "similar_to_text", unavailable)
    url = reverse("reading:check") + "?q=nuclear"
    for _ in range(2):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"]
        assert "X-Page-Cache" not in response


def test_the_release_fingerprint_follows_the_templates(settings, tmp_path) -> None:
    from core.page_cache import release

    template_dir = tmp_path / "templates"
    template_dir.mkdir()
    (template_dir / "page.html").write_text("one")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir]}]
    release.cache_clear()
    first = release()
    (template_dir / "page.html").write_text("two")
    release.cache_clear()
    try:
        assert release() != first
    finally:
        release.cache_clear()


@pytest.mark.django_db
def test_a_database_at_the_same_version_never_gets_another_databases_pages(client, claim) -> None:
    """Two databases sharing one cache (a new database, a restored backup, the next test run)
    count versions from where each stands: reaching the same number, they must not serve each
    other's pages. The version's moment is part of the key."""
    url = _article_page(claim)
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    row = ContentVersion.objects.get()
    # the same version number, reached at another moment: as another database would
    ContentVersion.objects.filter(pk=row.pk).update(
        version=row.version, changed_at=row.changed_at - dt.timedelta(seconds=1)
    )

    other = client.get(url)

    assert other["X-Page-Cache"] == "miss"
    assert other["ETag"] != first["ETag"]

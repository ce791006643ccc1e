"""Contract tests for articles (the admin's forms and the API), URL imports, series refresh
requests, API tokens and webhook subscriptions: each door has the same effects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleImport
from claims.models import Claim
from energy.models import SeriesRefreshJob
from integrations.models import ApiToken, WebhookSubscription
from tests.contracts.conftest import Effects, admin_form, admin_post
from tests.factories import ArticleFactory, ClaimFactory, SeriesFactory

pytestmark = pytest.mark.django_db

TEXT = "France produced about 65 % of its electricity from nuclear power in 2023."


def _same(results: dict[str, Any]) -> None:
    (first_door, first), *others = results.items()
    for door, result in others:
        assert result == first, f"{door} differs from {first_door}"


def test_creating_an_article_from_text_is_the_same_through_admin_and_api(
    observe: Callable[..., Effects], editor: Any, editor_admin: Any, editor_api: Any
) -> None:
    def admin_add(title: str) -> None:
        url = reverse("admin:articles_article_add")
        data = admin_form(editor_admin, url)
        data.update(
            title=title, slug="", body=TEXT, language="en", status="draft", tags="energy, nuclear"
        )
        data["slug"] = title.lower().replace(" ", "-")
        assert editor_admin.post(url, data).status_code == 302

    def api(title: str) -> None:
        response = editor_api.post(
            "/api/v1/articles/",
            {
                "source": "text",
                "title": title,
                "body": TEXT,
                "language": "en",
                "status": "draft",
                "tags": ["energy", "nuclear"],
            },
            format="json",
        )
        assert response.status_code == 201, response.content

    results = {}
    for door, act in {"admin": admin_add, "api": api}.items():
        title = f"Nuclear share {door}"
        effects = observe(lambda act=act, title=title: act(title))
        article = Article.objects.get(title=title)
        results[door] = (
            article.body,
            article.language,
            article.status,
            sorted(article.tags.names()),
            article.created_by_id,
            effects.jobs,
        )
    _same(results)
    assert results["api"][4] == editor.pk


def test_editing_an_article_text_reanchors_its_claims_through_admin_and_api(
    observe: Callable[..., Effects], editor_admin: Any, editor_api: Any
) -> None:
    new_body = "An introduction. " + TEXT
    doors = {
        "admin": lambda a: admin_post(
            editor_admin,
            reverse("admin:articles_article_change", args=[a.pk]),
            body=new_body,
            title="Renamed",
        ),
        "api": lambda a: editor_api.patch(
            f"/api/v1/articles/{a.pk}/", {"body": new_body, "title": "Renamed"}, format="json"
        ),
    }
    results = {}
    for door, act in doors.items():
        article = ArticleFactory(body=TEXT, status="published")
        claim = ClaimFactory(article=article, quote=TEXT, start=0, end=len(TEXT), status="accepted")
        effects = observe(lambda act=act, a=article: act(a))
        article.refresh_from_db()
        claim.refresh_from_db()
        results[door] = (
            article.title,
            article.body,
            (claim.start, claim.anchor_status),
            [kind for kind, _ in effects.history],
        )
    _same(results)
    assert results["api"][2] == (len("An introduction. "), Claim.Anchor.MOVED)


def test_a_url_import_is_queued_the_same_way_through_admin_and_api(
    observe: Callable[..., Effects], editor: Any, editor_admin: Any, editor_api: Any
) -> None:
    page = "https://www.example.org/energy/ai-and-nuclear"

    def admin_add() -> None:
        url = reverse("admin:articles_articleimport_add")
        data = admin_form(editor_admin, url)
        data.update(url=page, language="en")
        assert editor_admin.post(url, data).status_code == 302

    def api() -> None:
        response = editor_api.post(
            "/api/v1/articles/", {"source": "url", "url": page, "language": "en"}, format="json"
        )
        assert response.status_code == 202, response.content
        assert response["Location"].endswith(f"/api/v1/article-imports/{response.json()['id']}/")

    results = {}
    for door, act in {"admin": admin_add, "api": api}.items():
        effects = observe(act)
        job = ArticleImport.objects.order_by("-pk").first()
        assert job is not None
        results[door] = (job.url, job.language, job.status, job.requested_by_id, effects.jobs)
    _same(results)
    assert results["api"][4] == ("articles.tasks.import_article_from_url",)


def test_a_series_refresh_asked_for_is_a_job_through_admin_and_api(
    observe: Callable[..., Effects], editor: Any, editor_admin: Any, session: Any
) -> None:
    """Finding: "refresh a series" had two services with two retry policies."""
    doors = {
        "admin": lambda s: editor_admin.post(
            reverse("admin:energy_series_changelist"),
            {"action": "refresh_now", "_selected_action": [s.pk]},
        ),
        "api": lambda s: session(editor).post(f"/api/v1/series/{s.pk}/refresh/"),
    }
    results = {}
    for door, act in doors.items():
        series = SeriesFactory(source="csv", dataset=f"https://example.org/{door}.csv")
        effects = observe(lambda act=act, s=series: act(s))
        job = SeriesRefreshJob.objects.get(series=series)
        results[door] = (job.status, job.requested_by_id, effects.jobs)
    _same(results)
    assert results["api"] == ("queued", editor.pk, ("energy.refresh_series",))


def test_tokens_are_issued_changed_and_revoked_the_same_way_through_admin_and_api(
    settings: Any, editor: Any, session: Any, admin_client: Any
) -> None:
    expires = (timezone.now() + dt.timedelta(days=30)).replace(microsecond=0)
    api = session(editor)
    response = api.post(
        "/api/v1/tokens/",
        {"name": "nightly", "scopes": ["read", "write:claims"], "expires_at": expires.isoformat()},
        format="json",
    )
    assert response.status_code == 201
    url = reverse("admin:integrations_apitoken_add")
    data = admin_form(admin_client, url)
    data.update(
        user=editor.pk,
        name="nightly",
        scopes=["read", "write:claims"],
        expires_at_0=expires.date().isoformat(),
        expires_at_1=expires.time().isoformat(),
    )
    assert admin_client.post(url, data).status_code == 302
    from_api, from_admin = ApiToken.objects.filter(name="nightly").order_by("pk")
    assert (from_api.user, from_api.scopes) == (from_admin.user, from_admin.scopes)
    # the admin's widgets read the time in the site's zone: compare the day it expires
    assert from_api.expires_at and from_admin.expires_at
    assert abs(from_api.expires_at - from_admin.expires_at) < dt.timedelta(days=1)
    api.delete(f"/api/v1/tokens/{from_api.pk}/")
    admin_client.post(
        reverse("admin:integrations_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [from_admin.pk]},
    )
    from_api.refresh_from_db()
    from_admin.refresh_from_db()
    assert from_api.revoked_at is not None and from_admin.revoked_at is not None


def test_webhook_subscriptions_are_the_same_through_admin_and_api(
    settings: Any, closed_port: int, editor: Any, session: Any, admin_client: Any
) -> None:
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    target = f"http://127.0.0.1:{closed_port}/hook"
    editor.user_permissions.add(
        *__import__(
            "django.contrib.auth.models", fromlist=["Permission"]
        ).Permission.objects.filter(
            codename__in=["add_webhooksubscription", "change_webhooksubscription"]
        )
    )
    response = session(editor).post(
        "/api/v1/webhooks/", {"target_url": target, "events": ["claim.published"]}, format="json"
    )
    assert response.status_code == 201, response.content
    url = reverse("admin:integrations_webhooksubscription_add")
    data = admin_form(admin_client, url)
    data.update(owner=editor.pk, target_url=target, events=["claim.published"], is_active="on")
    assert admin_client.post(url, data).status_code == 302
    from_api, from_admin = WebhookSubscription.objects.order_by("pk")
    assert (from_api.owner, from_api.target_url, from_api.events, from_api.is_active) == (
        from_admin.owner,
        from_admin.target_url,
        from_admin.events,
        from_admin.is_active,
    )
    assert from_api.secret and from_admin.secret and from_api.secret != from_admin.secret

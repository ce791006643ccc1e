"""Contract tests for the writes on claims: each door (admin change form, admin action, the
article admin's span marking, the API) has the same effects as the others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.services import claim_set_verdict
from tests.contracts.conftest import Effects, _form_errors, admin_form, admin_post
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

SENTENCES = [
    "France produced about 65 % of its electricity from nuclear power in 2023.",
    "Data centres used about 415 TWh of electricity worldwide in 2024.",
    "The IEA expects that figure to double by 2030.",
]
BODY = " ".join(SENTENCES)


@pytest.fixture
def article() -> Any:
    return ArticleFactory(body=BODY, status="published")


def _change_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def _changelist_action(client: Any, action: str, claim: Claim) -> None:
    response = client.post(
        reverse("admin:claims_claim_changelist"), {"action": action, "_selected_action": [claim.pk]}
    )
    assert response.status_code == 302


def _in_review(article: Any, editor: Any, sentence: int = 0) -> Claim:
    quote = SENTENCES[sentence]
    claim = ClaimFactory(
        article=article,
        quote=quote,
        start=BODY.index(quote),
        end=BODY.index(quote) + len(quote),
        status="accepted",
    )
    claim_set_verdict(
        claim=claim,
        verdict="accurate",
        summary="RTE's 2023 review says 65 %.",
        as_of=dt.date(2025, 3, 1),
        by=editor,
        reason="first rating",
    )
    return claim


def _same(results: dict[str, Any]) -> None:
    """Every door's result equals the first door's."""
    (first_door, first), *others = results.items()
    for door, result in others:
        assert result == first, f"{door} differs from {first_door}"


def test_publishing_a_claim_has_the_same_effects_through_every_door(
    observe: Callable[..., Effects], article: Any, editor: Any, editor_admin: Any, editor_api: Any
) -> None:
    """Finding: publishing from the admin change form sent no claim.published webhook (the
    changelist action and the API did)."""
    doors = {
        "admin change form": lambda c: admin_post(
            editor_admin, _change_url(c), status="published", change_reason="Checked."
        ),
        "admin action": lambda c: _changelist_action(editor_admin, "publish_claims", c),
        "api": lambda c: editor_api.post(
            f"/api/v1/claims/{c.pk}/publish/", {"reason": "Checked."}, format="json"
        ),
    }
    results = {}
    for door, act in doors.items():
        claim = _in_review(article, editor)
        effects = observe(lambda act=act, claim=claim: act(claim))
        claim.refresh_from_db()
        results[door] = (
            claim.status,
            claim.published_at is not None,
            [kind for kind, _ in effects.history],
            effects.webhooks,
            effects.jobs,
        )
        claim.delete()
    _same(results)
    assert results["api"][3] == ("claim.published",)


def test_accepting_a_claim_queues_series_matching_through_every_door(
    observe: Callable[..., Effects], article: Any, editor: Any, editor_admin: Any, editor_api: Any
) -> None:
    """Finding: accepting a claim in its admin change form queued no series matching."""
    doors = {
        "admin change form": lambda c: admin_post(editor_admin, _change_url(c), status="accepted"),
        "admin action": lambda c: _changelist_action(editor_admin, "accept_claims", c),
        "api": lambda c: editor_api.post(f"/api/v1/claims/{c.pk}/accept/", {}, format="json"),
    }
    results = {}
    for door, act in doors.items():
        claim = ClaimFactory(
            article=article,
            quote=SENTENCES[1],
            start=BODY.index(SENTENCES[1]),
            end=BODY.index(SENTENCES[1]) + len(SENTENCES[1]),
            status="suggested",
        )
        effects = observe(lambda act=act, claim=claim: act(claim))
        claim.refresh_from_db()
        results[door] = (claim.status, effects.history, effects.webhooks, effects.jobs)
        claim.delete()
    _same(results)
    assert results["api"][3] == ("claims.tasks.attach_related_series",)


def test_rejecting_a_claim_has_the_same_effects_through_every_door(
    observe: Callable[..., Effects], article: Any, editor: Any, editor_admin: Any, editor_api: Any
) -> None:
    doors = {
        "admin change form": lambda c: admin_post(editor_admin, _change_url(c), status="rejected"),
        "admin action": lambda c: _changelist_action(editor_admin, "reject_claims", c),
        "api": lambda c: editor_api.post(f"/api/v1/claims/{c.pk}/reject/", {}, format="json"),
    }
    results = {}
    for door, act in doors.items():
        claim = ClaimFactory(
            article=article,
            quote=SENTENCES[2],
            start=BODY.index(SENTENCES[2]),
            end=BODY.index(SENTENCES[2]) + len(SENTENCES[2]),
            status="suggested",
        )
        effects = observe(lambda act=act, claim=claim: act(claim))
        claim.refresh_from_db()
        results[door] = (claim.status, effects.history, effects.webhooks, effects.jobs)
        claim.delete()
    _same(results)
    assert results["api"][0] == "rejected"


def test_retagging_a_claim_queues_series_matching_through_every_door(
    observe: Callable[..., Effects], article: Any, editor: Any, editor_admin: Any, editor_api: Any
) -> None:
    """Finding: retagging a claim in admin queued no series matching."""
    doors = {
        "admin change form": lambda c: admin_post(
            editor_admin, _change_url(c), tags="nuclear, energy", statement_en="Reworded."
        ),
        "api": lambda c: editor_api.patch(
            f"/api/v1/claims/{c.pk}/",
            {"tags": ["nuclear", "energy"], "statement": "Reworded."},
            format="json",
        ),
    }
    results = {}
    for door, act in doors.items():
        claim = ClaimFactory(
            article=article, quote=SENTENCES[0], start=0, end=len(SENTENCES[0]), status="accepted"
        )
        effects = observe(lambda act=act, claim=claim: act(claim))
        claim.refresh_from_db()
        results[door] = (
            sorted(claim.tags.names()),
            claim.statement,
            [kind for kind, _ in effects.history],
            effects.webhooks,
            effects.jobs,
        )
        claim.delete()
    _same(results)
    # the new statement is embedded again too, for similar-claim matching
    assert results["api"][4] == (
        "claims.tasks.attach_related_series",
        "claims.tasks.embed_claim",
    )


def test_a_verdict_lands_in_the_public_history_with_its_reason_through_every_door(
    observe: Callable[..., Effects], article: Any, editor: Any, editor_admin: Any, editor_api: Any
) -> None:
    doors = {
        "admin change form": lambda c: admin_post(
            editor_admin,
            _change_url(c),
            verdict="misleading",
            verdict_summary_en="Half of it.",
            verdict_as_of="2025-04-01",
            change_reason="New data from RTE.",
        ),
        "api": lambda c: editor_api.post(
            f"/api/v1/claims/{c.pk}/verdict/",
            {
                "verdict": "misleading",
                "summary": "Half of it.",
                "as_of": "2025-04-01",
                "reason": "New data from RTE.",
            },
            format="json",
        ),
    }
    results = {}
    for door, act in doors.items():
        claim = _in_review(article, editor)
        claim.status = "published"
        claim.save(update_fields=["status"])
        effects = observe(lambda act=act, claim=claim: act(claim))
        claim.refresh_from_db()
        results[door] = (
            claim.verdict,
            claim.verdict_summary,
            claim.verdict_as_of,
            claim.reviewer_id,
            effects.history,
            effects.webhooks,
        )
        claim.delete()
    _same(results)
    assert results["api"][4] == (("~", "New data from RTE."),)
    assert results["api"][5] == ("claim.verdict_changed",)


def test_creating_a_claim_has_the_same_effects_through_every_door(
    observe: Callable[..., Effects], article: Any, editor: Any, editor_admin: Any, editor_api: Any
) -> None:
    quote = SENTENCES[1]
    start = BODY.index(quote)

    def admin_add() -> None:
        url = reverse("admin:claims_claim_add")
        data = admin_form(editor_admin, url)
        data.update(
            article=article.pk, quote=quote, start=start, end="", status="accepted", tags="energy"
        )
        response = editor_admin.post(url, data)
        assert response.status_code == 302, _form_errors(response)

    def article_marking() -> None:
        admin_post(
            editor_admin,
            reverse("admin:articles_article_change", args=[article.pk]),
            mark_quote=quote,
            mark_start=start,
            mark_tags="energy",
        )

    def api() -> None:
        response = editor_api.post(
            "/api/v1/claims/",
            {"article": article.pk, "quote": quote, "start": start, "tags": ["energy"]},
            format="json",
        )
        assert response.status_code == 201, response.content

    results = {}
    for door, act in {
        "admin add form": admin_add,
        "article marking": article_marking,
        "api": api,
    }.items():
        effects = observe(act)
        claim = Claim.objects.get(article=article, start=start)
        results[door] = (
            (claim.start, claim.end, claim.status, sorted(claim.tags.names())),
            claim.created_by_id,
            [kind for kind, _ in effects.history],
            effects.webhooks,
            effects.jobs,
        )
        claim.delete()
    _same(results)
    # a new claim is matched to data series and embedded for similar-claim matching
    assert results["api"][4] == (
        "claims.tasks.attach_related_series",
        "claims.tasks.embed_claim",
    )


def test_a_quote_that_occurs_twice_is_never_anchored_silently(
    article: Any, editor_admin: Any, editor_api: Any
) -> None:
    """A quote found twice in the text needs its offset, through every door."""
    twice = ArticleFactory(body=f"{SENTENCES[0]} Meanwhile. {SENTENCES[0]}", status="published")
    response = editor_api.post(
        "/api/v1/claims/", {"article": twice.pk, "quote": SENTENCES[0]}, format="json"
    )
    assert response.status_code == 400
    assert "occurs 2 times" in response.json()["errors"]["start"][0]
    url = reverse("admin:claims_claim_add")
    data = admin_form(editor_admin, url)
    data.update(article=twice.pk, quote=SENTENCES[0], start="", end="", status="accepted")
    page = editor_admin.post(url, data)
    assert page.status_code == 200 and "occurs 2 times" in page.content.decode()
    assert not Claim.objects.filter(article=twice).exists()
    second = len(SENTENCES[0]) + len(" Meanwhile. ")
    response = editor_api.post(
        "/api/v1/claims/",
        {"article": twice.pk, "quote": SENTENCES[0], "start": second},
        format="json",
    )
    assert response.status_code == 201 and response.json()["start"] == second


def test_deleting_a_claim_has_the_same_effects_through_every_door(
    observe: Callable[..., Effects], article: Any, editor_admin: Any, editor_api: Any
) -> None:
    def admin_delete(claim: Claim) -> None:
        url = reverse("admin:claims_claim_delete", args=[claim.pk])
        assert editor_admin.post(url, {"post": "yes"}).status_code == 302

    doors = {
        "admin": admin_delete,
        "api": lambda c: editor_api.delete(f"/api/v1/claims/{c.pk}/"),
    }
    results = {}
    for door, act in doors.items():
        claim = ClaimFactory(
            article=article,
            quote=SENTENCES[2],
            start=BODY.index(SENTENCES[2]),
            end=BODY.index(SENTENCES[2]) + len(SENTENCES[2]),
            status="accepted",
        )
        pk = claim.pk
        effects = observe(lambda act=act, claim=claim: act(claim))
        kinds = [kind for kind, _reason in effects.history]
        results[door] = (Claim.objects.filter(pk=pk).exists(), kinds, effects.webhooks)
    _same(results)
    assert results["api"][0] is False


def test_a_published_claim_is_not_deleted_by_any_door(
    article: Any, editor: Any, editor_admin: Any, editor_api: Any
) -> None:
    claim = _in_review(article, editor)
    Claim.objects.filter(pk=claim.pk).update(status="published")
    assert editor_api.delete(f"/api/v1/claims/{claim.pk}/").status_code == 400
    page = editor_admin.post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"})
    assert "cannot be deleted" in page.content.decode()
    assert Claim.objects.filter(pk=claim.pk).exists()

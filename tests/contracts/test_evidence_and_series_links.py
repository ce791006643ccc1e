"""Contract tests for evidence and for the links between claims and data series: the claim's
admin page (inline rows), the object's own admin page or list action, and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from claims.models import ClaimSeries, Evidence
from tests.contracts.conftest import Effects, admin_form, admin_post
from tests.factories import ClaimFactory, EvidenceFactory, ObservationFactory, SeriesFactory

pytestmark = pytest.mark.django_db

URL = "https://www.rte-france.com/bilan-electrique-2023"


@pytest.fixture
def claim(db: Any) -> Any:
    return ClaimFactory(status="accepted")


def _same(results: dict[str, Any]) -> None:
    (first_door, first), *others = results.items()
    for door, result in others:
        assert result == first, f"{door} differs from {first_door}"


def _claim_page(claim: Any) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def test_adding_evidence_checks_the_link_and_tells_subscribers_through_every_door(
    observe: Callable[..., Effects], editor_admin: Any, editor_api: Any
) -> None:
    def inline(claim: Any) -> None:
        admin_post(
            editor_admin,
            _claim_page(claim),
            **{
                "evidence-TOTAL_FORMS": "1",
                "evidence-0-url": URL,
                "evidence-0-stance": "supports",
                "evidence-0-title_en": "Bilan électrique 2023",
                "evidence-0-language": "fr",
            },
        )

    def own_page(claim: Any) -> None:
        url = reverse("admin:claims_evidence_add")
        data = admin_form(editor_admin, url)
        data.update(
            claim=claim.pk,
            url=URL,
            stance="supports",
            title_en="Bilan électrique 2023",
            language="fr",
        )
        assert editor_admin.post(url, data).status_code == 302

    def api(claim: Any) -> None:
        response = editor_api.post(
            "/api/v1/evidence/",
            {
                "claim": claim.pk,
                "url": URL,
                "stance": "supports",
                "title": "Bilan électrique 2023",
                "language": "fr",
            },
            format="json",
        )
        assert response.status_code == 201, response.content

    results = {}
    for door, act in {"claim inline": inline, "evidence page": own_page, "api": api}.items():
        claim = ClaimFactory(status="published")
        effects = observe(lambda act=act, claim=claim: act(claim))
        evidence = Evidence.objects.get(claim=claim)
        results[door] = (
            (evidence.url, evidence.stance, evidence.title, evidence.language),
            evidence.added_by is not None,
            effects.webhooks,
            effects.jobs,
        )
    _same(results)
    assert results["api"][2] == ("evidence.added",)
    assert results["api"][3] == (
        "claims.evidence_tasks.check_evidence_link",
        "integrations.tasks.deliver_webhook",
    )


def test_a_changed_evidence_link_is_checked_again_through_every_door(
    observe: Callable[..., Effects], editor_admin: Any, editor_api: Any
) -> None:
    new_url = "https://www.iea.org/reports/energy-and-ai"
    doors = {
        "claim inline": lambda e: admin_post(
            editor_admin, _claim_page(e.claim), **{"evidence-0-url": new_url}
        ),
        "evidence page": lambda e: admin_post(
            editor_admin, reverse("admin:claims_evidence_change", args=[e.pk]), url=new_url
        ),
        "api": lambda e: editor_api.patch(
            f"/api/v1/evidence/{e.pk}/", {"url": new_url}, format="json"
        ),
    }
    results = {}
    for door, act in doors.items():
        evidence = EvidenceFactory(
            url=URL, ok=True, http_status=200, archived_text="old page", archived_sha256="x" * 64
        )
        effects = observe(lambda act=act, e=evidence: act(e))
        evidence.refresh_from_db()
        results[door] = (
            evidence.url,
            (evidence.ok, evidence.http_status, evidence.archived_text),
            effects.jobs,
        )
    _same(results)
    assert results["api"] == (
        new_url,
        (None, None, ""),
        ("claims.evidence_tasks.check_evidence_link",),
    )


def test_removing_evidence_has_the_same_effects_through_every_door(
    observe: Callable[..., Effects], editor_admin: Any, editor_api: Any
) -> None:
    doors = {
        "claim inline": lambda e: admin_post(
            editor_admin, _claim_page(e.claim), **{"evidence-0-DELETE": "on"}
        ),
        "evidence page": lambda e: editor_admin.post(
            reverse("admin:claims_evidence_delete", args=[e.pk]), {"post": "yes"}
        ),
        "api": lambda e: editor_api.delete(f"/api/v1/evidence/{e.pk}/"),
    }
    results = {}
    for door, act in doors.items():
        evidence = EvidenceFactory()
        effects = observe(lambda act=act, e=evidence: act(e))
        results[door] = (Evidence.objects.filter(pk=evidence.pk).exists(), effects.jobs)
    _same(results)
    assert results["api"][0] is False


def _suggested_link() -> ClaimSeries:
    series = SeriesFactory()
    for year, value in [(2021, 69.0), (2022, 62.8), (2023, 64.8)]:
        ObservationFactory(series=series, period=dt.date(year, 1, 1), value=value)
    return ClaimSeries.objects.create(
        claim=ClaimFactory(status="accepted"),
        series=series,
        origin=ClaimSeries.Origin.SUGGESTED,
        status=ClaimSeries.Status.SUGGESTED,
        match_score=0.5,
    )


def test_confirming_a_series_link_records_who_and_when_through_every_door(
    observe: Callable[..., Effects], editor: Any, editor_admin: Any, editor_api: Any
) -> None:
    """Finding: confirming a series from the claim page's dropdown recorded no confirmer or
    time (the list action did)."""
    doors = {
        "claim inline": lambda link: admin_post(
            editor_admin, _claim_page(link.claim), **{"series_links-0-status": "confirmed"}
        ),
        "link page": lambda link: admin_post(
            editor_admin,
            reverse("admin:claims_claimseries_change", args=[link.pk]),
            status="confirmed",
        ),
        "link list action": lambda link: editor_admin.post(
            reverse("admin:claims_claimseries_changelist"),
            {"action": "confirm_links", "_selected_action": [link.pk]},
        ),
        "claim list action": lambda link: editor_admin.post(
            reverse("admin:claims_claim_changelist"),
            {"action": "confirm_series", "_selected_action": [link.claim_id]},
        ),
        "api": lambda link: editor_api.patch(
            f"/api/v1/claims/{link.claim_id}/series/{link.series_id}/",
            {"status": "confirmed"},
            format="json",
        ),
    }
    results = {}
    for door, act in doors.items():
        link = _suggested_link()
        observe(lambda act=act, link=link: act(link))
        link.refresh_from_db()
        results[door] = (link.status, link.confirmed_by_id, link.confirmed_at is not None)
    _same(results)
    assert results["api"] == ("confirmed", editor.pk, True)


def test_rejecting_a_series_link_has_the_same_effects_through_every_door(
    observe: Callable[..., Effects], editor_admin: Any, editor_api: Any
) -> None:
    doors = {
        "claim inline": lambda link: admin_post(
            editor_admin, _claim_page(link.claim), **{"series_links-0-status": "rejected"}
        ),
        "link list action": lambda link: editor_admin.post(
            reverse("admin:claims_claimseries_changelist"),
            {"action": "reject_links", "_selected_action": [link.pk]},
        ),
        "api": lambda link: editor_api.patch(
            f"/api/v1/claims/{link.claim_id}/series/{link.series_id}/",
            {"status": "rejected"},
            format="json",
        ),
    }
    results = {}
    for door, act in doors.items():
        link = _suggested_link()
        observe(lambda act=act, link=link: act(link))
        link.refresh_from_db()
        results[door] = link.status
    _same(results)
    assert results["api"] == "rejected"


def test_a_data_check_is_evaluated_at_once_through_every_door(
    observe: Callable[..., Effects], editor_admin: Any, editor_api: Any
) -> None:
    """Finding: a data-check assertion added in admin was never evaluated until the series'
    data next changed."""
    fields = {
        "operator": "gte",
        "threshold": 60,
        "period_start": "2021-01-01",
        "period_end": "2023-12-31",
    }
    doors = {
        "claim inline": lambda link: admin_post(
            editor_admin,
            _claim_page(link.claim),
            **{f"series_links-0-assertion_{k}": v for k, v in fields.items()},
        ),
        "link page": lambda link: admin_post(
            editor_admin,
            reverse("admin:claims_claimseries_change", args=[link.pk]),
            **{f"assertion_{k}": v for k, v in fields.items()},
        ),
        "api": lambda link: editor_api.patch(
            f"/api/v1/claims/{link.claim_id}/series/{link.series_id}/",
            {"assertion": fields},
            format="json",
        ),
    }
    results = {}
    for door, act in doors.items():
        link = _suggested_link()
        observe(lambda act=act, link=link: act(link))
        link.refresh_from_db()
        results[door] = (
            link.assertion_operator,
            link.assertion_threshold,
            link.assertion_result,
            link.assertion_value,
        )
    _same(results)
    assert results["api"] == ("gte", 60.0, "holds", 62.8)


def test_a_bad_data_check_is_refused_by_every_door(editor_admin: Any, editor_api: Any) -> None:
    link = _suggested_link()
    response = editor_api.patch(
        f"/api/v1/claims/{link.claim_id}/series/{link.series_id}/",
        {
            "assertion": {
                "operator": "gte",
                "threshold": 60,
                "period_start": "2023-01-01",
                "period_end": "2021-01-01",
            }
        },
        format="json",
    )
    assert response.status_code == 400
    assert "ends before it starts" in response.json()["errors"]["assertion"][0]
    url = reverse("admin:claims_claimseries_change", args=[link.pk])
    data = admin_form(editor_admin, url)
    data.update(
        assertion_operator="gte",
        assertion_threshold="60",
        assertion_period_start="2023-01-01",
        assertion_period_end="2021-01-01",
    )
    page = editor_admin.post(url, data)
    assert page.status_code == 200 and "ends before it starts" in page.content.decode()
    link.refresh_from_db()
    assert link.assertion_operator == ""

"""Evidence that would reach readers untitled or with a broken link is flagged to editors: a
"needs attention" filter on the evidence list, and a warning when such evidence is saved in
admin (on its own page or in the claim's inline)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims.models import Evidence
from tests.contracts.conftest import admin_form
from tests.factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def _warnings(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_the_needs_attention_filter_lists_untitled_and_broken_evidence(admin_client) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    fine = EvidenceFactory(claim=claim, url="https://example.org/ok", title_en="Fine", ok=True)
    untitled = EvidenceFactory(claim=claim, url="https://example.org/bare", title_en="", ok=True)
    french_only = EvidenceFactory(
        claim=claim, url="https://example.org/fr", title_en="", title_fr="Bilan", ok=None
    )
    broken = EvidenceFactory(
        claim=claim, url="https://example.org/dead", title_en="Dead", ok=False, http_status=404
    )
    url = reverse("admin:claims_evidence_changelist")

    listed = admin_client.get(url + "?attention=yes").context["cl"].result_list
    assert {e.pk for e in listed} == {untitled.pk, broken.pk}
    rest = admin_client.get(url + "?attention=no").context["cl"].result_list
    assert {e.pk for e in rest} == {fine.pk, french_only.pk}
    page = admin_client.get(url).content.decode()
    assert "needs attention" in page.lower() and "Untitled or broken link" in page


def test_saving_untitled_evidence_in_admin_warns(admin_client) -> None:  # type: ignore[no-untyped-def]
    evidence = EvidenceFactory(url="https://example.org/a", title_en="A title", ok=True)
    page = reverse("admin:claims_evidence_change", args=[evidence.pk])
    data = admin_form(admin_client, page)
    data.update({"title_en": "", "title_fr": ""})
    response = admin_client.post(page, data, follow=True)
    assert response.status_code == 200
    warnings = _warnings(response)
    assert len(warnings) == 1
    assert "needs attention before readers see it: it has no title" in warnings[0]
    assert "https://example.org/a" in warnings[0]


def test_saving_evidence_whose_last_check_is_broken_warns_and_a_fine_one_does_not(  # type: ignore[no-untyped-def]
    admin_client,
) -> None:
    broken = EvidenceFactory(
        url="https://example.org/dead", title_en="Dead", ok=False, http_status=404
    )
    fine = EvidenceFactory(url="https://example.org/ok", title_en="Fine", ok=True)
    for evidence, expected in ((broken, "its last link check found it broken (404)"), (fine, "")):
        page = reverse("admin:claims_evidence_change", args=[evidence.pk])
        data = admin_form(admin_client, page)
        data["publisher"] = "Someone"
        response = admin_client.post(page, data, follow=True)
        warnings = _warnings(response)
        if expected:
            assert len(warnings) == 1 and expected in warnings[0]
        else:
            assert warnings == []


def test_saving_untitled_evidence_in_the_claims_inline_warns_too(admin_client) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory(status="accepted")
    evidence = EvidenceFactory(claim=claim, url="https://example.org/b", title_en="B", ok=True)
    page = reverse("admin:claims_claim_change", args=[claim.pk])
    data = admin_form(admin_client, page)
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == str(evidence.pk))[:-3]
    data.update({f"{prefix}-title_en": "", f"{prefix}-title_fr": ""})
    response = admin_client.post(page, data, follow=True)
    assert response.status_code == 200
    assert Evidence.objects.get(pk=evidence.pk).title_en in ("", None)
    assert any("it has no title" in w for w in _warnings(response))

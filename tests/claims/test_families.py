"""Claim families: confirmed same-claim links join families, rejecting one splits them, and a
published verdict is carried to other members only when an editor asks, with its reason in
each claim's public history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.models import Claim, ClaimFamily, ClaimLink
from claims.selectors import verdict_changelog
from claims.services import (
    claim_link_confirm,
    claim_link_reject,
    claim_links_suggest,
    claim_set_verdict,
    family_verdict_apply,
)
from integrations.models import WebhookDelivery
from integrations.services import webhook_subscription_create
from tests.claims.similarity_helpers import claim_on_article
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

FR = "Le nucléaire a fourni environ 65 % de l’électricité française en 2023."
EN = "Nuclear power supplied about 65% of France's electricity in 2023."


def test_the_matcher_suggests_a_translation_and_leaves_decided_pairs_alone(editor: Any) -> None:
    french = claim_on_article(FR, language="fr")
    english = claim_on_article(EN)
    assert claim_links_suggest(claim=english) in (0, 1)  # the job may have made it already
    link = ClaimLink.objects.get()
    assert (link.claim_id, link.other_id) == (french.pk, english.pk)
    assert link.status == "suggested" and link.score > 0.5
    claim_link_reject(claim=english, other=french, by=editor)
    assert claim_links_suggest(claim=english) == 0
    assert ClaimLink.objects.get().status == "rejected"


def test_confirming_links_builds_one_family_and_merges_two(editor: Any) -> None:
    a, b, c, d = (ClaimFactory() for _ in range(4))
    claim_link_confirm(claim=a, other=b, by=editor)
    claim_link_confirm(claim=c, other=d, by=editor)
    assert a.family_id == b.family_id and c.family_id == d.family_id != a.family_id
    claim_link_confirm(claim=b, other=c, by=editor)
    families = set(
        Claim.objects.filter(pk__in=[a.pk, b.pk, c.pk, d.pk]).values_list("family_id", flat=True)
    )
    assert len(families) == 1
    assert ClaimFamily.objects.count() == 1


def test_rejecting_a_confirmed_link_splits_the_family(editor: Any) -> None:
    a, b, c = (ClaimFactory() for _ in range(3))
    claim_link_confirm(claim=a, other=b, by=editor)
    claim_link_confirm(claim=b, other=c, by=editor)
    claim_link_reject(claim=b, other=c, by=editor)
    for claim in (a, b, c):
        claim.refresh_from_db()
    assert a.family_id == b.family_id is not None
    assert c.family_id is None
    claim_link_reject(claim=a, other=b, by=editor)
    a.refresh_from_db()
    assert a.family_id is None and ClaimFamily.objects.count() == 0


def test_confirming_twice_makes_one_link_and_one_event(editor: Any, settings: Any) -> None:
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    webhook_subscription_create(
        owner=editor, target_url="http://127.0.0.1:9/hook", events=["claim.matched"]
    )
    a, b = ClaimFactory(), ClaimFactory()
    first = claim_link_confirm(claim=a, other=b, by=editor)
    second = claim_link_confirm(claim=b, other=a, by=editor)
    assert first.pk == second.pk
    assert ClaimLink.objects.count() == 1
    deliveries = WebhookDelivery.objects.filter(event="claim.matched")
    assert deliveries.count() == 1
    payload = deliveries.get().payload
    assert payload["claim"] == min(a.pk, b.pk) and set(payload["family"]) == {a.pk, b.pk}


def test_no_event_when_a_claim_is_not_public(editor: Any, settings: Any) -> None:
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    webhook_subscription_create(
        owner=editor, target_url="http://127.0.0.1:9/hook", events=["claim.matched"]
    )
    claim_link_confirm(claim=ClaimFactory(), other=ClaimFactory(status="accepted"), by=editor)
    assert not WebhookDelivery.objects.exists()


def test_only_editors_link_claims_and_never_a_rejected_one(editor: Any, alice: Any) -> None:
    a, b = ClaimFactory(), ClaimFactory()
    with pytest.raises(PermissionDenied):
        claim_link_confirm(claim=a, other=b, by=alice)
    with pytest.raises(PermissionDenied):
        claim_link_reject(claim=a, other=b, by=alice)
    with pytest.raises(ValidationError):
        claim_link_confirm(claim=a, other=ClaimFactory(status="rejected"), by=editor)
    with pytest.raises(ValidationError):
        claim_link_confirm(claim=a, other=a, by=editor)
    assert not ClaimLink.objects.exists()


def _published(editor: Any, verdict: str = "misleading") -> Claim:
    claim = ClaimFactory(status="accepted")
    claim_set_verdict(
        claim=claim,
        verdict=verdict,
        summary="One option among several.",
        as_of=dt.date(2025, 12, 10),
        by=editor,
        reason="first rating",
    )
    Claim.objects.filter(pk=claim.pk).update(status="published")
    claim.refresh_from_db()
    return claim


def test_a_published_verdict_is_applied_to_chosen_members_with_its_reason(editor: Any) -> None:
    source = _published(editor)
    member = ClaimFactory(status="accepted")
    untouched = ClaimFactory(status="accepted")
    claim_link_confirm(claim=source, other=member, by=editor)
    claim_link_confirm(claim=source, other=untouched, by=editor)
    source.refresh_from_db()
    member.refresh_from_db()
    changed = family_verdict_apply(
        source=source, targets=[member], by=editor, reason="Same claim, same sources."
    )
    assert changed == [member]
    member.refresh_from_db()
    untouched.refresh_from_db()
    assert (member.verdict, member.verdict_summary, member.verdict_as_of) == (
        "misleading",
        "One option among several.",
        dt.date(2025, 12, 10),
    )
    assert member.status == "in_review"  # published by an editor, never by the family
    assert untouched.verdict == ""
    reasons = [change.reason for change in verdict_changelog(claim=member)]
    assert any("Same claim, same sources." in reason for reason in reasons)
    # applying it again changes nothing
    assert family_verdict_apply(source=source, targets=[member], by=editor, reason="again") == []


def test_a_verdict_is_applied_only_within_the_family_by_editors(editor: Any, alice: Any) -> None:
    source = _published(editor)
    stranger = ClaimFactory(status="accepted")
    with pytest.raises(ValidationError):
        family_verdict_apply(source=source, targets=[stranger], by=editor, reason="why")
    member = ClaimFactory(status="accepted")
    claim_link_confirm(claim=source, other=member, by=editor)
    source.refresh_from_db()
    member.refresh_from_db()
    with pytest.raises(PermissionDenied):
        family_verdict_apply(source=source, targets=[member], by=alice, reason="why")
    with pytest.raises(ValidationError):
        family_verdict_apply(source=source, targets=[member], by=editor, reason=" ")
    unpublished = ClaimFactory(status="accepted")
    claim_link_confirm(claim=unpublished, other=member, by=editor)
    unpublished.refresh_from_db()
    with pytest.raises(ValidationError):
        family_verdict_apply(source=unpublished, targets=[member], by=editor, reason="why")

"""The verdict workflow: creating claims on exact spans, rating, publishing, bulk review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.models import Claim
from claims.selectors import verdict_changelog
from claims.services import (
    claim_create,
    claim_publish,
    claim_set_verdict,
    claim_update,
    claims_accept,
    claims_reject,
)
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

NUCLEAR = "France produced about 65 % of its electricity from nuclear power in 2023."


def test_claim_create_anchors_the_quote_and_tags_it(article, editor) -> None:  # type: ignore[no-untyped-def]
    claim = claim_create(article=article, quote=NUCLEAR, tags=["energy"], by=editor)

    assert (claim.start, claim.end) == (0, len(NUCLEAR))
    assert article.body[claim.start : claim.end] == NUCLEAR
    assert list(claim.tags.names()) == ["energy"]
    assert claim.created_by == editor
    assert claim.history.get().history_user == editor


@pytest.mark.parametrize(
    ("quote", "start", "end"),
    [
        ("France produced about 70 % of its electricity", None, None),  # not in the text
        (NUCLEAR, 1, 1 + len(NUCLEAR)),  # offsets off by one
        ("   ", None, None),
    ],
)
def test_claim_create_refuses_a_quote_that_does_not_match(article, quote, start, end) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        claim_create(article=article, quote=quote, start=start, end=end)
    assert not Claim.objects.exists()


def test_the_same_span_cannot_hold_two_claims(article) -> None:  # type: ignore[no-untyped-def]
    claim_create(article=article, quote=NUCLEAR)
    with pytest.raises(ValidationError, match="already holds a claim"):
        claim_create(article=article, quote=NUCLEAR)
    assert Claim.objects.count() == 1


def test_setting_a_verdict_records_who_when_and_why(article, editor) -> None:  # type: ignore[no-untyped-def]
    claim = claim_create(article=article, quote=NUCLEAR)

    claim_set_verdict(
        claim=claim,
        verdict="mostly_accurate",
        summary="RTE reports 65 % in 2023.",
        as_of=dt.date(2024, 2, 1),
        by=editor,
        reason="First review against RTE's annual report",
    )
    claim_set_verdict(
        claim=claim,
        verdict="accurate",
        summary="RTE: 65 %.",
        as_of=dt.date(2024, 3, 1),
        by=editor,
        reason="Final figure published",
    )

    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW and claim.reviewer == editor
    latest = claim.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason == "Final figure published"
    changelog = verdict_changelog(claim=claim)
    assert [(c.verdict, c.reason) for c in changelog] == [
        ("accurate", "Final figure published"),
        ("mostly_accurate", "First review against RTE's annual report"),
    ]


@pytest.mark.parametrize(
    ("verdict", "summary", "reason"),
    [("true-ish", "s", "r"), ("accurate", "", "r"), ("accurate", "s", " ")],
)
def test_a_verdict_needs_a_known_value_a_summary_and_a_reason(
    article, editor, verdict, summary, reason
) -> None:  # type: ignore[no-untyped-def]
    claim = claim_create(article=article, quote=NUCLEAR)

    with pytest.raises(ValidationError):
        claim_set_verdict(claim=claim, verdict=verdict, summary=summary, by=editor, reason=reason)

    claim.refresh_from_db()
    assert claim.verdict == "" and claim.history.count() == 1


def test_publishing_needs_a_verdict(article, editor) -> None:  # type: ignore[no-untyped-def]
    claim = claim_create(article=article, quote=NUCLEAR)
    with pytest.raises(ValidationError, match="verdict"):
        claim_publish(claim=claim, by=editor)

    claim_set_verdict(claim=claim, verdict="accurate", summary="ok", by=editor, reason="checked")
    claim_publish(claim=claim, by=editor)

    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED and claim.published_at is not None


def test_bulk_accept_and_reject_skip_claims_whose_status_forbids_it(editor) -> None:  # type: ignore[no-untyped-def]
    article = ArticleFactory()
    suggested = ClaimFactory(article=article, status=Claim.Status.SUGGESTED)
    published = ClaimFactory(article=article, start=74, end=140, status=Claim.Status.PUBLISHED)

    accepted, skipped = claims_accept(claims=[suggested, published], by=editor)
    assert accepted == [suggested] and skipped == [published]
    rejected, skipped = claims_reject(claims=[suggested, published], by=editor)
    assert rejected == [suggested] and skipped == [published]
    published.refresh_from_db()
    assert published.status == Claim.Status.PUBLISHED


def test_claim_update_changes_wording_tags_and_assignee(article, editor, bob) -> None:  # type: ignore[no-untyped-def]
    claim = claim_create(article=article, quote=NUCLEAR, tags=["energy"])

    claim_update(
        claim=claim,
        statement="  65 % nuclear in 2023 ",
        tags=["energy", "france"],
        assignee=bob,
        by=editor,
    )
    claim_update(claim=claim, statement="65 % nuclear (France, 2023)", by=editor)

    claim.refresh_from_db()
    assert claim.statement == "65 % nuclear (France, 2023)"
    assert claim.assignee == bob
    assert sorted(claim.tags.names()) == ["energy", "france"]


def _change_form_data(claim: Claim, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "article": claim.article_id,
        "status": claim.status,
        "assignee": "",
        "tags": "energy",
        "quote": claim.quote,
        "start": claim.start,
        "end": claim.end,
        "statement_en": claim.statement,
        "verdict": claim.verdict,
        "verdict_as_of": "",
        "verdict_summary_en": claim.verdict_summary,
        "change_reason": "",
        "reviewer": "",
        "evidence-TOTAL_FORMS": 0,
        "evidence-INITIAL_FORMS": 0,
        "series_links-TOTAL_FORMS": 0,
        "series_links-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def test_editor_sets_a_verdict_in_admin_and_the_reason_is_public(
    article, editor, alice, login
) -> None:  # type: ignore[no-untyped-def]
    claim = claim_create(article=article, quote=NUCLEAR, by=alice)
    client = login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])

    response = client.post(
        url,
        _change_form_data(
            claim,
            verdict="accurate",
            verdict_as_of="2024-02-01",
            verdict_summary_en="Matches RTE's 2023 report.",
            change_reason="Checked against RTE",
            statement_en="Nuclear gave 65 % of French power in 2023",
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    claim.refresh_from_db()
    assert claim.verdict == "accurate" and claim.reviewer == editor
    assert claim.statement == "Nuclear gave 65 % of French power in 2023"
    assert [c.reason for c in verdict_changelog(claim=claim)] == ["Checked against RTE"]
    assert claim.history.first().history_user == editor


def test_admin_refuses_a_verdict_change_without_a_reason(article, editor, login) -> None:  # type: ignore[no-untyped-def]
    claim = claim_create(article=article, quote=NUCLEAR)
    client = login(editor)

    response = client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        _change_form_data(claim, verdict="accurate", verdict_summary_en="ok"),
    )

    assert response.status_code == 200  # the form again, with the error
    assert "Say why" in response.content.decode()
    claim.refresh_from_db()
    assert claim.verdict == ""


def test_admin_bulk_accept_action(editor, login) -> None:  # type: ignore[no-untyped-def]
    article = ArticleFactory()
    one = ClaimFactory(article=article, status=Claim.Status.SUGGESTED)
    two = ClaimFactory(article=article, start=74, end=140, status=Claim.Status.SUGGESTED)
    client = login(editor)

    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "accept_claims", "_selected_action": [one.pk, two.pk], "index": 0},
    )

    assert response.status_code == 302
    assert set(Claim.objects.values_list("status", flat=True)) == {"accepted"}


def test_accepting_claims_queues_the_series_matcher_for_each(
    editor, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    article = ArticleFactory()
    one = ClaimFactory(article=article, status=Claim.Status.SUGGESTED)
    two = ClaimFactory(article=article, start=74, end=140, status=Claim.Status.SUGGESTED)
    done = ClaimFactory(article=article, start=141, end=184, status=Claim.Status.PUBLISHED)

    with django_capture_on_commit_callbacks() as callbacks:
        claims_accept(claims=[one, two, done], by=editor)

    assert len(callbacks) == 2


def test_admin_refuses_to_publish_an_unrated_claim(article, editor, login) -> None:  # type: ignore[no-untyped-def]
    claim = claim_create(article=article, quote=NUCLEAR)

    response = login(editor).post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        _change_form_data(claim, status="published"),
    )

    assert response.status_code == 200
    assert "before publishing" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "accepted" and claim.published_at is None

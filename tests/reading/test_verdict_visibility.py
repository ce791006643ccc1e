"""A claim's verdict reaches readers only once the claim is published: not on the article's
card, not on the claim page (badge, summary, date, changelog), not in the API. Staff and
editors see it while the claim is still being reviewed."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import Claim
from claims.services import claim_set_verdict
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

SUMMARY = "EDF figures disagree by half."


def _claim_with_verdict(article, editor, status: str, sentence: int = 0) -> Claim:  # type: ignore[no-untyped-def]
    starts = [0]
    for _ in range(sentence + 1):
        starts.append(article.body.index(".", starts[-1]) + 2)
    start, end = starts[-2], starts[-1] - 1
    claim = ClaimFactory(
        article=article, status=status, statement="Nuclear is 70 percent.", start=start, end=end
    )
    claim_set_verdict(
        claim=claim,
        verdict="inaccurate",
        summary=SUMMARY,
        reason="RTE 2024",
        by=editor,
        as_of=dt.date(2024, 3, 5),
    )
    Claim.objects.filter(pk=claim.pk).update(status=status)
    claim.refresh_from_db()
    assert claim.verdict == "inaccurate" and claim.status == status
    return claim


def _verdict_shown(page: str) -> bool:
    return "verdict--inaccurate" in page or SUMMARY in page or "RTE 2024" in page


@pytest.mark.parametrize("status", [Claim.Status.ACCEPTED, Claim.Status.IN_REVIEW])
@pytest.mark.parametrize("reader", ["anonymous", "alice"])
def test_readers_see_no_verdict_on_a_claim_not_yet_published(
    client, article, editor, alice, login, status, reader
):
    claim = _claim_with_verdict(article, editor, status)
    if reader == "alice":
        login(alice)

    article_page = client.get(article.get_absolute_url()).content.decode()
    claim_page = client.get(claim.get_absolute_url()).content.decode()

    for page in (article_page, claim_page):
        assert not _verdict_shown(page)
        assert "Under review" in page
    assert "Verdict history" not in claim_page
    assert "as of" not in claim_page


@pytest.mark.parametrize("status", [Claim.Status.ACCEPTED, Claim.Status.IN_REVIEW])
def test_editors_see_the_verdict_while_the_claim_is_reviewed(
    client, article, editor, login, status
):
    claim = _claim_with_verdict(article, editor, status)
    login(editor)
    article_page = client.get(article.get_absolute_url()).content.decode()
    claim_page = client.get(claim.get_absolute_url()).content.decode()
    assert "verdict--inaccurate" in article_page
    assert "verdict--inaccurate" in claim_page
    assert SUMMARY in claim_page
    assert "Verdict history" in claim_page


def test_editor_group_member_without_staff_sees_the_verdict(client, article, editor, login):
    claim = _claim_with_verdict(article, editor, Claim.Status.IN_REVIEW)
    member = UserFactory(username="nina")
    member.groups.add(*editor.groups.all())
    login(member)
    response = client.get(f"/api/v1/claims/{claim.pk}/")
    assert response.json()["verdict"] == "inaccurate"


def test_readers_see_the_verdict_once_published(client, article, editor):
    claim = _claim_with_verdict(article, editor, Claim.Status.PUBLISHED)
    claim_page = client.get(claim.get_absolute_url()).content.decode()
    assert "verdict--inaccurate" in claim_page
    assert SUMMARY in claim_page
    assert "Verdict history" in claim_page
    assert "verdict--inaccurate" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("reader", ["anonymous", "alice"])
def test_api_withholds_the_verdict_of_an_unpublished_claim_from_readers(
    client, article, editor, alice, login, reader
):
    claim = _claim_with_verdict(article, editor, Claim.Status.IN_REVIEW)
    published = _claim_with_verdict(article, editor, Claim.Status.PUBLISHED, sentence=1)
    if reader == "alice":
        login(alice)

    body = client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert body["status"] == "in_review"
    for name in ("verdict", "verdict_label", "verdict_summary", "verdict_as_of"):
        assert body[name] is None, name

    listed = {row["id"]: row for row in client.get("/api/v1/claims/").json()["results"]}
    assert listed[claim.pk]["verdict"] is None
    assert listed[claim.pk]["verdict_summary"] is None
    assert listed[published.pk]["verdict"] == "inaccurate"
    assert listed[published.pk]["verdict_summary"] == SUMMARY


def test_api_shows_the_verdict_of_an_unpublished_claim_to_editors(client, article, editor, login):
    claim = _claim_with_verdict(article, editor, Claim.Status.IN_REVIEW)
    login(editor)
    body = client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert body["verdict"] == "inaccurate"
    assert body["verdict_summary"] == SUMMARY
    assert body["verdict_as_of"] == "2024-03-05"


def test_readers_cannot_filter_claims_by_a_verdict_still_under_review(client, editor):
    from claims.models import Claim
    from tests.factories import ClaimFactory

    hidden = ClaimFactory(status=Claim.Status.IN_REVIEW, verdict="misleading")
    shown = ClaimFactory(status=Claim.Status.PUBLISHED, verdict="misleading")

    anonymous = client.get("/api/v1/claims/", {"verdict": "misleading"}).json()["results"]
    assert [c["id"] for c in anonymous] == [shown.pk]

    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    ids = {
        c["id"] for c in client.get("/api/v1/claims/", {"verdict": "misleading"}).json()["results"]
    }
    assert ids == {hidden.pk, shown.pk}

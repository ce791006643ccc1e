"""Editors in admin: same-claim candidates with their scores and buttons on the claim page, the
"has unreviewed matches" filter, applying a family's verdict, and the check-request queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from articles.models import Article
from claims.models import CheckRequest, CheckRequester, Claim, ClaimLink
from claims.selectors import verdict_changelog
from claims.services import check_request_submit, claim_link_confirm, claim_set_verdict
from editorial.services.check_requests import check_request_convert
from tests.claims.similarity_helpers import claim_on_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

FRENCH = "Le nucléaire a fourni environ 65 % de l’électricité française en 2023."
ENGLISH = "Nuclear power supplied about 65% of France's electricity in 2023."


@pytest.fixture
def pair() -> tuple[Claim, Claim]:
    french = claim_on_article(FRENCH, language="fr", title="Le billet")
    english = claim_on_article(ENGLISH, status="accepted", title="The post")
    from claims.services import claim_links_suggest

    claim_links_suggest(claim=english)
    return french, english


def _change(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def test_the_claim_page_lists_candidates_and_confirms_one(
    client: Any, editor: Any, login: Any, pair: tuple[Claim, Claim]
) -> None:
    french, english = pair
    login(editor)
    page = client.get(_change(english)).content.decode()
    assert "Same claim elsewhere?" in page
    assert "1 suggested match to review" in page
    assert f'value="confirm:{french.pk}"' in page
    link = ClaimLink.objects.get()
    assert f"{link.score:.2f}" in page
    listed = client.get(reverse("admin:claims_claim_changelist"), {"matches": "unreviewed"})
    assert {c.pk for c in listed.context["cl"].result_list} == {french.pk, english.pk}

    response = client.post(
        reverse("admin:claims_claim_match", args=[english.pk]), {"decision": f"confirm:{french.pk}"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#same-claim")
    french.refresh_from_db()
    english.refresh_from_db()
    assert french.family_id == english.family_id is not None
    # twice (two editors, a double click): still one link, no error page
    again = client.post(
        reverse("admin:claims_claim_match", args=[french.pk]), {"decision": f"confirm:{english.pk}"}
    )
    assert again.status_code == 302
    assert ClaimLink.objects.filter(status="confirmed").count() == 1
    listed = client.get(reverse("admin:claims_claim_changelist"), {"matches": "unreviewed"})
    assert list(listed.context["cl"].result_list) == []
    page = client.get(_change(english)).content.decode()
    assert "Family: 1 other claim confirmed the same" in page


def test_rejecting_a_candidate_and_permissions(
    client: Any, editor: Any, alice: Any, login: Any, pair: tuple[Claim, Claim]
) -> None:
    french, english = pair
    url = reverse("admin:claims_claim_match", args=[english.pk])
    login(alice)
    assert client.post(url, {"decision": f"confirm:{french.pk}"}).status_code == 302  # to login
    assert ClaimLink.objects.get().status == "suggested"
    login(editor)
    assert client.get(url).status_code == 404
    client.post(url, {"decision": f"reject:{french.pk}"})
    assert ClaimLink.objects.get().status == "rejected"
    assert "0 suggested matches to review" in client.get(_change(english)).content.decode()


def test_the_family_verdict_is_offered_and_applied_with_a_reason(
    client: Any, editor: Any, login: Any, pair: tuple[Claim, Claim]
) -> None:
    french, english = pair
    claim_set_verdict(
        claim=french, verdict="accurate", summary="RTE 2023.", as_of=dt.date(2025, 1, 1),
        by=editor, reason="rated",
    )  # fmt: skip
    Claim.objects.filter(pk=french.pk).update(status="published")
    claim_link_confirm(claim=french, other=english, by=editor)
    login(editor)
    page = client.get(_change(french)).content.decode()
    assert "Apply the verdict" in page and f'name="apply_to" value="{english.pk}"' in page
    assert "Apply the verdict" not in client.get(_change(english)).content.decode()
    response = client.post(
        reverse("admin:claims_claim_family_verdict", args=[french.pk]),
        {"apply_to": [english.pk], "apply_reason": "Same figure, same source."},
    )
    assert response.status_code == 302
    english.refresh_from_db()
    assert english.verdict == "accurate" and english.status == "in_review"
    assert "Same figure, same source." in verdict_changelog(claim=english)[0].reason


def test_the_page_fits_the_admin_at_1280_px(
    client: Any, editor: Any, login: Any, pair: Any
) -> None:
    """No wide table: the section is a grid of text blocks (checked in a browser test too)."""
    login(editor)
    page = client.get(_change(pair[1])).content.decode()
    section = page.split('id="same-claim"', 1)[1].split("</fieldset>", 1)[0]
    assert "<table" not in section


def test_check_requests_queue_and_conversion_keep_the_requesters(
    client: Any, editor: Any, alice: Any, bob: Any, login: Any
) -> None:
    text = "Offshore wind farms produce 10% of the electricity of Brittany."
    check_request_submit(by=alice, text=text, url="https://example.org/a")
    check_request_submit(
        by=bob, text="Les éoliennes en mer produisent 10 % de l’électricité de la Bretagne."
    )
    request = CheckRequest.objects.get()
    login(editor)
    queue = client.get(reverse("admin:claims_checkrequest_changelist")).content.decode()
    assert "Offshore wind farms" in queue
    page = reverse("admin:claims_checkrequest_change", args=[request.pk])
    assert "alice" in client.get(page).content.decode()
    requesters = list(request.requesters.all())
    form = {
        "make_claim": "on",
        "quote": "",
        "statement": "",
        "source_url": "",
        "article": "",
        "requesters-TOTAL_FORMS": "2",
        "requesters-INITIAL_FORMS": "2",
        "requesters-MIN_NUM_FORMS": "0",
        "requesters-MAX_NUM_FORMS": "1000",
    }
    for n, requester in enumerate(requesters):
        form[f"requesters-{n}-id"] = str(requester.pk)
        form[f"requesters-{n}-request"] = str(request.pk)
    response = client.post(page, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    request.refresh_from_db()
    assert request.status == "claimed"
    claim = request.claim
    assert claim is not None and claim.quote == text and claim.status == "accepted"
    assert claim.article.source_url == "https://example.org/a"
    assert claim.article.status == Article.Status.PUBLISHED
    assert set(claim.check_requests.get().requesters.values_list("user__username", flat=True)) == {
        "alice",
        "bob",
    }


def test_converting_onto_an_article_and_refusals(editor: Any, alice: Any) -> None:
    article = ArticleFactory(body="Intro. Offshore wind produces 10% of Brittany's power. End.")
    request = CheckRequest.objects.create(
        text="Offshore wind produces 10% of Brittany's power.", language="en"
    )
    CheckRequester.objects.create(request=request, user=alice, text=request.text)
    with pytest.raises(Exception, match="editors"):
        check_request_convert(request=request, by=alice, article=article)
    claim = check_request_convert(request=request, by=editor, article=article)
    assert claim.article == article and claim.start == article.body.index("Offshore")
    with pytest.raises(Exception, match="closed"):
        check_request_convert(request=request, by=editor, article=article)


def test_dismissing_requests(client: Any, editor: Any, alice: Any, login: Any) -> None:
    check_request_submit(by=alice, text="Not a claim at all, just hello.")
    login(editor)
    client.post(
        reverse("admin:claims_checkrequest_changelist"),
        {"action": "dismiss", "_selected_action": [CheckRequest.objects.get().pk]},
    )
    assert CheckRequest.objects.get().status == "dismissed"

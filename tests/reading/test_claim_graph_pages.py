"""The claim graph on the reader's pages: the same claim elsewhere, related claims, the
family's evidence, the article page's mark, and "Has this been checked?" with its check
requests."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import CheckRequest, CheckRequester, Claim
from claims.services import claim_link_confirm
from tests.claims.similarity_helpers import claim_on_article
from tests.factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db

FRENCH = "Le nucléaire a fourni environ 65 % de l’électricité française en 2023."
STATEMENT = "Nuclear power supplied about 65% of French electricity in 2023."
ENGLISH = "Nuclear plants generated roughly 65% of France's electricity in 2023."


def _publish(claim: Claim, verdict: str = "accurate") -> Claim:
    Claim.objects.filter(pk=claim.pk).update(
        status="published",
        verdict=verdict,
        verdict_summary="RTE, 2023.",
        verdict_as_of="2025-01-01",
    )
    claim.refresh_from_db()
    return claim


@pytest.fixture
def family(editor: Any) -> tuple[Claim, Claim]:
    french = _publish(
        claim_on_article(FRENCH, language="fr", statement=STATEMENT, title="Le billet")
    )
    english = claim_on_article(ENGLISH, status="accepted", title="The post")
    claim_link_confirm(claim=english, other=french, by=editor)
    english.refresh_from_db()
    return french, english


def test_the_claim_page_shows_the_family_with_its_verdicts_and_evidence(
    client: Any, family: tuple[Claim, Claim]
) -> None:
    french, english = family
    EvidenceFactory(claim=french, title="RTE Bilan électrique 2023", url="https://example.org/rte")
    page = client.get(english.get_absolute_url()).content.decode()
    assert "The same claim elsewhere" in page
    assert f'data-claim="{french.pk}"' in page
    assert "Le billet" in page and ">fr<" in page
    assert "verdict--accurate" in page
    assert "On the same claim in “Le billet”" in page
    assert "RTE Bilan électrique 2023" in page


def test_related_claims_are_published_ones_outside_the_family(
    client: Any, family: tuple[Claim, Claim]
) -> None:
    french, english = family
    other_year = _publish(
        claim_on_article("Nuclear power supplied about 75% of French electricity in 2005.")
    )
    unpublished = claim_on_article(
        "Nuclear power supplied about 70% of French electricity in 2010.", status="accepted"
    )
    page = client.get(english.get_absolute_url()).content.decode()
    related = page.split("Related claims", 1)[1]
    assert f'data-claim="{other_year.pk}"' in related
    assert f'data-claim="{unpublished.pk}"' not in related
    assert f'data-claim="{french.pk}"' not in related  # already in the family section


def test_a_reader_sees_no_verdict_of_an_unpublished_member(
    client: Any, family: tuple[Claim, Claim]
) -> None:
    french, english = family
    Claim.objects.filter(pk=english.pk).update(verdict="misleading", verdict_summary="secret")
    page = client.get(french.get_absolute_url()).content.decode()
    assert f'data-claim="{english.pk}"' in page
    assert "verdict--misleading" not in page and "Under review" in page


def test_the_article_page_marks_a_claim_checked_elsewhere(
    client: Any, family: tuple[Claim, Claim]
) -> None:
    french, english = family
    page = client.get(english.article.get_absolute_url()).content.decode()
    assert "Checked elsewhere" in page
    own = client.get(french.article.get_absolute_url()).content.decode()
    assert "Checked elsewhere" not in own  # its family has no other published verdict


def _count(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_a_family_of_20_and_10_related_cost_two_queries_more(
    client: Any, alice: Any, login: Any, editor: Any, settings: Any
) -> None:
    settings.SIMILARITY_INDEX_CHECK_SECONDS = 3600
    login(alice)
    lonely = ClaimFactory()
    for _ in range(3):
        EvidenceFactory(claim=lonely)
    _count(client, lonely.get_absolute_url())  # the index, loaded once per process
    before = _count(client, lonely.get_absolute_url())

    lead = _publish(claim_on_article(ENGLISH))
    for _ in range(3):
        EvidenceFactory(claim=lead)
    for _ in range(20):
        member = ClaimFactory()
        EvidenceFactory(claim=member)
        claim_link_confirm(claim=lead, other=member, by=editor)
    for year in range(2000, 2010):
        _publish(
            claim_on_article(
                f"Nuclear power supplied about {year - 1930}% of French electricity in {year}."
            )
        )
    settings.SIMILARITY_INDEX_CHECK_SECONDS = 0
    client.get(lead.get_absolute_url())  # the index catches up with the new claims
    settings.SIMILARITY_INDEX_CHECK_SECONDS = 3600
    after = _count(client, lead.get_absolute_url())
    page = client.get(lead.get_absolute_url()).content.decode()
    assert page.count('class="claim-link"') + page.count("claim-link claim-link--") >= 20 + 6
    assert after <= before + 2, (before, after)


def test_check_is_a_search_mode_and_a_page(client: Any) -> None:
    french = _publish(claim_on_article(FRENCH, language="fr", statement=STATEMENT))
    for path in ("/check/", "/search/"):
        params = {"q": ENGLISH} if path == "/check/" else {"q": ENGLISH, "mode": "check"}
        page = client.get(path, params).content.decode()
        assert "Yes: it has been checked" in page
        assert f'data-claim="{french.pk}" data-match="same"' in page
        assert "verdict--accurate" in page
        assert "Ask the editors" not in page


def test_nothing_found_offers_a_check_request_to_signed_in_readers(
    client: Any, alice: Any, login: Any
) -> None:
    page = client.get("/check/", {"q": "Moderate drinking protects the heart."}).content.decode()
    assert "Nothing checked matches it yet" in page
    assert "Sign in" in page and "Send it to the editors" not in page
    login(alice)
    page = client.get("/check/", {"q": "Moderate drinking protects the heart."}).content.decode()
    assert "Send it to the editors" in page


def test_a_long_text_is_refused_on_the_page(client: Any) -> None:
    page = client.get("/check/", {"q": "x" * 5000}).content.decode()
    assert "At most 1000 characters" in page


def test_check_requests_group_repeats_and_count_each_reader_once(
    client: Any, alice: Any, bob: Any, login: Any
) -> None:
    login(alice)
    text = "Les éoliennes en mer produisent 10 % de l’électricité de la Bretagne."
    response = client.post(
        "/check/request/",
        {"text": text, "url": "https://example.org/post", "note": "seen on a forum"},
    )
    assert response.status_code == 302
    client.post("/check/request/", {"text": text})  # again: counted once
    login(bob)
    client.post(
        "/check/request/",
        {"text": "Offshore wind farms produce 10% of the electricity of Brittany."},
    )
    request = CheckRequest.objects.get()
    assert request.requester_count == 2
    assert set(request.requesters.values_list("user__username", flat=True)) == {"alice", "bob"}
    assert CheckRequester.objects.get(user=alice).url == "https://example.org/post"
    client.post(
        "/check/request/",
        {"text": "Offshore wind farms produce 30% of the electricity of Brittany."},
    )
    assert CheckRequest.objects.count() == 2  # other figures: another request


def test_check_requests_need_a_sign_in_and_are_rate_limited(
    client: Any, alice: Any, login: Any, settings: Any
) -> None:
    response = client.post("/check/request/", {"text": "Something to check."})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not CheckRequest.objects.exists()
    settings.CHECK_REQUEST_RATE = "2/h"
    login(alice)
    for i in range(2):
        client.post("/check/request/", {"text": f"Claim number {i} about sport in 19{i}9."})
    response = client.post("/check/request/", {"text": "A third one about sport in 1999."})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "A third one about sport" in response.content.decode()  # the text stays
    response = client.post("/check/request/", {"text": "x", "url": "javascript:alert(1)"})
    assert response.status_code in (400, 429)

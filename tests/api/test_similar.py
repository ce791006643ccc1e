"""The claim graph in the API: similar claims of a claim or of a text, the claim's family,
every appearance in ClaimReview."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from claims.services import claim_link_confirm
from tests.claims.similarity_helpers import claim_on_article
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

FRENCH = "Le nucléaire a fourni environ 65 % de l’électricité française en 2023."
STATEMENT = "Nuclear power supplied about 65% of French electricity in 2023."
ENGLISH = "Nuclear plants generated roughly 65% of France's electricity in 2023."
ROW = {
    "claim", "url", "api_url", "article", "article_title", "article_url", "language", "quote",
    "statement", "status", "verdict", "score", "match",
}  # fmt: skip


@pytest.fixture
def french() -> Claim:
    return claim_on_article(FRENCH, language="fr", statement=STATEMENT)


def test_similar_to_a_text_lists_rows_best_first(api: Any, french: Claim) -> None:
    claim_on_article("Nuclear plants generated roughly 70% of France's electricity in 2005.")
    response = api.get("/api/v1/claims/similar/", {"text": ENGLISH})
    assert response.status_code == 200
    rows = response.json()
    assert set(rows[0]) == ROW
    assert rows[0]["claim"] == french.pk
    assert rows[0]["match"] == "same"
    assert rows[0]["language"] == "fr"
    assert rows[0]["url"].endswith(f"/claims/{french.pk}/")
    assert rows[1]["match"] == "related"  # other figures, other year


def test_similar_to_a_claim(api: Any, french: Claim) -> None:
    english = claim_on_article(ENGLISH)
    rows = api.get(f"/api/v1/claims/{english.pk}/similar/").json()
    assert [row["claim"] for row in rows] == [french.pk]
    assert api.get(f"/api/v1/claims/{english.pk}/similar/?limit=0").status_code == 400


def test_readers_get_published_claims_only_and_editors_the_rest(
    api: Any, session: Any, editor: Any, french: Claim
) -> None:
    draft = claim_on_article(ENGLISH, status="in_review")
    rejected = claim_on_article(
        "Nuclear generated about 65% of France's electricity in 2023, RTE says.",
        status="rejected",
    )
    public = [row["claim"] for row in api.get("/api/v1/claims/similar/", {"text": ENGLISH}).json()]
    assert draft.pk not in public and rejected.pk not in public and french.pk in public
    mine = [
        row["claim"]
        for row in session(editor).get("/api/v1/claims/similar/", {"text": ENGLISH}).json()
    ]
    assert draft.pk in mine and rejected.pk not in mine
    # a claim readers cannot see has no similar list for them
    unseen = claim_on_article(STATEMENT, article_status="draft")
    assert api.get(f"/api/v1/claims/{unseen.pk}/similar/").status_code == 404
    assert session(editor).get(f"/api/v1/claims/{unseen.pk}/similar/").status_code == 200


def test_a_long_text_is_refused_naming_the_limit(api: Any, settings: Any) -> None:
    response = api.get("/api/v1/claims/similar/", {"text": "x" * 100_000})
    assert response.status_code == 400
    body = response.json()
    assert "1000" in str(body["errors"]["text"])
    assert api.get("/api/v1/claims/similar/").status_code == 400
    assert api.get("/api/v1/claims/similar/", {"text": "  "}).status_code == 400


def test_the_claim_detail_lists_its_visible_family(api: Any, session: Any, editor: Any) -> None:
    a, b = ClaimFactory(), ClaimFactory()
    hidden = ClaimFactory(article=ArticleFactory(status="draft"))
    claim_link_confirm(claim=a, other=b, by=editor)
    claim_link_confirm(claim=a, other=hidden, by=editor)
    family = api.get(f"/api/v1/claims/{a.pk}/").json()["family"]
    assert [member["id"] for member in family] == [b.pk]
    assert family[0]["url"].endswith(f"/claims/{b.pk}/")
    assert family[0]["api_url"].endswith(f"/api/v1/claims/{b.pk}/")
    as_editor = session(editor).get(f"/api/v1/claims/{a.pk}/").json()["family"]
    assert {member["id"] for member in as_editor} == {b.pk, hidden.pk}
    assert api.get(f"/api/v1/claims/{ClaimFactory().pk}/").json()["family"] == []


def _queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_family(api: Any, editor: Any, settings: Any) -> None:
    settings.SIMILARITY_INDEX_CHECK_SECONDS = 3600
    lead = claim_on_article(ENGLISH)
    small = [ClaimFactory() for _ in range(2)]
    for member in small:
        claim_link_confirm(claim=lead, other=member, by=editor)
    api.get(f"/api/v1/claims/{lead.pk}/similar/")  # loads the index
    counts_small = [
        _queries(api, f"/api/v1/claims/{lead.pk}/"),
        _queries(api, f"/api/v1/claims/{lead.pk}/similar/"),
        _queries(api, "/api/v1/claims/?page_size=50"),
    ]
    for _ in range(20):
        claim_link_confirm(claim=lead, other=ClaimFactory(), by=editor)
    counts_large = [
        _queries(api, f"/api/v1/claims/{lead.pk}/"),
        _queries(api, f"/api/v1/claims/{lead.pk}/similar/"),
        _queries(api, "/api/v1/claims/?page_size=50"),
    ]
    assert counts_large == counts_small


def test_claimreview_lists_every_appearance(api: Any, editor: Any) -> None:
    first = ClaimFactory(
        article=ArticleFactory(title="Le billet", language="fr", published_at="2025-12-08T10:00Z")
    )
    second = ClaimFactory(
        article=ArticleFactory(title="The post", published_at="2025-12-12T10:00Z")
    )
    Claim.objects.filter(pk__in=[first.pk, second.pk]).update(
        verdict="misleading", verdict_summary="One option among several."
    )
    claim_link_confirm(claim=first, other=second, by=editor)
    review = api.get(f"/claims/{second.pk}/claimreview.json").json()
    appearances = review["itemReviewed"]["appearance"]
    assert [a["headline"] for a in appearances] == ["Le billet", "The post"]
    assert [a["inLanguage"] for a in appearances] == ["fr", "en"]
    assert review["itemReviewed"]["firstAppearance"]["headline"] == "Le billet"
    via_api = api.get(f"/api/v1/claims/{second.pk}/claimreview/").json()
    assert via_api["itemReviewed"]["appearance"] == appearances
    alone = api.get(f"/claims/{ClaimFactory().pk}/claimreview.json").json()
    assert alone["itemReviewed"]["appearance"]["@type"] == "CreativeWork"

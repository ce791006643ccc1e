"""Similar claims end to end, with the real encoder: a translation is the same claim, other
figures make it related, rejected claims are never matched and drafts only for editors."""

from __future__ import annotations

from typing import Any

import pytest

from claims.models import Claim, ClaimEmbedding
from claims.selectors import similar_to_claim, similar_to_text
from claims.services import claim_update, claims_accept, claims_embed, claims_reject
from claims.similarity.matching import Match
from tests.claims.similarity_helpers import claim_on_article

pytestmark = pytest.mark.django_db

FRENCH = "Les centres de données ont consommé environ 415 TWh d’électricité dans le monde en 2024."
STATEMENT = "Data centres used about 415 TWh of electricity worldwide in 2024."
ENGLISH = "Around 415 terawatt-hours of electricity went to data centres worldwide in 2024."
OTHER_FIGURES = "Data centres used about 460 TWh of electricity worldwide in 2022."
UNRELATED = "Moderate drinking protects the heart."


@pytest.fixture
def french() -> Claim:
    return claim_on_article(FRENCH, language="fr", statement=STATEMENT, title="Les centres")


def test_an_english_translation_finds_the_french_claim_first_as_the_same(french: Claim) -> None:
    claim_on_article(OTHER_FIGURES)
    claim_on_article(UNRELATED)
    found = similar_to_text(text=ENGLISH, user=None)
    assert found[0].claim == french
    assert found[0].match == Match.SAME
    assert 0 < found[0].score <= 1


def test_the_same_sentence_with_other_figures_is_related_not_same(french: Claim) -> None:
    other = claim_on_article(OTHER_FIGURES)
    found = {s.claim: s for s in similar_to_claim(claim=french, user=None)}
    assert found[other].match == Match.RELATED
    assert found[other].figures_differ
    assert found[other].score > 0.6  # the embedding alone would have called it the same


def test_an_unrelated_claim_is_not_listed(french: Claim) -> None:
    unrelated = claim_on_article(UNRELATED)
    assert unrelated not in [s.claim for s in similar_to_claim(claim=french, user=None)]


def test_a_claim_is_not_similar_to_itself(french: Claim) -> None:
    assert french not in [s.claim for s in similar_to_claim(claim=french, user=None)]


def test_rejected_claims_are_never_matched(french: Claim, editor: Any) -> None:
    english = claim_on_article(ENGLISH, status="accepted")
    claims_reject(claims=[english], by=editor)
    assert english not in [s.claim for s in similar_to_claim(claim=french, user=editor)]
    assert english not in [s.claim for s in similar_to_text(text=ENGLISH, user=editor)]
    claims_accept(claims=[english], by=editor)
    assert english in [s.claim for s in similar_to_text(text=ENGLISH, user=editor)]


def test_drafts_are_for_editors_only(french: Claim, editor: Any, alice: Any) -> None:
    draft = claim_on_article(ENGLISH, status="accepted")
    on_draft_article = claim_on_article(
        "Data centres consumed roughly 415 TWh worldwide in 2024.", article_status="draft"
    )
    for_readers = [s.claim for s in similar_to_claim(claim=french, user=alice)]
    for_editors = [s.claim for s in similar_to_claim(claim=french, user=editor)]
    assert draft not in for_readers and on_draft_article not in for_readers
    assert draft in for_editors and on_draft_article in for_editors
    # editors can ask for what readers see
    assert draft not in [s.claim for s in similar_to_claim(claim=french, user=editor, drafts=False)]


def test_a_claim_not_embedded_yet_has_no_similar_claims(french: Claim) -> None:
    ClaimEmbedding.objects.filter(claim=french).delete()
    french.refresh_from_db()
    assert similar_to_claim(claim=french, user=None) == []


def test_unchanged_text_is_not_embedded_again_and_a_new_statement_is(
    french: Claim, editor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert claims_embed(claims=[french]).embedded == []
    before = ClaimEmbedding.objects.get(claim=french)
    with django_capture_on_commit_callbacks(execute=True):  # the embedding job, run eagerly
        claim_update(claim=french, statement="Data centres used 415 TWh in 2024.", by=editor)
    after = ClaimEmbedding.objects.get(claim=french)
    assert after.text_hash != before.text_hash
    assert after.statement_vector != before.statement_vector
    assert after.index_seq > before.index_seq

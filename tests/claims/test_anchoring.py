"""Claims re-anchor by their quote when the article body is edited; none is ever dropped."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim
from claims.services import claim_create
from editorial.services.articles import article_update_body
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

A = "France produced about 65 % of its electricity from nuclear power in 2023."
B = "Data centres used around 415 TWh of electricity worldwide in 2024."
C = "Grids will not keep up with what is coming."


def _article(*sentences: str):  # type: ignore[no-untyped-def]
    return ArticleFactory(body=" ".join(sentences))


def _claims(article, *quotes: str) -> list[Claim]:  # type: ignore[no-untyped-def]
    return [claim_create(article=article, quote=q) for q in quotes]


def _anchored_correctly(claim: Claim) -> bool:
    claim.refresh_from_db()
    return claim.article.body[claim.start : claim.end] == claim.quote


def test_claims_after_an_insertion_move_with_their_text() -> None:
    article = _article(A, B, C)
    a, b, c = _claims(article, A, B, C)

    report = article_update_body(article=article, body=f"Intro sentence added here. {A} {B} {C}")

    for claim in (a, b, c):
        assert _anchored_correctly(claim)
        assert claim.anchor_status == Claim.Anchor.MOVED
    assert len(report.moved) == 3 and not report.lost


def test_an_edit_after_a_claim_leaves_it_untouched() -> None:
    article = _article(A, B)
    (a,) = _claims(article, A)
    history_before = a.history.count()

    report = article_update_body(article=article, body=f"{A} {B} And one more line.")

    a.refresh_from_db()
    assert (a.start, a.anchor_status) == (0, Claim.Anchor.EXACT)
    assert report.unchanged == 1 and a.history.count() == history_before


def test_the_nearest_exact_occurrence_wins() -> None:
    article = ArticleFactory(body=f"{C} Filler one. {C} Filler two.")
    second = claim_create(article=article, quote=C, start=len(C) + len(" Filler one. "))

    article_update_body(article=article, body=f"{C} Filler one, longer now. {C} Filler two.")

    assert _anchored_correctly(second)
    assert second.start == article.body.rindex(C)


def test_a_lightly_edited_quote_follows_the_close_match() -> None:
    article = _article(A, B, C)
    _a, b, _c = _claims(article, A, B, C)
    edited = "Data centres used about 415 TWh of electricity worldwide in 2024."

    report = article_update_body(article=article, body=f"{A} {edited} {C}")

    assert _anchored_correctly(b)
    assert (b.quote, b.anchor_status) == (edited, Claim.Anchor.FUZZY)
    assert report.fuzzy == [b]
    assert b.history.first().history_change_reason.startswith("Re-anchored to a close match")
    assert b.history.all()[1].quote == B  # the old quote stays in the record


def test_a_moved_and_edited_sentence_is_found_by_similarity() -> None:
    article = _article(A, B, C)
    (b,) = _claims(article, B)
    edited = "Data centres used around 415 TWh of power worldwide in 2024."

    article_update_body(article=article, body=f"{C}\n\n{A}\n\n{edited}")

    assert _anchored_correctly(b)
    assert b.quote == edited


def test_a_removed_quote_is_flagged_never_dropped() -> None:
    article = _article(A, B, C)
    a, b, c = _claims(article, A, B, C)

    report = article_update_body(article=article, body=f"{A} Something else entirely. {C}")

    b.refresh_from_db()
    assert Claim.objects.filter(article=article).count() == 3
    assert b.anchor_status == Claim.Anchor.LOST and b.quote == B
    assert b.start >= len(article.body) and b.end == b.start + len(B)  # parked past the text
    assert report.lost == [b]
    assert _anchored_correctly(a) and _anchored_correctly(c)
    assert b.history.first().history_change_reason.startswith("Quote not found")


def test_a_lost_claim_anchors_again_when_its_text_returns() -> None:
    article = _article(A, B, C)
    (b,) = _claims(article, B)
    article_update_body(article=article, body=f"{A} {C}")
    b.refresh_from_db()
    assert b.anchor_status == Claim.Anchor.LOST

    article_update_body(article=article, body=f"{C} {B}")

    assert _anchored_correctly(b) and b.anchor_status == Claim.Anchor.MOVED


def test_two_claims_swapping_places_do_not_collide() -> None:
    article = _article(A, B)
    a, b = _claims(article, A, B)

    article_update_body(article=article, body=f"{B} {A}")

    assert _anchored_correctly(a) and _anchored_correctly(b)
    assert a.start > b.start


def test_many_lost_claims_get_distinct_parked_spans() -> None:
    article = _article(A, B, C)
    claims = _claims(article, A, B, C)

    article_update_body(article=article, body="A completely different text now.")

    spans = set()
    for claim in claims:
        claim.refresh_from_db()
        assert claim.anchor_status == Claim.Anchor.LOST
        spans.add((claim.start, claim.end))
    assert len(spans) == 3


def test_an_empty_body_is_refused_and_nothing_changes() -> None:
    article = _article(A)
    (a,) = _claims(article, A)

    with pytest.raises(ValidationError):
        article_update_body(article=article, body="   ")

    article.refresh_from_db()
    a.refresh_from_db()
    assert article.body == A and a.anchor_status == Claim.Anchor.EXACT


def test_a_long_article_with_many_claims_re_anchors_each_one() -> None:
    sentences = [
        f"Plant number {i} produced {i * 3} TWh of electricity in {1990 + i % 30}."
        for i in range(300)
    ]
    article = ArticleFactory(body="\n".join(sentences))
    claims = _claims(article, *sentences[::3])
    edited = list(sentences)
    edited.insert(150, "A paragraph added in the middle of the text.")
    edited[30] = edited[30].replace("produced", "generated")  # claim 10's quote, lightly edited
    del edited[60]  # claim 20's quote removed

    report = article_update_body(article=article, body="\n".join(edited))

    assert len(report.lost) == 1 and report.lost[0].quote == sentences[60]
    assert [c.quote for c in report.fuzzy] == [edited[30]]
    for claim in claims:
        claim.refresh_from_db()
        if claim.anchor_status != Claim.Anchor.LOST:
            assert claim.article.body[claim.start : claim.end] == claim.quote

"""A claim whose quote was edited out of the article (anchor `lost`): its page says so and
shows the quote on its own; the article neither highlights it nor points into the text."""

from __future__ import annotations

import pytest

from claims.models import Claim
from editorial.services.articles import article_update_body
from reading.highlighting import Highlight, highlight_body
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

SECOND = "Data centres used around 415 TWh of electricity worldwide in 2024."


def _lose_second_sentence(article, editor):  # type: ignore[no-untyped-def]
    start = article.body.index(SECOND)
    lost = ClaimFactory(article=article, start=start, end=start + len(SECOND))
    kept = ClaimFactory(article=article)  # the first sentence
    article_update_body(article=article, body=article.body.replace(SECOND + " ", ""), by=editor)
    lost.refresh_from_db()
    kept.refresh_from_db()
    assert lost.anchor_status == Claim.Anchor.LOST
    assert lost.start > len(article.body)
    assert kept.anchor_status != Claim.Anchor.LOST
    return lost, kept


def test_claim_page_of_a_lost_quote_says_so_and_shows_the_quote_alone(client, article, editor):
    lost, _kept = _lose_second_sentence(article, editor)
    page = client.get(lost.get_absolute_url()).content.decode()
    assert "no longer found in the article’s current text" in page
    assert "awaiting an editor’s review" in page
    start = page.index('id="quote"')
    quote_block = page[start : page.index("</blockquote>", start)]
    assert SECOND in quote_block
    # no context: not the end of the article glued to it, and nothing highlighted
    assert "Grids will not keep up" not in quote_block
    assert '<mark class="claim" id="quote">' not in page


def test_article_page_does_not_highlight_a_lost_claim_and_flags_its_card(client, article, editor):
    lost, kept = _lose_second_sentence(article, editor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'data-claim="{kept.pk}"' in page
    assert f'data-claim="{lost.pk}"' not in page
    assert page.count("<mark ") == 1
    assert "1 claim is highlighted in the text" in page
    card = page[page.index('id="card-2"') :]
    card = card[: card.index("</li>")]
    assert "needs review" in card
    assert 'href="#claim-2"' not in card
    assert f'href="/claims/{lost.pk}/"' in card


def test_claim_page_of_an_anchored_quote_still_shows_its_context(client, article):
    claim = ClaimFactory(article=article)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert f'<mark class="claim" id="quote">{claim.quote}</mark>' in page
    assert "no longer found" not in page


def test_highlighting_drops_a_span_parked_past_the_end_of_the_text():
    body = "One sentence. Another one."
    parked = len(body) + 1
    html = highlight_body(
        body, [Highlight(1, 10, 0, 13), Highlight(2, 11, parked, parked + 20, "accurate")]
    )
    assert 'data-claim="10"' in html
    assert 'data-claim="11"' not in html
    assert html.count("<mark") == 1

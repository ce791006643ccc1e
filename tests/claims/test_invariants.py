from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Claim, ClaimSeries
from discussions.models import Reaction
from energy.models import Observation
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    CommentFactory,
    ObservationFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db


def test_claim_quote_must_match_the_body_at_its_offsets():
    article = ArticleFactory(body="Nuclear power is 65 % of French electricity.")
    claim = Claim(article=article, quote="Nuclear power", start=1, end=14)
    with pytest.raises(ValidationError, match="does not match"):
        claim.full_clean()
    claim.start, claim.end = 0, 13
    claim.full_clean()


def test_database_refuses_a_span_whose_length_differs_from_the_quote():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(article=article, quote="France", start=0, end=10)


def test_database_refuses_an_empty_or_reversed_span():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(article=article, quote="", start=5, end=5)


def test_two_claims_cannot_share_a_span():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            article=claim.article, quote=claim.quote, start=claim.start, end=claim.end
        )


def test_unknown_verdict_is_refused():
    claim = ClaimFactory(verdict="half-true")
    with pytest.raises(ValidationError, match="verdict"):
        claim.full_clean()


def test_one_observation_per_series_and_period():
    obs = ObservationFactory(period=dt.date(2023, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(series=obs.series, period=dt.date(2023, 1, 1), value=2.0)


def test_a_series_is_linked_to_a_claim_once():
    claim, series = ClaimFactory(), SeriesFactory()
    ClaimSeries.objects.create(claim=claim, series=series)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimSeries.objects.create(claim=claim, series=series)


def test_a_user_likes_a_comment_once(alice):
    comment = CommentFactory()
    Reaction.objects.create(user=alice, comment=comment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(user=alice, comment=comment)


def test_a_comment_needs_an_author_or_an_external_handle():
    article = ArticleFactory()
    from discussions.models import Comment

    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(article=article, body="anonymous")

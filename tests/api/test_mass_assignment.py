"""Serializers never take what the server decides (author, status, verdict, counts,
timestamps): a body that tries is refused with 400 naming each such field, and nothing is
written. The same body without them goes through and the server sets those values."""

from __future__ import annotations

import pytest

from claims.models import Claim, Evidence
from discussions.models import Comment

pytestmark = pytest.mark.django_db

FORGED_TIMES = {
    "created_at": "2000-01-01T00:00:00Z",
    "updated_at": "2000-01-01T00:00:00Z",
    "published_at": "2000-01-01T00:00:00Z",
}


def refused(response, *fields):  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body["errors"]) == set(fields)
    return body


def test_claim_create_refuses_status_verdict_and_timestamps(as_role, corpus):
    client = as_role("integrator")
    clean = {"article": corpus.article.pk, "quote": "Grids will not keep up"}
    forged = {
        "status": "published",
        "verdict": "accurate",
        "verdict_summary": "forged",
        "anchor_status": "lost",
        "id": 9999,
        "popularity": 3,
        **FORGED_TIMES,
    }
    before = Claim.objects.count()

    body = refused(client.post("/api/v1/claims/", {**clean, **forged}, format="json"), *forged)

    assert body["errors"]["popularity"] == ["Unknown field: this endpoint does not take it."]
    assert body["errors"]["status"] == ["Read-only field: it cannot be set or changed here."]
    assert Claim.objects.count() == before
    response = client.post("/api/v1/claims/", clean, format="json")
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(pk=response.json()["id"])
    assert claim.pk != 9999
    assert claim.status == Claim.Status.ACCEPTED
    assert (claim.verdict, claim.verdict_summary, claim.published_at) == ("", "", None)
    assert claim.anchor_status == Claim.Anchor.EXACT
    assert claim.created_at.year > 2000


def test_claim_update_cannot_move_the_span_or_publish(as_role, corpus):
    before = Claim.objects.get(pk=corpus.other_claim.pk)
    client = as_role("editor")
    forged = {
        "quote": "Grids",
        "start": 0,
        "end": 5,
        "article": corpus.draft_article.pk,
        "status": "published",
        "verdict": "inaccurate",
    }
    url = f"/api/v1/claims/{before.pk}/"

    refused(client.patch(url, {**forged, "statement": "Kept"}, format="json"), *forged)

    assert Claim.objects.get(pk=before.pk).statement == before.statement
    response = client.patch(url, {"statement": "Kept"}, format="json")
    assert response.status_code == 200, response.content
    after = Claim.objects.get(pk=before.pk)
    assert (after.quote, after.start, after.end, after.article_id) == (
        before.quote,
        before.start,
        before.end,
        before.article_id,
    )
    assert (after.status, after.verdict) == (before.status, before.verdict)
    assert after.statement == "Kept"


def test_evidence_added_by_and_link_health_come_from_the_server(as_role, corpus, integrator, bob):
    client = as_role("integrator")
    clean = {"claim": corpus.claim.pk, "url": "https://example.org/ember", "stance": "refutes"}
    forged = {
        "added_by": bob.pk,
        "ok": True,
        "http_status": 200,
        "last_checked_at": "2000-01-01T00:00:00Z",
        "archived_at": "2000-01-01T00:00:00Z",
        **FORGED_TIMES,
    }

    refused(client.post("/api/v1/evidence/", {**clean, **forged}, format="json"), *forged)

    assert not Evidence.objects.filter(url="https://example.org/ember").exists()
    response = client.post("/api/v1/evidence/", clean, format="json")
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(url="https://example.org/ember")
    assert evidence.added_by == integrator
    assert (evidence.ok, evidence.http_status, evidence.last_checked_at) == (None, None, None)
    assert evidence.archived_at is None


def test_comment_author_status_and_counts_come_from_the_server(session, corpus, alice, bob):
    client = session(alice)
    clean = {"article": corpus.article.pk, "body": "Mine"}
    forged = {
        "author": bob.pk,
        "status": "hidden",
        "like_count": 500,
        "depth": 7,
        "root": corpus.comment.pk,
        "external_author": "someone",
        "edited_at": "2000-01-01T00:00:00Z",
        "body_html": "<script>alert(1)</script>",
        **FORGED_TIMES,
    }
    before = Comment.objects.count()

    refused(client.post("/api/v1/comments/", {**clean, **forged}, format="json"), *forged)

    assert Comment.objects.count() == before
    response = client.post("/api/v1/comments/", clean, format="json")
    assert response.status_code == 201, response.content
    comment = Comment.objects.get(pk=response.json()["id"])
    assert comment.author == alice
    assert comment.status == Comment.Status.VISIBLE
    assert (comment.like_count, comment.depth, comment.root_id, comment.parent_id) == (
        0,
        0,
        None,
        None,
    )
    assert comment.external_author == ""
    assert comment.edited_at is None
    assert "<script>" not in comment.body_html


def test_comment_edit_cannot_move_it_to_another_article(session, corpus, alice):
    client = session(alice)
    url = f"/api/v1/comments/{corpus.comment.pk}/"
    forged = {
        "article": corpus.draft_article.pk,
        "parent": corpus.reply.pk,
        "status": "visible",
        "like_count": 3,
    }

    refused(client.patch(url, {"body": "Edited", **forged}, format="json"), *forged)

    assert Comment.objects.get(pk=corpus.comment.pk).edited_at is None
    response = client.patch(url, {"body": "Edited"}, format="json")
    assert response.status_code == 200, response.content
    comment = Comment.objects.get(pk=corpus.comment.pk)
    assert (comment.article_id, comment.parent_id, comment.like_count) == (
        corpus.article.pk,
        None,
        0,
    )
    assert comment.body == "Edited"
    assert comment.edited_at is not None


def test_token_owner_and_usage_come_from_the_server(session, alice, bob):
    client = session(alice)
    clean = {"name": "ci", "scopes": ["read"]}
    forged = {
        "user": bob.pk,
        "last_used_at": "2000-01-01T00:00:00Z",
        "revoked_at": None,
        "prefix": "assay_forged",
    }

    refused(client.post("/api/v1/tokens/", {**clean, **forged}, format="json"), *forged)

    assert not alice.api_tokens.exists()
    response = client.post("/api/v1/tokens/", clean, format="json")
    assert response.status_code == 201, response.content
    token = alice.api_tokens.get()
    assert token.last_used_at is None
    assert not token.prefix.startswith("assay_forged")
    assert not bob.api_tokens.exists()

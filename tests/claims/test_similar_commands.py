"""similar_claims (the editors' tool) and reindex_claims."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from claims.models import ClaimEmbedding
from tests.claims.similarity_helpers import claim_on_article
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

FRENCH = "Celui qui contrôle l’approvisionnement en énergie contrôle le développement de l’IA."


def _run(*args: str) -> str:
    out = StringIO()
    call_command("similar_claims", *args, stdout=out)
    return out.getvalue()


def test_an_english_translation_finds_the_french_claim_first_as_json() -> None:
    french = claim_on_article(FRENCH, language="fr", status="accepted", title="La course")
    claim_on_article("Moderate drinking protects the heart.")
    rows = json.loads(
        _run("--text", "Whoever controls the energy supply controls AI development.", "--json")
    )
    assert rows[0]["claim"] == french.pk
    assert rows[0]["match"] == "same"
    assert 0 < rows[0]["score"] <= 1
    assert rows[0]["language"] == "fr"
    assert rows[0]["quote"] == FRENCH
    assert rows[0]["article"] == french.article_id
    assert {"url", "statement", "article_title"} <= set(rows[0])
    assert [r["score"] for r in rows if r["match"] == "related"] == sorted(
        [r["score"] for r in rows if r["match"] == "related"], reverse=True
    )


def test_by_claim_with_a_limit_and_drafts_included() -> None:
    french = claim_on_article(FRENCH, language="fr", status="accepted", article_status="draft")
    english = claim_on_article(
        "Whoever controls the energy supply controls the development of AI.", status="suggested"
    )
    rows = json.loads(_run("--claim", str(english.pk), "--json", "--limit", "1"))
    assert [row["claim"] for row in rows] == [french.pk]
    assert "same" in _run("--claim", str(english.pk))


def test_nothing_above_the_related_threshold_is_an_empty_list() -> None:
    claim_on_article(FRENCH, language="fr")
    assert json.loads(_run("--text", "Moderate drinking protects the heart.", "--json")) == []


def test_a_missing_claim_and_an_empty_text_are_clear_errors() -> None:
    with pytest.raises(CommandError, match="No claim with id 999"):
        _run("--claim", "999")
    with pytest.raises(CommandError, match="text is empty"):
        _run("--text", "   ")
    with pytest.raises(CommandError):
        _run()


def test_reindex_embeds_what_changed_with_a_progress_bar() -> None:
    article = ArticleFactory()
    claims = [ClaimFactory(article=article)]  # factories skip the embedding job
    out, err = StringIO(), StringIO()
    call_command("reindex_claims", stdout=out, stderr=err)
    assert ClaimEmbedding.objects.filter(claim__in=claims).count() == 1
    assert "1 embedded, 0 unchanged" in out.getvalue()
    assert "[" in err.getvalue() and "1/1" in err.getvalue()
    out = StringIO()
    call_command("reindex_claims", stdout=out, stderr=StringIO())
    assert "0 embedded, 1 unchanged" in out.getvalue()
    out = StringIO()
    call_command("reindex_claims", "--force", "--suggest", stdout=out, stderr=StringIO())
    assert "1 embedded" in out.getvalue() and "suggested" in out.getvalue()


def test_reindex_says_when_the_encoder_cannot_run(settings: Any) -> None:
    settings.SIMILARITY_EMBEDDER = "tests.claims.broken_embedder.BrokenEmbedder"
    ClaimFactory()
    with pytest.raises(CommandError, match="cannot run here"):
        call_command("reindex_claims", stdout=StringIO(), stderr=StringIO())


def test_reindex_with_encoding_workers_stores_the_same_vectors() -> None:
    article = ArticleFactory(
        body="Data centres used 415 TWh in 2024. Nuclear made 65 % of French power. "
        "Bitcoin mining uses as much electricity as Poland."
    )
    claims = [
        ClaimFactory(article=article, start=start, end=article.body.index(".", start) + 1)
        for start in (0, 35, 72)
    ]
    call_command("reindex_claims", "--batch-size", "1", stdout=StringIO(), stderr=StringIO())
    alone = {e.claim_id: bytes(e.quote_vector) for e in ClaimEmbedding.objects.all()}
    out = StringIO()
    call_command(
        "reindex_claims", "--force", "--batch-size", "1", "--workers", "2",
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    assert "3 embedded" in out.getvalue()
    assert {e.claim_id: bytes(e.quote_vector) for e in ClaimEmbedding.objects.all()} == alone
    assert set(alone) == {c.pk for c in claims}

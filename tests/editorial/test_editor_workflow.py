"""The editor's day on the seed article, through admin: suggest, accept, rate, add evidence
(checked against a local server), publish, read the public changelog, then edit the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from pytest_httpserver import HTTPServer

from articles.models import Article
from claims.models import Claim, Evidence
from editorial.services.articles import article_import_post

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "devtools" / "data" / "demo" / "gate-post-fr.txt"
NUCLEAR = "Le nucléaire est peut-être la seule voie"


def _claim_form(claim: Claim, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "article": claim.article_id,
        "status": claim.status,
        "assignee": "",
        "tags": ", ".join(claim.tags.names()),
        "quote": claim.quote,
        "start": claim.start,
        "end": claim.end,
        "statement_en": claim.statement,
        "verdict": claim.verdict,
        "verdict_as_of": "",
        "verdict_summary_en": claim.verdict_summary,
        "change_reason": "",
        "reviewer": "",
        "evidence-TOTAL_FORMS": 0,
        "evidence-INITIAL_FORMS": 0,
        "series_links-TOTAL_FORMS": 0,
        "series_links-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def test_editor_workflow_on_the_seed_article(
    httpserver: HTTPServer,
    editor,
    login,
    client,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    article = article_import_post(raw=SEED.read_bytes(), language="fr").article
    admin = login(editor)

    # 1. suggest, then accept every suggestion in bulk
    admin.post(
        reverse("admin:articles_article_changelist"),
        {"action": "suggest_claims", "_selected_action": [article.pk], "index": 0},
    )
    suggested = list(Claim.objects.filter(article=article, status="suggested"))
    assert len(suggested) >= 6
    admin.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "accept_claims", "_selected_action": [c.pk for c in suggested], "index": 0},
    )
    accepted = Claim.objects.filter(article=article, status="accepted").prefetch_related("tags")
    assert accepted.count() >= 6 and all(c.tags.names() for c in accepted)

    # 2. rate the nuclear claim and add a piece of evidence in the same form
    httpserver.expect_request("/iea").respond_with_data(
        "<html><head><title>Nuclear power and secure energy transitions</title></head><body>"
        "<article><p>Nuclear power is the second-largest source of low-emission electricity "
        "in the world, after hydropower, and supplies about 10 percent of it.</p></article>"
        "</body></html>",
        content_type="text/html",
    )
    claim = next(c for c in accepted if c.quote.startswith(NUCLEAR))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("admin:claims_claim_change", args=[claim.pk]),
            _claim_form(
                claim,
                verdict="misleading",
                verdict_as_of="2025-01-15",
                verdict_summary_en=(
                    "Renewables and storage are other routes; nuclear is one option."
                ),
                change_reason="Compared with IEA scenarios",
                **{
                    "evidence-TOTAL_FORMS": 1,
                    "evidence-0-url": httpserver.url_for("/iea"),
                    "evidence-0-stance": "refutes",
                    "evidence-0-language": "en",
                    "evidence-0-title_en": "",
                    "evidence-0-publisher": "",
                    "evidence-0-excerpt": "",
                    "evidence-0-claim": claim.pk,
                },
            ),
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    evidence = Evidence.objects.get(claim=claim)
    assert evidence.ok is True and evidence.http_status == 200 and evidence.added_by == editor
    assert evidence.title == "Nuclear power and secure energy transitions"
    assert "second-largest source" in evidence.archived_text and evidence.archived_sha256

    # 3. publish, and the reader sees the verdict and why it was set
    admin.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "publish_claims", "_selected_action": [claim.pk], "index": 0},
    )
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    page = client.get(reverse("reading:claim", args=[claim.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Compared with IEA scenarios" in html

    # 4. edit the text: claims follow it or are flagged, none is lost
    before = Claim.objects.filter(article=article).count()
    article.refresh_from_db()
    grids = (
        "Certains sites consomment déjà autant d’énergie que de petites villes, et nous n’en "
        "sommes qu’aux balbutiements du déploiement de l’IA."
    )
    new_body = "Avant-propos de la rédaction.\n\n" + article.body.replace(grids, "")
    from editorial.services.articles import article_update_body

    report = article_update_body(article=article, body=new_body, by=editor)

    article.refresh_from_db()
    assert Claim.objects.filter(article=article).count() == before
    assert len(report.lost) == 1 and report.lost[0].quote == grids.strip()
    for kept in Claim.objects.filter(article=article).exclude(anchor_status="lost"):
        assert article.body[kept.start : kept.end] == kept.quote

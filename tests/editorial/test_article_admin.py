"""The article change page: claims highlighted in the text, spans marked by hand, and edits of
the text that re-anchor claims through the service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article
from claims.models import Claim
from claims.services import claim_create
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

A = "France produced about 65 % of its electricity from nuclear power in 2023."
B = "Data centres used around 415 TWh of electricity worldwide in 2024."
C = "Grids will not keep up with what is coming."


def _form(article: Article, **overrides: object) -> dict[str, object]:
    claims = list(Claim.objects.filter(article=article).order_by("start", "id"))
    data: dict[str, object] = {
        "title": article.title,
        "slug": article.slug,
        "status": article.status,
        "language": article.language,
        "tags": "",
        "body": article.body,
        "source_url": "",
        "source_name": article.source_name,
        "original_author": "",
        "published_at_0": "",
        "published_at_1": "",
        "created_by": "",
        "mark_quote": "",
        "mark_start": "",
        "mark_tags": "",
        "claims-TOTAL_FORMS": len(claims),
        "claims-INITIAL_FORMS": len(claims),
        "claims-MIN_NUM_FORMS": 0,
        "claims-MAX_NUM_FORMS": 1000,
    }
    for index, claim in enumerate(claims):
        data[f"claims-{index}-id"] = claim.pk
        data[f"claims-{index}-article"] = article.pk
        data[f"claims-{index}-assignee"] = claim.assignee_id or ""
    data.update(overrides)
    return data


@pytest.fixture
def article():  # type: ignore[no-untyped-def]
    return ArticleFactory(body=f"{A} {B} {C}")


def test_change_page_highlights_claims_and_loads_the_marking_script(article, editor, login) -> None:  # type: ignore[no-untyped-def]
    claim = claim_create(article=article, quote=B)
    page = login(editor).get(reverse("admin:articles_article_change", args=[article.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="assay-body"' in html
    assert f'title="#{claim.pk} Accepted / Anchored">{B}</mark>' in html
    assert "editorial/admin/claim-marking.js" in html
    assert "<script>" not in html.split('id="assay-body"')[1].split("</div>")[0]


def test_editing_the_body_in_admin_re_anchors_and_flags_claims(article, editor, login) -> None:  # type: ignore[no-untyped-def]
    a, b, c = (claim_create(article=article, quote=q) for q in (A, B, C))
    client = login(editor)

    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        _form(article, body=f"A new opening line.\r\n\r\n{A} {C}"),
        follow=True,
    )

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.body == f"A new opening line.\n\n{A} {C}"
    for claim in (a, b, c):
        claim.refresh_from_db()
    assert article.body[a.start : a.end] == A and a.anchor_status == "moved"
    assert article.body[c.start : c.end] == C
    assert b.anchor_status == "lost" and b.quote == B
    messages = [str(m) for m in response.context["messages"]]
    assert any("need review" in m for m in messages)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert f"#{b.pk}: {B}</li>" in page  # listed for review, not highlighted in the text


def test_assigning_in_the_inline_while_editing_the_text_keeps_the_new_anchor(
    article, editor, moderator, login
) -> None:  # type: ignore[no-untyped-def]
    c = claim_create(article=article, quote=C)
    client = login(editor)
    data = _form(article, body=f"Inserted. {A} {B} {C}")
    data["claims-0-assignee"] = moderator.pk  # assignees are staff

    client.post(reverse("admin:articles_article_change", args=[article.pk]), data)

    c.refresh_from_db()
    article.refresh_from_db()
    assert c.assignee == moderator
    assert article.body[c.start : c.end] == C


def test_marking_a_span_creates_an_accepted_claim(article, editor, login) -> None:  # type: ignore[no-untyped-def]
    client = login(editor)
    start = article.body.index(B)

    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        _form(article, mark_quote=B, mark_start=start, mark_tags="energy, data centres"),
    )

    assert response.status_code == 302
    claim = Claim.objects.get(article=article)
    assert (claim.start, claim.end, claim.status) == (start, start + len(B), "accepted")
    assert sorted(claim.tags.names()) == ["data centres", "energy"]
    assert claim.created_by == editor


def test_marking_text_that_is_not_in_the_body_is_refused(article, editor, login) -> None:  # type: ignore[no-untyped-def]
    response = login(editor).post(
        reverse("admin:articles_article_change", args=[article.pk]),
        _form(article, mark_quote="Text that is nowhere", mark_start=3),
    )

    assert response.status_code == 200
    assert "does not occur in the body" in response.content.decode()
    assert not Claim.objects.exists()


def test_marking_the_same_span_twice_is_refused(article, editor, login) -> None:  # type: ignore[no-untyped-def]
    claim_create(article=article, quote=A)

    response = login(editor).post(
        reverse("admin:articles_article_change", args=[article.pk]),
        _form(article, mark_quote=A, mark_start=0),
    )

    assert response.status_code == 200
    assert "already a claim" in response.content.decode()
    assert Claim.objects.count() == 1

"""Editors' curation: featured comments first in their discussion, and a comment turned into
evidence on a claim with its provenance, the usual link check and archive, and its author told."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pytest_httpserver import HTTPServer
from rest_framework.test import APIClient

from claims.models import Evidence
from discussions.curation import comment_feature, comment_promote_to_evidence, comment_unfeature
from discussions.models import CommentEvidence, ModerationAction
from integrations.services import token_create
from notifications.models import Kind, Notification
from tests.factories import ArticleFactory, ClaimFactory, CommentFactory

pytestmark = pytest.mark.django_db

PAGE = """<!doctype html><html lang="en"><head><title>Grid report 2023</title>
<meta property="og:site_name" content="Grid Report"></head><body><article>
<h1>Grid report 2023</h1><p>In 2023 French reactors produced 320 TWh, about 65 percent of the
electricity generated in the country, after the low output of 2022.</p></article></body></html>"""


def _order(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    page = client.get(url).content.decode()
    return re.findall(r"\b(First|Second|Third)( reply)? comment", page)


def _bodies_in_page(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    page = client.get(url).content.decode()
    return re.findall(r"(?:First|Second|Third) comment(?: reply)?", page)


def test_a_featured_comment_leads_its_discussion_until_unfeatured(
    client, article, alice, editor
) -> None:  # type: ignore[no-untyped-def]
    CommentFactory(article=article, author=alice, body="First comment")
    CommentFactory(article=article, author=alice, body="Second comment")
    third = CommentFactory(article=article, author=alice, body="Third comment")
    url = article.get_absolute_url()
    assert _bodies_in_page(client, url) == ["First comment", "Second comment", "Third comment"]

    comment_feature(comment=third, by=editor, label="Expert answer")

    page = client.get(url).content.decode()
    assert _bodies_in_page(client, url) == ["Third comment", "First comment", "Second comment"]
    assert "Expert answer" in page and "comment--featured" in page

    comment_unfeature(comment=third, by=editor)

    assert _bodies_in_page(client, url) == ["First comment", "Second comment", "Third comment"]
    assert "Expert answer" not in client.get(url).content.decode()
    actions = list(ModerationAction.objects.filter(comment=third).values_list("action", flat=True))
    assert sorted(actions) == ["feature", "unfeature"]


def test_a_featured_reply_brings_its_thread_first_whatever_the_sort(
    client, article, alice, editor
) -> None:  # type: ignore[no-untyped-def]
    CommentFactory(article=article, author=alice, body="First comment")
    second = CommentFactory(article=article, author=alice, body="Second comment")
    reply = CommentFactory(
        article=article, author=alice, body="Second comment reply", parent=second
    )

    comment_feature(comment=reply, by=editor, label="Best source")

    for sort in ("oldest", "newest", "liked"):
        bodies = _bodies_in_page(client, f"{article.get_absolute_url()}?sort={sort}")
        assert bodies[:2] == ["Second comment", "Second comment reply"], sort


def test_the_api_marks_featured_comments(article, alice, editor) -> None:  # type: ignore[no-untyped-def]
    plain = CommentFactory(article=article, author=alice)
    star = CommentFactory(article=article, author=alice)
    comment_feature(comment=star, by=editor, label="Expert answer")

    rows = {
        r["id"]: r
        for r in APIClient().get(f"/api/v1/comments/?article={article.pk}").json()["results"]
    }

    assert rows[star.pk]["featured"] is True and rows[star.pk]["featured_label"] == "Expert answer"
    assert rows[plain.pk]["featured"] is False and rows[plain.pk]["featured_at"] is None


def test_only_editors_feature_and_only_visible_comments(
    article, alice, bob, moderator, editor
) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=bob)
    for user in (alice, bob, moderator):
        with pytest.raises(PermissionDenied):
            comment_feature(comment=comment, by=user, label="mine")
    with pytest.raises(ValidationError):
        comment_feature(comment=comment, by=editor, label="x" * 81)
    hidden = CommentFactory(article=article, author=bob)
    hidden.status = "hidden"
    with pytest.raises(ValidationError):
        comment_feature(comment=hidden, by=editor)


def test_editors_feature_from_the_page_and_readers_cannot(
    client, login, article, alice, editor
) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice, body="First comment")
    login(alice)
    assert (
        client.post(reverse("discussions:feature", args=[comment.pk]), {"label": "me"}).status_code
        == 403
    )
    assert "/feature/" not in client.get(article.get_absolute_url()).content.decode()
    login(editor)
    assert (
        f"/comments/{comment.pk}/feature/"
        in client.get(article.get_absolute_url()).content.decode()
    )

    response = client.post(reverse("discussions:feature", args=[comment.pk]), {"label": "Top"})

    comment.refresh_from_db()
    assert response.status_code == 302 and comment.featured_label == "Top"
    client.post(reverse("discussions:feature", args=[comment.pk]), {"unfeature": "1"})
    comment.refresh_from_db()
    assert comment.featured_at is None


# --- comment → evidence --------------------------------------------------------------------


@pytest.fixture
def claim(article):  # type: ignore[no-untyped-def]
    return ClaimFactory(article=article)


def test_promoting_a_comment_checks_and_archives_its_link_with_provenance(
    httpserver: HTTPServer,
    article,
    claim,
    alice,
    editor,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    httpserver.expect_request("/report").respond_with_data(PAGE, content_type="text/html")
    url = httpserver.url_for("/report")
    comment = CommentFactory(article=article, author=alice, body=f"See [the report]({url}).")

    with django_capture_on_commit_callbacks(execute=True):
        evidence = comment_promote_to_evidence(
            comment=comment, claim=claim, stance="supports", by=editor
        )

    evidence.refresh_from_db()
    assert (evidence.url, evidence.stance, evidence.added_by) == (url, "supports", editor)
    assert evidence.ok is True and "320 TWh" in evidence.archived_text
    assert evidence.excerpt == comment.body
    provenance = CommentEvidence.objects.get(evidence=evidence)
    assert (provenance.comment, provenance.author, provenance.author_name) == (
        comment,
        alice,
        "alice",
    )
    assert provenance.promoted_by == editor
    note = Notification.objects.get(recipient=alice, kind=Kind.MODERATION)
    assert note.params["evidence"] is True and note.target_url == claim.get_absolute_url()
    assert ModerationAction.objects.filter(comment=comment, action="promote").exists()


def test_a_quoted_passage_with_its_source_url_becomes_the_excerpt(
    article, claim, alice, editor
) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(
        article=article, author=alice, body="> 320 TWh in 2023\n\nfrom the RTE yearly report"
    )
    with pytest.raises(ValidationError):  # no link in it, none given
        comment_promote_to_evidence(comment=comment, claim=claim, stance="context", by=editor)

    evidence = comment_promote_to_evidence(
        comment=comment,
        claim=claim,
        stance="context",
        by=editor,
        url="https://www.rte-france.com/bilan-2023",
        excerpt="320 TWh in 2023",
    )

    assert evidence.url == "https://www.rte-france.com/bilan-2023"
    assert evidence.excerpt == "320 TWh in 2023"
    evidence.refresh_from_db()
    assert evidence.check_status == Evidence.CheckStatus.QUEUED


def test_the_comment_says_it_is_evidence_on_the_claim(
    client, article, claim, alice, editor
) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice, body="https://example.org/source")
    comment_promote_to_evidence(comment=comment, claim=claim, stance="refutes", by=editor)

    page = client.get(article.get_absolute_url()).content.decode()
    row = APIClient().get(f"/api/v1/comments/{comment.pk}/").json()

    assert f"Used as evidence on claim {claim.pk}" in page
    assert claim.get_absolute_url() in page
    assert row["evidence_claim"] == claim.pk
    claim_page = client.get(claim.get_absolute_url()).content.decode()
    assert "From a reader’s comment by alice" in claim_page
    assert f"#comment-{comment.pk}" in claim_page


def test_only_editors_promote_and_only_visible_comments(
    article, claim, alice, bob, moderator, editor
) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=bob, body="https://example.org/x")
    for user in (alice, bob, moderator):
        with pytest.raises(PermissionDenied):
            comment_promote_to_evidence(comment=comment, claim=claim, stance="supports", by=user)
    comment.status = "deleted"
    with pytest.raises(ValidationError):
        comment_promote_to_evidence(comment=comment, claim=claim, stance="supports", by=editor)
    assert not Evidence.objects.exists()


def test_the_same_link_twice_on_a_claim_is_refused_and_leaves_no_provenance(
    article, claim, alice, editor
) -> None:  # type: ignore[no-untyped-def]
    first = CommentFactory(article=article, author=alice, body="https://example.org/x")
    second = CommentFactory(article=article, author=alice, body="also https://example.org/x")
    comment_promote_to_evidence(comment=first, claim=claim, stance="supports", by=editor)
    with pytest.raises(ValidationError):
        comment_promote_to_evidence(comment=second, claim=claim, stance="supports", by=editor)
    assert CommentEvidence.objects.count() == 1


def _token(user, scopes):  # type: ignore[no-untyped-def]
    client = APIClient()
    issued = token_create(user=user, name="t", scopes=scopes)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    return client


def test_the_promote_endpoint_answers_201_with_the_evidence(article, claim, alice, editor) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice, body="[data](https://example.org/d)")
    client = _token(editor, ["read", "write:evidence"])

    response = client.post(
        f"/api/v1/comments/{comment.pk}/promote/",
        {"claim": claim.pk, "stance": "supports"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["url"] == "https://example.org/d" and body["claim"] == claim.pk
    assert CommentEvidence.objects.get(evidence_id=body["id"]).comment == comment
    provenance = body["source_comment"]
    assert provenance["comment"] == comment.pk and provenance["author"] == alice.username
    assert provenance["promoted_by"] == editor.username and provenance["promoted_at"]


def test_the_promote_endpoint_needs_an_editor_and_the_write_evidence_scope(
    article, claim, alice, editor
) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice, body="https://example.org/d")
    url = f"/api/v1/comments/{comment.pk}/promote/"
    body = {"claim": claim.pk, "stance": "supports"}

    without_scope = _token(editor, ["read", "write:comments"]).post(url, body, format="json")
    session = APIClient()
    session.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    reader = session.post(url, body, format="json")
    bad_stance = _token(editor, ["read", "write:evidence"]).post(
        url, {"claim": claim.pk, "stance": "maybe"}, format="json"
    )
    other_claim = ClaimFactory(article=ArticleFactory(status="draft"), status="suggested")

    assert without_scope.status_code == 403 and reader.status_code == 403
    assert bad_stance.status_code == 400
    assert not Evidence.objects.exists()
    # an editor may weigh a claim elsewhere (they see drafts too)
    elsewhere = _token(editor, ["read", "write:evidence"]).post(
        url, {"claim": other_claim.pk, "stance": "context"}, format="json"
    )
    assert elsewhere.status_code == 201


def test_editors_promote_from_the_page(client, login, article, claim, alice, editor) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice, body="https://example.org/p")
    login(alice)
    assert client.get(reverse("discussions:promote", args=[comment.pk])).status_code == 403
    login(editor)
    form = client.get(reverse("discussions:promote", args=[comment.pk]))
    assert form.status_code == 200 and "https://example.org/p" in form.content.decode()

    response = client.post(
        reverse("discussions:promote", args=[comment.pk]),
        {"claim": claim.pk, "stance": "supports", "url": "", "excerpt": ""},
    )

    assert response.status_code == 302
    assert Evidence.objects.get().url == "https://example.org/p"


def test_moderators_read_the_provenance_list_in_admin(
    client, login, article, claim, alice, editor, moderator
) -> None:  # type: ignore[no-untyped-def]
    comment = CommentFactory(article=article, author=alice, body="https://example.org/list")
    comment_promote_to_evidence(comment=comment, claim=claim, stance="supports", by=editor)
    login(moderator)
    page = client.get(reverse("admin:discussions_commentevidence_changelist"))
    assert page.status_code == 200 and "alice" in page.content.decode()
    change = client.get(reverse("admin:discussions_comment_change", args=[comment.pk]))
    assert change.status_code == 200 and "used as evidence" in change.content.decode()

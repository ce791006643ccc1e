"""Every admin changelist runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import ArticleImport
from claims.models import Claim, ClaimSeries, Topic
from discussions.models import Flag, ModerationAction, Reaction
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    CommentFactory,
    EvidenceFactory,
    SeriesFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 14


def _article_with_sentences(n: int):  # type: ignore[no-untyped-def]
    body = "".join(f"Sentence number {i:03d} says 5 TWh. " for i in range(n))
    return ArticleFactory(body=body)


def _claims(n: int) -> None:
    article = _article_with_sentences(n)
    assignee = UserFactory()
    for i in range(n):
        start = i * len("Sentence number 000 says 5 TWh. ")
        claim = ClaimFactory(
            article=article,
            start=start,
            end=start + 31,
            assignee=assignee,
            tags=["energy", f"t{i}"],
        )
        EvidenceFactory(claim=claim, ok=(i % 2 == 0))


def _articles(n: int) -> None:
    owner = UserFactory()
    for i in range(n):
        article = ArticleFactory(created_by=owner)
        article.tags.add("energy", f"topic-{i}")
        ClaimFactory(article=article)


def _imports(n: int) -> None:
    user = UserFactory()
    for i in range(n):
        ArticleImport.objects.create(
            url=f"https://example.org/{i}", requested_by=user, article=ArticleFactory()
        )


def _evidence(n: int) -> None:
    claim = ClaimFactory()
    for _ in range(n):
        EvidenceFactory(claim=claim)


def _claim_series(n: int) -> None:
    article = _article_with_sentences(n)
    confirmer = UserFactory()
    for i in range(n):
        start = i * len("Sentence number 000 says 5 TWh. ")
        claim = ClaimFactory(article=article, start=start, end=start + 31)
        ClaimSeries.objects.create(claim=claim, series=SeriesFactory(), confirmed_by=confirmer)


_topic_numbers = itertools.count()


def _topics(n: int) -> None:
    for _ in range(n):
        i = next(_topic_numbers)
        Topic.objects.create(name=f"Topic {i}", slug=f"topic-{i}", keywords="a\nb")


def _comments(n: int) -> None:
    article = ArticleFactory()
    claim = ClaimFactory(article=article)
    for i in range(n):
        comment = CommentFactory(article=article, claim=claim if i % 2 else None)
        Flag.objects.create(user=UserFactory(), comment=comment, reason=Flag.Reason.SPAM)


def _flags(n: int) -> None:
    comment = CommentFactory()
    for _ in range(n):
        Flag.objects.create(user=UserFactory(), comment=comment, reason=Flag.Reason.SPAM)


def _reactions(n: int) -> None:
    comment = CommentFactory()
    for _ in range(n):
        Reaction.objects.create(user=UserFactory(), comment=comment)


def _moderation_actions(n: int) -> None:
    moderator = UserFactory()
    for _ in range(n):
        ModerationAction.objects.create(
            comment=CommentFactory(), moderator=moderator, action="hide", previous_status="visible"
        )


CHANGELISTS: list[tuple[str, Callable[[int], None]]] = [
    ("admin:articles_article_changelist", _articles),
    ("admin:articles_articleimport_changelist", _imports),
    ("admin:claims_claim_changelist", _claims),
    ("admin:claims_evidence_changelist", _evidence),
    ("admin:claims_claimseries_changelist", _claim_series),
    ("admin:claims_topic_changelist", _topics),
    ("admin:discussions_comment_changelist", _comments),
    ("admin:discussions_moderationqueueitem_changelist", _comments),
    ("admin:discussions_flag_changelist", _flags),
    ("admin:discussions_reaction_changelist", _reactions),
    ("admin:discussions_moderationaction_changelist", _moderation_actions),
]


def _count_changelist_queries(client, url_name: str) -> tuple[int, bytes]:  # type: ignore[no-untyped-def]
    url = reverse(url_name)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), response.content


@pytest.fixture
def admin_client_(client):  # type: ignore[no-untyped-def]
    admin_user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize(("url_name", "make_rows"), CHANGELISTS, ids=[c[0] for c in CHANGELISTS])
def test_changelist_query_count_does_not_grow_with_rows(admin_client_, url_name, make_rows):  # type: ignore[no-untyped-def]
    make_rows(1)
    one, _ = _count_changelist_queries(admin_client_, url_name)
    make_rows(49)
    fifty, _ = _count_changelist_queries(admin_client_, url_name)
    assert fifty == one, f"{url_name}: {one} queries with 1 row(s), {fifty} with 50"
    assert fifty <= QUERY_BUDGET


def test_claim_changelist_shows_tags_and_broken_links(admin_client_):  # type: ignore[no-untyped-def]
    _claims(2)
    _, content = _count_changelist_queries(admin_client_, "admin:claims_claim_changelist")
    text = content.decode()
    assert "energy, t0" in text
    assert "<strong>1</strong>" in text  # the claim whose evidence link is broken


def test_claim_changelist_filters_by_verdict_tag_and_assignee(admin_client_):  # type: ignore[no-untyped-def]
    _claims(3)
    url = reverse("admin:claims_claim_changelist")
    for query in ("?tags__id__exact=1", "?verdict=accurate", "?status=published", "?link=broken"):
        assert admin_client_.get(url + query).status_code == 200
    response = admin_client_.get(url + "?link=broken")
    assert response.context["cl"].result_count == 1
    Claim.objects.filter(pk=Claim.objects.order_by("id").first().pk).update(
        verdict="mostly_accurate"
    )
    response = admin_client_.get(url + "?verdict=mostly_accurate")
    assert response.context["cl"].result_count == 1
    assert "Mostly accurate" in response.content.decode()  # labels, not keys
    assert admin_client_.get(url + "?verdict=none").context["cl"].result_count == 2


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:articles_article_change",
        "admin:claims_claim_change",
        "admin:discussions_comment_change",
    ],
)
def test_change_pages_render(admin_client_, url_name):  # type: ignore[no-untyped-def]
    claim = ClaimFactory(tags=["energy"])
    EvidenceFactory(claim=claim)
    ClaimSeries.objects.create(claim=claim, series=SeriesFactory())
    comment = CommentFactory(article=claim.article)
    obj_id = {
        "admin:articles_article_change": claim.article_id,
        "admin:claims_claim_change": claim.pk,
        "admin:discussions_comment_change": comment.pk,
    }[url_name]
    response = admin_client_.get(reverse(url_name, args=[obj_id]))
    assert response.status_code == 200


def test_article_change_page_does_not_grow_with_its_claims(admin_client_):  # type: ignore[no-untyped-def]
    url_name = "admin:articles_article_change"

    def page_queries(n: int) -> int:
        article = _article_with_sentences(n)
        assignee = UserFactory()
        claims = []
        for i in range(n):
            start = i * len("Sentence number 000 says 5 TWh. ")
            claims.append(
                ClaimFactory(article=article, start=start, end=start + 31, assignee=assignee)
            )
        with CaptureQueriesContext(connection) as ctx:
            response = admin_client_.get(reverse(url_name, args=[article.pk]))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    page_queries(1)  # warm the content-type cache
    assert page_queries(1) == page_queries(20)

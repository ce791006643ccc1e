"""Cursor pagination: no row skipped or repeated while rows are inserted between pages."""

from __future__ import annotations

import pytest

from tests.factories import ArticleFactory, ClaimFactory, CommentFactory

pytestmark = pytest.mark.django_db


def _claims(n):
    return [ClaimFactory(article=ArticleFactory()) for _ in range(n)]


def test_paging_claims_is_stable_while_new_ones_arrive(api):
    existing = {c.pk for c in _claims(25)}
    seen: list[int] = []
    url = "/api/v1/claims/?page_size=10&ordering=id"
    while url:
        page = api.get(url).json()
        seen += [c["id"] for c in page["results"]]
        _claims(3)  # published between two page requests
        url = page["next"]
    assert len(seen) == len(set(seen)), "a claim was served twice"
    assert existing <= set(seen), "a claim that existed from the start was skipped"


def test_newest_first_paging_does_not_repeat_when_rows_are_inserted(api):
    existing = {c.pk for c in _claims(25)}
    first = api.get("/api/v1/claims/?page_size=10").json()
    _claims(5)  # these sort before the cursor, on pages already read
    seen = [c["id"] for c in first["results"]]
    url = first["next"]
    while url:
        page = api.get(url).json()
        seen += [c["id"] for c in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen))
    assert set(seen) == existing


def test_comment_threads_page_in_display_order(api, article, alice, bob):
    first = CommentFactory(article=article, author=alice)
    reply = CommentFactory(article=article, author=bob, parent=first)
    second = CommentFactory(article=article, author=bob)
    deep = CommentFactory(article=article, author=alice, parent=reply)
    seen = []
    url = f"/api/v1/comments/?article={article.pk}&page_size=1"
    while url:
        page = api.get(url).json()
        seen += [(c["id"], c["depth"], c["parent"]) for c in page["results"]]
        url = page["next"]
    assert seen == [
        (first.pk, 0, None),
        (reply.pk, 1, first.pk),
        (deep.pk, 2, reply.pk),
        (second.pk, 0, None),
    ]


@pytest.mark.parametrize("cursor", ["bm9wZQ", "not-base64!", "bz1hYmM"])
def test_a_malformed_cursor_is_a_400_in_the_error_shape(api, cursor):
    response = api.get(f"/api/v1/claims/?cursor={cursor}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"] == {
        "cursor": ["This cursor is not valid: use a page's next or previous link as given."]
    }


@pytest.mark.parametrize("size", ["0", "-3", "ten", "2.5", ""])
def test_a_page_size_that_is_not_a_whole_number_from_1_is_a_400(api, size):
    _claims(3)
    response = api.get(f"/api/v1/claims/?page_size={size}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]
    assert "at least 1" in response.json()["errors"]["page_size"][0]


def test_a_page_size_above_the_maximum_is_served_at_the_maximum(api, settings):
    settings.API_MAX_PAGE_SIZE = 2
    _claims(3)
    response = api.get("/api/v1/claims/?page_size=500")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
    assert response.json()["next"]


def test_an_unknown_ordering_field_is_a_400_listing_the_allowed_ones(api):
    response = api.get("/api/v1/claims/?ordering=-popularity,id")
    assert response.status_code == 400
    (message,) = response.json()["errors"]["ordering"]
    assert "popularity" in message
    assert "id, created_at, updated_at" in message
    assert api.get("/api/v1/claims/?ordering=-updated_at,id").status_code == 200

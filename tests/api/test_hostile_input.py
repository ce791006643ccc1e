"""Input built to break the API answers 4xx in the API's error shape, never 500."""

from __future__ import annotations

import json

import pytest

from claims.models import Claim
from discussions.models import Comment

pytestmark = pytest.mark.django_db


def _is_client_error(response, status: int = 400) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert body["status"] == status and body["code"] and body["request_id"]
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims/?cursor=cD1hYmM%3D",  # p=abc on an id
        "/api/v1/claims/?cursor=cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ%3D%3D",  # p=10**28
        "/api/v1/tags/?cursor=cD0A",  # p=<NUL> on a name
        "/api/v1/comments/?cursor=cD1hYmM%3D",  # an annotation (the thread key)
    ],
)
def test_a_forged_cursor_is_a_400(api, corpus, url):
    """Finding of an outside audit: a forged cursor (`p=abc`, `p=<NUL>`) answered 500."""
    body = _is_client_error(api.get(url))
    assert "cursor" in body["errors"]


@pytest.mark.parametrize(
    "query", ["article=6.18e%2B34", "article=1.5", "article=99999999999999999999", "article=-1"]
)
def test_a_number_filter_takes_whole_ids_only(api, corpus, query):
    """Finding of an outside audit: on SQLite a huge float for a number filter
    (`?article=6.18e+34`) answered 500."""
    body = _is_client_error(api.get(f"/api/v1/claims/?{query}"))
    assert "article" in body["errors"]
    _is_client_error(api.get(f"/api/v1/comments/?{query}"))


@pytest.mark.parametrize("value", [1.5, True, "1.0", 10**30, -3, [1], {"id": 1}])
def test_an_id_in_a_body_must_be_a_whole_number(bearer, editor, corpus, value):
    """Finding of an outside audit: `{"article": 1.5}` was read as article 1."""
    client = bearer(editor, "read", "write:claims")
    response = client.post(
        "/api/v1/claims/",
        {"article": value, "quote": "Grids will not keep up"},
        format="json",
    )
    body = _is_client_error(response)
    assert "article" in body["errors"]
    assert not Claim.objects.filter(quote="Grids will not keep up").exists()


def test_a_deeply_nested_body_is_a_400(bearer, alice, corpus):
    """Finding of an outside audit: deeply nested JSON raised RecursionError (500)."""
    client = bearer(alice, "read", "write:comments")
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/comments/", body, content_type="application/json")
    _is_client_error(response)
    assert not Comment.objects.filter(author=alice).exclude(pk=corpus.comment.pk).exists()


def test_a_body_over_the_upload_limit_is_a_413(bearer, alice, corpus, settings):
    """Finding of an outside audit: bodies over DATA_UPLOAD_MAX_MEMORY_SIZE answered 500."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = bearer(alice, "read", "write:comments")
    body = json.dumps({"article": corpus.article.pk, "body": "x" * 20_000})
    response = client.post("/api/v1/comments/", body, content_type="application/json")
    _is_client_error(response, 413)
    form = client.post(
        "/api/v1/comments/",
        f"article={corpus.article.pk}&body={'x' * 20_000}",
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status_code in (400, 413), form.content[:300]
    assert form.json()["status"] == form.status_code


def test_not_a_number_is_not_json(bearer, alice, corpus):
    client = bearer(alice, "read", "write:comments")
    body = '{"article": NaN, "body": "x"}'
    _is_client_error(client.post("/api/v1/comments/", body, content_type="application/json"))


@pytest.mark.parametrize(
    "url",
    ["/api/v1/tags/%00/", "/api/v1/search/?q=%00", "/api/v1/claims/?tag=a%00b"],
)
def test_a_nul_byte_is_a_400_in_the_api_shape(api, corpus, url):
    """Finding of an outside audit: a NUL byte reached PostgreSQL, which refuses it (500)."""
    assert _is_client_error(api.get(url))["code"] == "nul_byte"


@pytest.mark.parametrize(
    "since",
    [
        "0214-11-16T01:18:45-19:18",  # an offset Python takes and PostgreSQL refuses
        "2026-01-01T00:00:00+15:00",
        "0001-01-01T00:00:00+05:00",  # before the first representable instant in UTC
        "yesterday",
    ],
)
@pytest.mark.parametrize("endpoint", ["claims", "evidence", "comments", "series", "articles"])
def test_updated_since_refuses_what_no_clock_shows(api, corpus, endpoint, since):
    """Found by the schema fuzz on PostgreSQL: `updated_since` with a -19:18 offset reached
    the database and answered 500."""
    body = _is_client_error(api.get(f"/api/v1/{endpoint}/", {"updated_since": since}))
    assert "updated_since" in body["errors"]


def test_updated_since_compares_any_real_offset_in_utc(api, corpus):
    everything = api.get("/api/v1/claims/").json()["results"]
    response = api.get("/api/v1/claims/", {"updated_since": "2000-01-01T09:00:00+14:00"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == len(everything)
    future = api.get("/api/v1/claims/", {"updated_since": "2999-01-01T00:00:00-12:00"})
    assert future.json()["results"] == []

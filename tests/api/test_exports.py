"""ClaimReview, series CSV, the JSON Lines export, conditional GET, throttling, error shape."""

from __future__ import annotations

import csv
import io
import json

import pytest

from claims.models import Claim
from tests.conftest import clear_test_cache

pytestmark = pytest.mark.django_db


def test_claimreview_for_a_published_claim(client, corpus):
    response = client.get(f"/claims/{corpus.claim.pk}/claimreview.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    review = json.loads(response.content)
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == corpus.claim.quote
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Accurate",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert review["datePublished"] == "2024-02-01"
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["url"].endswith(f"/claims/{corpus.claim.pk}/")


@pytest.mark.parametrize("which", ["other_claim", "draft_claim"])
def test_no_claimreview_before_publication(client, corpus, which):
    claim = getattr(corpus, which)
    assert client.get(f"/claims/{claim.pk}/claimreview.json").status_code == 404
    assert client.get(f"/api/v1/claims/{claim.pk}/claimreview/").status_code == 404


def test_claimreview_in_the_api_matches_the_page(api, client, corpus):
    from_api = api.get(f"/api/v1/claims/{corpus.claim.pk}/claimreview/").json()
    from_page = json.loads(client.get(f"/claims/{corpus.claim.pk}/claimreview.json").content)
    assert from_api == from_page


def test_unrated_scale_entries_have_no_numeric_rating(client, corpus):
    Claim.objects.filter(pk=corpus.claim.pk).update(verdict="unverifiable")
    review = json.loads(client.get(f"/claims/{corpus.claim.pk}/claimreview.json").content)
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unverifiable"}


def test_series_observations_as_csv_with_unit_and_attribution(api, corpus):
    response = api.get(
        f"/api/v1/series/{corpus.series.pk}/observations/?format=csv", HTTP_ACCEPT="text/csv"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["period"], r["value"]) for r in rows] == [
        ("2021-01-01", "69.0"),
        ("2022-01-01", "62.5"),
        ("2023-01-01", "64.8"),
    ]
    assert {r["unit"] for r in rows} == {"%"}
    assert {r["attribution"] for r in rows} == {"Our World in Data"}


def test_series_observations_by_accept_header_and_period(api, corpus):
    response = api.get(
        f"/api/v1/series/{corpus.series.pk}/observations/?since=2022-01-01",
        HTTP_ACCEPT="text/csv",
    )
    assert response.content.decode().count("\n") == 3  # header and two rows
    as_json = api.get(f"/api/v1/series/{corpus.series.pk}/observations/?until=2021-12-31").json()
    assert as_json["series"]["unit"] == "%"
    assert as_json["series"]["license"] == "CC BY 4.0"
    assert as_json["observations"] == [{"period": "2021-01-01", "value": 69.0}]
    bad = api.get(f"/api/v1/series/{corpus.series.pk}/observations/?since=yesterday")
    assert bad.status_code == 400
    assert "since" in bad.json()["errors"]


def test_export_streams_what_the_client_may_read(api, corpus):
    response = api.get("/api/v1/export.jsonl")
    assert response.status_code == 200
    assert response.streaming
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    kinds = [line["type"] for line in lines]
    assert kinds[0] == "export"
    claim_ids = {line["id"] for line in lines if line["type"] == "claim"}
    assert corpus.claim.pk in claim_ids
    assert corpus.draft_claim.pk not in claim_ids
    series = next(line for line in lines if line["type"] == "series")
    assert len(series["observations"]) == 3
    claim = next(
        line for line in lines if line["type"] == "claim" and line["id"] == corpus.claim.pk
    )
    assert claim["tags"] == ["energy", "nuclear"]
    assert claim["evidence"][0]["url"] == "https://example.org/rte-2023"
    assert claim["series"][0]["unit"] == "%"


def test_detail_etag_and_conditional_get(api, corpus):
    path = f"/api/v1/claims/{corpus.claim.pk}/"
    first = api.get(path)
    etag = first["ETag"]
    again = api.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    Claim.objects.filter(pk=corpus.claim.pk).update(statement="Changed")
    changed = api.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_throttled_clients_get_429_with_retry_after(api, corpus, settings):
    settings.API_THROTTLE_ANON = "3/min"
    clear_test_cache()
    statuses = [api.get("/api/v1/tags/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/tags/")
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/claims/999999/", 404, "not_found"),
        ("get", "/api/v1/no-such-thing/", 404, "not_found"),
        ("delete", "/api/v1/tags/energy/", 405, "method_not_allowed"),
        ("post", "/api/v1/claims/", 401, "not_authenticated"),
        ("get", "/api/v1/claims/?status=nope", 400, "invalid_choice"),
        ("get", "/api/v1/search/", 400, "required"),
    ],
)
def test_errors_share_one_shape(api, corpus, method, path, status, code):
    response = getattr(api, method)(path)
    assert response.status_code == status
    body = response.json()
    assert set(body) >= {"status", "code", "detail", "request_id"}
    assert (body["status"], body["code"]) == (status, code)


def test_method_not_allowed_and_validation_errors_share_the_shape(session, editor, corpus):
    client = session(editor)
    not_allowed = client.delete(f"/api/v1/series/{corpus.series.pk}/")
    assert not_allowed.status_code == 405
    assert not_allowed.json()["code"] == "method_not_allowed"
    invalid = client.post(
        "/api/v1/claims/", {"article": corpus.article.pk, "quote": "not in the text"}, format="json"
    )
    assert invalid.status_code == 400
    assert invalid.json()["errors"]["quote"]
    assert Claim.objects.filter(quote="not in the text").count() == 0


def test_a_path_without_its_final_slash_is_redirected(api):
    response = api.get("/api/v1/claims?tag=energy")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/claims/?tag=energy"


def test_an_unexpected_error_is_logged_and_answered_in_the_shape(settings, caplog):
    from integrations.exceptions import api_exception_handler

    settings.DEBUG = False
    response = api_exception_handler(RuntimeError("boom"), {})
    assert response.status_code == 500
    assert response.data["code"] == "server_error"
    assert "boom" not in str(response.data)
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)


def test_a_service_refusal_becomes_a_400_in_the_shape(as_role, corpus):
    response = as_role("editor").post(
        f"/api/v1/claims/{corpus.other_claim.pk}/publish/", {}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "no_verdict"
    assert "verdict" in body["errors"]["non_field_errors"][0]
    corpus.other_claim.refresh_from_db()
    assert corpus.other_claim.status == "accepted"


def test_a_complete_export_ends_with_an_end_line(api, corpus):
    lines = [
        json.loads(line)
        for line in b"".join(api.get("/api/v1/export.jsonl").streaming_content).splitlines()
    ]
    assert lines[-1] == {"type": "end", "complete": True, "lines": len(lines) - 1}


def test_an_export_cut_short_by_the_database_says_so_and_logs_an_error(
    api, corpus, monkeypatch, caplog
):
    """Finding of an outside audit: with the database failing, export.jsonl answered 200, sent
    one line and broke off, logged as a success. A failure after the 200 was sent now ends the
    stream with an error line (no end line) and logs an error under the request's id."""
    from django.db import OperationalError

    import reading.api

    def down(**_kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("connection lost")

    monkeypatch.setattr(reading.api, "claim_list_with_links", down)
    response = api.get("/api/v1/export.jsonl")
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert lines[0]["type"] == "export"
    assert lines[-1]["type"] == "error" and lines[-1]["complete"] is False
    assert lines[-1]["request_id"] == response["X-Request-ID"]
    assert not any(line["type"] == "end" for line in lines)
    errors = [r for r in caplog.records if r.getMessage() == "export broken off: database error"]
    assert errors and errors[0].request_id == response["X-Request-ID"]


def test_an_api_read_with_the_database_down_answers_503(api, corpus, monkeypatch):
    from django.db import OperationalError

    import claims.api

    def down(**_kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("connection refused")

    monkeypatch.setattr(claims.api, "claim_list_with_links", down)
    response = api.get("/api/v1/claims/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "service_unavailable"

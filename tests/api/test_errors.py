"""Client mistakes get a 4xx in the one error shape, saying what to change."""

from __future__ import annotations

import pytest

from claims.models import Evidence
from energy.models import SeriesRefreshJob

pytestmark = pytest.mark.django_db


def test_an_unknown_format_is_a_406_naming_the_formats_on_offer(api, corpus):
    response = api.get(f"/api/v1/series/{corpus.series.pk}/observations/?format=xml")

    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "not_acceptable"
    assert "'xml'" in body["detail"] and "json, csv" in body["detail"]
    assert api.get(f"/api/v1/series/{corpus.series.pk}/observations/?format=csv").status_code == (
        200
    )


@pytest.mark.parametrize("role", ["anonymous", "reader", "editor"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/api/v1/series/{series}/"),
        ("put", "/api/v1/series/{series}/"),
        ("post", "/api/v1/series/"),
        ("delete", "/api/v1/evidence/"),
        ("post", "/api/v1/search/"),
        ("delete", "/api/v1/jobs/"),
    ],
)
def test_a_method_the_endpoint_never_takes_is_a_405_whoever_asks(
    as_role, corpus, role, method, path
):
    url = path.format(series=corpus.series.pk, claim=corpus.claim.pk)

    response = getattr(as_role(role), method)(url)

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert method.upper() not in response["Allow"]
    assert Evidence.objects.filter(pk=corpus.evidence.pk).exists()


def test_a_token_without_the_scope_is_told_which_scope_it_needs(bearer, integrator, corpus):
    client = bearer(integrator, "read", "write:claims")

    response = client.post(
        "/api/v1/evidence/",
        {"claim": corpus.claim.pk, "url": "https://example.org/x", "stance": "supports"},
        format="json",
    )

    assert response.status_code == 403
    assert "write:evidence" in response.json()["detail"]
    assert not Evidence.objects.filter(url="https://example.org/x").exists()
    reads = bearer(integrator, "write:claims").get("/api/v1/claims/")
    assert reads.status_code == 403
    assert "read scope" in reads.json()["detail"]


def test_a_role_without_the_right_says_so(session, alice, corpus):
    response = session(alice).post(
        "/api/v1/evidence/",
        {"claim": corpus.claim.pk, "url": "https://example.org/x", "stance": "supports"},
        format="json",
    )
    assert response.status_code == 403
    assert "write:evidence" in response.json()["detail"]


def test_the_same_evidence_url_twice_on_a_claim_is_a_400_saying_so(as_role, corpus):
    response = as_role("integrator").post(
        "/api/v1/evidence/",
        {"claim": corpus.claim.pk, "url": corpus.evidence.url, "stance": "refutes"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"url": ["This link is already evidence for the claim."]}
    assert Evidence.objects.filter(claim=corpus.claim).count() == 1
    # the same URL on another claim is fine
    other = as_role("integrator").post(
        "/api/v1/evidence/",
        {"claim": corpus.other_claim.pk, "url": corpus.evidence.url, "stance": "refutes"},
        format="json",
    )
    assert other.status_code == 201, other.content


def test_errors_on_list_items_are_flat_messages_under_the_field(session, editor):
    response = session(editor).post(
        "/api/v1/webhooks/",
        {"target_url": "https://hooks.example.org/in", "events": ["claim.published", "nope"]},
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["events"]
    (message,) = errors["events"]
    assert isinstance(message, str)
    assert message.startswith("At index 1: ") and "nope" in message


def test_an_unknown_field_in_an_action_body_is_refused(as_role, corpus):
    response = as_role("editor").post(
        f"/api/v1/claims/{corpus.other_claim.pk}/verdict/",
        {
            "verdict": "accurate",
            "summary": "Checked.",
            "reason": "Sources agree.",
            "published": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["published"]
    corpus.other_claim.refresh_from_db()
    assert corpus.other_claim.verdict == ""


def test_the_api_root_lists_search_export_and_jobs(api):
    links = api.get("/api/v1/").json()

    assert links["search"].endswith("/api/v1/search/")
    assert links["export.jsonl"].endswith("/api/v1/export.jsonl")
    assert links["jobs"].endswith("/api/v1/jobs/")
    assert links["claims"].endswith("/api/v1/claims/")


def test_jobs_list_shows_your_own_jobs_and_editors_see_all(session, alice, bob, editor, corpus):
    mine = SeriesRefreshJob.objects.create(series=corpus.series, requested_by=alice)
    SeriesRefreshJob.objects.create(series=corpus.series, requested_by=bob)

    seen = session(alice).get("/api/v1/jobs/").json()["results"]
    assert [job["id"] for job in seen] == [mine.pk]
    assert len(session(editor).get("/api/v1/jobs/").json()["results"]) == 2


def test_the_schema_documents_the_new_errors_and_the_ordering_fields(api):
    document = api.get("/api/schema/?format=json").json()
    claims = document["paths"]["/api/v1/claims/"]

    for method in ("get", "post"):
        assert {"400", "406"} <= set(claims[method]["responses"])
    (ordering,) = [p for p in claims["get"]["parameters"] if p["name"] == "ordering"]
    assert "id, created_at, updated_at" in ordering["description"]
    (page_size,) = [p for p in claims["get"]["parameters"] if p["name"] == "page_size"]
    assert "maximum" in page_size["description"]
    assert "/api/v1/jobs/" in document["paths"]

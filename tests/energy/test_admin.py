"""The catalogue admin: provenance on the page, refresh now, and suggestions for claims."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from claims.models import ClaimSeries
from energy.models import Series
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ObservationFactory,
    SeriesFactory,
    UserFactory,
)


@pytest.fixture
def admin_client(client, db):  # type: ignore[no-untyped-def]
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_series_list_shows_status_and_counts_in_few_queries(
    admin_client, django_assert_max_num_queries
):
    for i in range(5):
        series = SeriesFactory(title=f"Nuclear share {i}", status=Series.Status.OK)
        ObservationFactory(series=series)
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:energy_series_changelist"))
    assert response.status_code == 200
    assert b"Nuclear share 4" in response.content


def test_series_page_shows_provenance_and_latest_values(admin_client):
    series = SeriesFactory(
        unit="%",
        data_version="sha256:abc123",
        source_url="https://example.org/owid-energy-data.csv",
        retrieved_at=dt.datetime(2026, 11, 26, tzinfo=dt.UTC),
        attribution="Our World in Data",
        license="CC BY 4.0",
    )
    ObservationFactory(series=series, period=dt.date(2023, 1, 1), value=65.195)
    response = admin_client.get(reverse("admin:energy_series_change", args=[series.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    for text in ("sha256:abc123", "2023-01-01: 65.195 %", "CC BY 4.0", "Our World in Data"):
        assert text in content


def test_refresh_now_action_refreshes_the_selected_series(
    admin_client, settings, httpserver, django_capture_on_commit_callbacks
):
    settings.OWID_BASE_URL = httpserver.url_for("/")
    httpserver.expect_request("/owid-energy-data.csv").respond_with_data(
        "country,year,nuclear_share_elec\nFrance,2023,65.195\n"
    )
    chosen = SeriesFactory(entity="France", metric="nuclear_share_elec")
    other = SeriesFactory(entity="France", metric="nuclear_electricity")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:energy_series_changelist"),
            {"action": "refresh_now", "_selected_action": [chosen.pk]},
            follow=True,
        )

    assert response.status_code == 200
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert chosen.status == Series.Status.OK
    assert chosen.observations.get().value == 65.195
    assert other.status == Series.Status.NEW


def test_attach_series_action_suggests_series_for_claims(
    admin_client, django_capture_on_commit_callbacks
):

    series = SeriesFactory(region="France", keywords="nucléaire\nnuclear")
    text = "La France tire l’essentiel de son électricité du nucléaire."
    claim = ClaimFactory(article=ArticleFactory(body=text), start=0, end=len(text))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:claims_claim_changelist"),
            {"action": "attach_series", "_selected_action": [claim.pk]},
        )

    link = ClaimSeries.objects.get(claim=claim)
    assert (link.series, link.status) == (series, ClaimSeries.Status.SUGGESTED)


def test_suggest_for_claims_action_links_new_series(
    admin_client, django_capture_on_commit_callbacks
):
    text = "La France tire l’essentiel de son électricité du nucléaire."
    claim = ClaimFactory(article=ArticleFactory(body=text), start=0, end=len(text))
    series = SeriesFactory(region="France", keywords="nucléaire\nnuclear")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:energy_series_changelist"),
            {"action": "suggest_for_claims", "_selected_action": [series.pk]},
        )

    assert ClaimSeries.objects.filter(claim=claim, series=series).exists()


def test_refresh_schedules_are_in_the_beat_database(db):
    from django_celery_beat.models import PeriodicTask

    tasks = dict(PeriodicTask.objects.values_list("name", "task"))
    assert tasks["Refresh Our World in Data series"] == "energy.refresh_series"
    assert tasks["Suggest series for claims"] == "claims.tasks.attach_related_series_all"
    owid = PeriodicTask.objects.get(name="Refresh Our World in Data series")
    assert owid.kwargs == '{"source": "owid"}' and owid.enabled


def test_claim_changelist_offers_series_matching_to_editors(
    client, editor, django_capture_on_commit_callbacks
):
    series = SeriesFactory(region="France", keywords="nucléaire\nnuclear")
    text = "La France tire l’essentiel de son électricité du nucléaire."
    claim = ClaimFactory(article=ArticleFactory(body=text), start=0, end=len(text))
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:claims_claim_changelist"),
            {"action": "attach_series", "_selected_action": [claim.pk]},
        )

    assert response.status_code == 302
    assert ClaimSeries.objects.get(claim=claim).series == series

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from claims.models import Claim, ClaimSeries, Evidence
from claims.services import claim_set_verdict
from energy.models import Observation
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    ObservationFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db


def test_claim_page_shows_quote_in_context_statement_and_grouped_evidence(client, article):
    claim = ClaimFactory(article=article, statement="France's power is mostly nuclear.")
    EvidenceFactory(
        claim=claim,
        stance=Evidence.Stance.REFUTES,
        title="A refutation",
        ok=False,
        http_status=404,
        publisher="Refuter",
    )
    EvidenceFactory(claim=claim, stance=Evidence.Stance.SUPPORTS, title="A support", ok=True)
    EvidenceFactory(claim=claim, stance=Evidence.Stance.CONTEXT, title="Some context")

    page = client.get(claim.get_absolute_url()).content.decode()

    assert f'<mark class="claim" id="quote">{claim.quote}</mark>' in page
    assert "Data centres used around 415 TWh" in page  # the text after the quote
    assert "France&#x27;s power is mostly nuclear." in page
    supports, refutes, context = (
        page.index(t) for t in ("A support", "A refutation", "Some context")
    )
    assert supports < refutes < context
    assert "link broken (404)" in page and "link works" in page
    assert "Refuter" in page


def test_claim_page_lists_the_public_verdict_changelog_with_reasons(client, article, editor):
    claim = ClaimFactory(article=article, status=Claim.Status.ACCEPTED)
    claim_set_verdict(
        claim=claim,
        verdict="accurate",
        summary="Right.",
        as_of=dt.date(2025, 1, 1),
        by=editor,
        reason="First review",
    )
    claim.statement = "Edited wording only"
    claim.save()
    claim_set_verdict(
        claim=claim,
        verdict="misleading",
        summary="New data.",
        as_of=dt.date(2025, 6, 1),
        by=editor,
        reason="2024 figures came out",
    )
    # the verdict and its history reach readers once the claim is published
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.PUBLISHED)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Verdict history (2 changes)" in page
    assert page.index("2024 figures came out") < page.index("First review")
    assert 'class="verdict verdict--misleading"' in page


def test_claim_page_charts_confirmed_and_suggested_series_with_table_and_csv(client, article):
    claim = ClaimFactory(article=article)
    confirmed = SeriesFactory(title="Nuclear share, France", unit="%", attribution="OWID")
    suggested = SeriesFactory(title="Electricity demand, World", unit="TWh")
    rejected = SeriesFactory(title="Rejected series")
    for series in (confirmed, suggested):
        ObservationFactory(series=series, period=dt.date(2022, 1, 1), value=62.5)
        ObservationFactory(series=series, period=dt.date(2023, 1, 1), value=65.0)
    ClaimSeries.objects.create(claim=claim, series=confirmed, status="confirmed")
    ClaimSeries.objects.create(claim=claim, series=suggested, status="suggested")
    ClaimSeries.objects.create(claim=claim, series=rejected, status="rejected")

    page = client.get(claim.get_absolute_url()).content.decode()

    assert "Nuclear share, France" in page and "Electricity demand, World" in page
    assert "Rejected series" not in page
    assert page.count("suggested match, not yet confirmed") == 1
    assert f'href="/api/v1/series/{confirmed.pk}/observations/?format=csv"' in page
    island = re.search(
        rf'<script id="series-data-{confirmed.pk}" type="application/json">(.*?)</script>', page
    )
    data = json.loads(island.group(1))
    assert data == {
        "title": "Nuclear share, France",
        "unit": "%",
        "frequency": "annual",
        "x": ["2022-01-01", "2023-01-01"],
        "y": [62.5, 65.0],
    }
    assert '<td class="num">62.5</td>' in page
    assert '<script src="/static/vendor/uplot/uPlot.iife.min.js" defer>' in page
    assert '<link rel="stylesheet" href="/static/vendor/uplot/uPlot.min.css">' in page
    assert '<script src="/static/js/charts.js" defer>' in page


def test_claim_page_numbers_follow_the_reader_language(client, article):
    claim = ClaimFactory(article=article)
    series = SeriesFactory()
    ObservationFactory(series=series, period=dt.date(2023, 1, 1), value=1234.5)
    ClaimSeries.objects.create(claim=claim, series=series, status="confirmed")
    fr = client.get(claim.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    en = client.get(claim.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<td class="num">1\xa0234,5</td>' in fr
    assert '<td class="num">1,234.5</td>' in en


def test_readers_get_404_for_suggested_claims_and_claims_of_drafts(client, alice, login):
    suggested = ClaimFactory(status=Claim.Status.SUGGESTED)
    on_draft = ClaimFactory(article=ArticleFactory(status="draft"))
    login(alice)
    assert client.get(suggested.get_absolute_url()).status_code == 404
    assert client.get(on_draft.get_absolute_url()).status_code == 404


def test_editors_may_preview_a_suggested_claim(client, editor, login):
    suggested = ClaimFactory(status=Claim.Status.SUGGESTED)
    login(editor)
    assert client.get(suggested.get_absolute_url()).status_code == 200


def test_long_daily_series_shows_the_latest_rows_and_charts_them_all(client, article):
    claim = ClaimFactory(article=article)
    series = SeriesFactory(frequency="daily")
    start = dt.date(2024, 1, 1)
    Observation.objects.bulk_create(
        Observation(series=series, period=start + dt.timedelta(days=i), value=i) for i in range(150)
    )
    ClaimSeries.objects.create(claim=claim, series=series, status="confirmed")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "The latest 120 of 150 values; the CSV has them all." in page
    assert page.count('<td class="num">') == 120
    island = re.search(r'<script id="series-data-\d+" type="application/json">(.*?)</script>', page)
    assert len(json.loads(island.group(1))["x"]) == 150

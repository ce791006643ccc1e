"""The matcher suggests sensible series for claims in French and English, is idempotent, and
never brings back a link an editor rejected."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from claims.models import ClaimSeries
from claims.services.series_matching import (
    claim_attach_related_series,
    claim_places,
    claims_attach_related_series,
)
from claims.tasks import attach_related_series
from devtools.catalogue import catalogue_seed_demo
from energy.models import Series
from tests.factories import ArticleFactory, ClaimFactory


@pytest.fixture
def catalogue(db):  # type: ignore[no-untyped-def]
    catalogue_seed_demo()


def claim_for(text: str, *tags: str, language: str = "fr"):  # type: ignore[no-untyped-def]
    article = ArticleFactory(body=text, language=language)
    return ClaimFactory(article=article, start=0, end=len(text), tags=list(tags))


def suggested_keys(claim) -> set[str]:  # type: ignore[no-untyped-def]
    return set(
        ClaimSeries.objects.filter(claim=claim).values_list("series__catalogue_key", flat=True)
    )


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("La France produit 65 % de son électricité avec le nucléaire.", {"France"}),
        ("Les ambitions computationnelles de l’Est inquiètent.", {"China"}),
        ("La Chine construit des réacteurs.", {"China"}),
        ("China is building reactors.", {"China"}),
        ("Les États-Unis et la Chine dominent.", {"United States", "China"}),
        ("US data centres grow fast.", {"United States"}),
        ("La course mondiale à l’infrastructure.", {"World"}),
        ("Worldwide electricity demand rises.", {"World"}),
        ("Nous en sommes qu’aux débuts; il est tard.", set()),
        ("Ce que nous avons vu nous inquiète.", set()),
    ],
)
def test_places_are_recognised_in_french_and_english(text, places):
    assert claim_places(text) == places


def test_french_nuclear_claim_about_france_gets_french_nuclear_series(catalogue):
    claim = claim_for("En France, le nucléaire fournit l’essentiel de l’électricité.", "energy")
    claim_attach_related_series(claim=claim)
    keys = suggested_keys(claim)
    assert {"owid-nuclear-share-france", "owid-nuclear-generation-france"} <= keys
    assert not any(key.endswith(("-china", "-us")) for key in keys)
    link = ClaimSeries.objects.get(claim=claim, series__catalogue_key="owid-nuclear-share-france")
    assert (link.origin, link.status) == (
        ClaimSeries.Origin.SUGGESTED,
        ClaimSeries.Status.SUGGESTED,
    )
    assert "place France" in link.match_reasons and "nucléaire" in link.match_reasons
    assert 0 < link.match_score <= 1


def test_english_claim_about_china_gets_chinese_series(catalogue):
    claim = claim_for("China's nuclear reactors now produce more power.", language="en")
    claim_attach_related_series(claim=claim)
    keys = suggested_keys(claim)
    assert "owid-nuclear-share-china" in keys
    assert "owid-nuclear-share-france" not in keys


def test_the_east_means_china(catalogue):
    claim = claim_for("Les centres de données de l’Est consomment toujours plus.")
    claim_attach_related_series(claim=claim)
    keys = suggested_keys(claim)
    assert {"iea-datacentre-electricity-china", "owid-electricity-demand-china"} <= keys


def test_demand_claim_without_a_place_gets_world_demand(catalogue):
    claim = claim_for("Les réseaux ne suivront pas la consommation d’électricité.", "grids")
    claim_attach_related_series(claim=claim)
    keys = suggested_keys(claim)
    assert "owid-electricity-demand-world" in keys
    assert not any("nuclear" in key for key in keys)


def test_data_centre_claim_gets_the_data_centre_series(catalogue):
    claim = claim_for("Les centres de données dévorent l’électricité.", "data centres")
    claim_attach_related_series(claim=claim)
    keys = suggested_keys(claim)
    assert "iea-datacentre-electricity-world" in keys
    best = ClaimSeries.objects.filter(claim=claim).order_by("-match_score").first()
    assert best.series.catalogue_key == "iea-datacentre-electricity-world"


def test_claim_with_nothing_to_do_with_energy_gets_nothing(catalogue):
    claim = claim_for("Les semi-conducteurs sont soumis à des restrictions.", "geopolitics")
    assert claim_attach_related_series(claim=claim) == 0
    assert suggested_keys(claim) == set()


def test_french_ai_is_not_the_word_ai(catalogue):
    claim = claim_for("J’ai lu ce texte hier soir.")
    claim_attach_related_series(claim=claim)
    assert suggested_keys(claim) == set()


def test_matching_twice_changes_nothing_and_keeps_rejections(catalogue, editor):
    claim = claim_for("La France et son nucléaire.", "nuclear")
    created = claim_attach_related_series(claim=claim)
    assert created >= 2
    links = dict(ClaimSeries.objects.filter(claim=claim).values_list("id", "updated_at"))
    assert claim_attach_related_series(claim=claim) == 0
    assert dict(ClaimSeries.objects.filter(claim=claim).values_list("id", "updated_at")) == links

    rejected = ClaimSeries.objects.get(
        claim=claim, series__catalogue_key="owid-nuclear-share-france"
    )
    rejected.status = ClaimSeries.Status.REJECTED
    rejected.confirmed_by = editor
    rejected.save()
    assert claim_attach_related_series(claim=claim) == 0
    rejected.refresh_from_db()
    assert rejected.status == ClaimSeries.Status.REJECTED


def test_suggestions_that_no_longer_match_are_withdrawn_but_confirmed_ones_stay(catalogue, editor):
    claim = claim_for("La France et son nucléaire.", "nuclear")
    world, china = (
        Series.objects.get(catalogue_key=f"iea-datacentre-electricity-{place}")
        for place in ("world", "china")
    )
    suggested = {"origin": ClaimSeries.Origin.SUGGESTED, "match_score": 0.5}
    stale = ClaimSeries.objects.create(claim=claim, series=world, status="suggested", **suggested)
    kept = ClaimSeries.objects.create(
        claim=claim, series=china, status="confirmed", confirmed_by=editor, **suggested
    )

    claim_attach_related_series(claim=claim)

    pks = set(ClaimSeries.objects.filter(claim=claim).values_list("pk", flat=True))
    assert kept.pk in pks and stale.pk not in pks
    assert "owid-nuclear-share-france" in suggested_keys(claim)


def test_rejected_claims_get_no_suggestions(catalogue):
    claim = claim_for("La France et son nucléaire.", "nuclear")
    claim.status = claim.Status.REJECTED
    claim.save()
    assert claims_attach_related_series() == 0


def test_task_returns_quietly_when_the_claim_is_gone(db):
    assert attach_related_series(987654) == 0


def test_attach_series_command(catalogue):
    claim = claim_for("La France et son nucléaire.", "nuclear")
    out = io.StringIO()
    call_command("attach_series", "--claim", str(claim.pk), stdout=out)
    assert "Nuclear share of electricity generation, France (%)" in out.getvalue()
    with pytest.raises(CommandError, match="no claim with id 987654"):
        call_command("attach_series", "--claim", "987654", stdout=io.StringIO())


def test_sweep_profiles_series_once(catalogue, django_assert_max_num_queries):
    for _ in range(5):
        claim_for("La France et son nucléaire.", "nuclear")
    assert Series.objects.count() == 24
    with django_assert_max_num_queries(3 + 5 * 6):
        claims_attach_related_series()

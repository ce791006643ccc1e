"""The admin claim change page at 1,280 px in Chromium: with its series links (suggested ones
with long titles and match reasons), evidence with long addresses and a data check, the page
fits the width (the series-links table once made it about 2,600 px wide); confirming a series
from the inline's dropdown records who confirmed it and when, as the list action does."""

from __future__ import annotations

from typing import Any

import pytest

from claims.models import ClaimSeries
from tests.factories import ClaimFactory, EvidenceFactory, SeriesFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map(el => el.tagName + '.' + el.className + '#' + el.id).slice(0, 20)"""


def _sign_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def _claim_with_links() -> Any:
    claim = ClaimFactory(status="accepted")
    for n in range(3):
        EvidenceFactory(
            claim=claim,
            url="https://www.rte-france.com/actualites/" + "bilan-electrique-annuel-" * 6 + str(n),
            title_en="RTE, Bilan électrique 2023: production, consommation et échanges " * 2,
        )
    links = []
    for n in range(3):
        series = SeriesFactory(
            title=f"Électricité produite à partir du nucléaire en France, part du total {n} " * 2,
            metric=f"nuclear_share_of_electricity_generation_percent_{n}",
        )
        links.append(
            ClaimSeries.objects.create(
                claim=claim,
                series=series,
                origin=ClaimSeries.Origin.SUGGESTED,
                status=ClaimSeries.Status.SUGGESTED,
                match_score=0.87,
                match_reasons="entity France; metric nuclear share; keywords électricité "
                "nucléaire production part pourcentage réacteurs " * 3,
            )
        )
    return claim, links


def test_the_claim_change_page_fits_1280_px_and_the_inline_confirm_records_who(  # type: ignore[no-untyped-def]
    live_server, page, artifacts
) -> None:
    editor = UserFactory(username="eddie", is_staff=True, is_superuser=True)
    claim, links = _claim_with_links()
    _sign_in(page, live_server, "eddie")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + f"/admin/claims/claim/{claim.pk}/change/")
    assert page.locator("#series_links-group").is_visible()

    width = page.evaluate("document.documentElement.scrollWidth")
    overflowing = page.evaluate(OVERFLOW)
    page.screenshot(path=str(artifacts / "admin-claim-1280.png"), full_page=True)
    assert width <= 1280, overflowing
    assert overflowing == []

    # confirm the first suggestion from its dropdown and save
    page.select_option("#id_series_links-0-status", "confirmed")
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1
    link = ClaimSeries.objects.get(pk=links[0].pk)
    assert link.status == ClaimSeries.Status.CONFIRMED
    assert link.confirmed_by == editor and link.confirmed_at is not None
    # the confirmation shows, and the page still fits
    assert "eddie" in page.locator("#series_links-group").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.script_errors == []

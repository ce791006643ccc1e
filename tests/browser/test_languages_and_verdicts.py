"""The demo's article and claim pages in Chromium, in French and English, at desktop and phone
width: the statement in the reader's language, highlights coloured by verdict with a legend,
cards that flow with the page, an archived evidence copy. Screenshots are committed under
test-artifacts/screenshots/ (the rest of test-artifacts/ stays ignored)."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims.models import Claim, Evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}


def _demo():  # type: ignore[no-untyped-def]
    call_command("demo", stdout=StringIO())
    nuclear = Claim.objects.get(statement_en__startswith="Nuclear power may be")
    text = "France generated about 65 % of its electricity from nuclear power in 2023."
    Evidence.objects.filter(claim=nuclear).update(
        archived_text=text,
        archived_sha256=hashlib.sha256(text.encode()).hexdigest(),
        archived_at=timezone.make_aware(dt.datetime(2026, 3, 5, 9, 0)),
        ok=True,
        http_status=200,
    )
    return nuclear


@pytest.mark.parametrize("language", ["fr", "en"])
def test_demo_pages_in_each_language_and_width(browser, live_server, artifacts, language):  # type: ignore[no-untyped-def]
    claim = _demo()
    shots = artifacts / "screenshots"
    shots.mkdir(exist_ok=True)
    expected = claim.statement_fr if language == "fr" else claim.statement_en  # type: ignore[attr-defined]
    for name, width in WIDTHS.items():
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            locale=language,
            extra_http_headers={"Accept-Language": language},
        )
        page = context.new_page()
        page.goto(live_server.url + claim.article.get_absolute_url())
        legend = page.locator(".verdict-legend")
        assert legend.is_visible()
        colours = page.eval_on_selector_all(
            "mark.claim[id]", "els => els.map(e => getComputedStyle(e).backgroundColor)"
        )
        assert len(set(colours)) >= 3  # published verdicts and "under review" look different
        cards = page.locator(".claim-cards")
        assert cards.evaluate("el => getComputedStyle(el).overflowY") == "visible"
        page.screenshot(path=str(shots / f"article-{language}-{name}.png"), full_page=True)

        page.goto(live_server.url + claim.get_absolute_url())
        assert page.locator("h1").inner_text().strip() == expected
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator(".data-check").count() == 1
        page.screenshot(path=str(shots / f"claim-{language}-{name}.png"), full_page=True)

        page.locator(".evidence-item__archive a").first.click()
        assert "65 % of its electricity" in page.locator(".archive-text").inner_text()
        assert (
            page.locator(".sha").inner_text().strip()
            == Evidence.objects.filter(claim=claim).first().archived_sha256
        )  # type: ignore[union-attr]
        page.screenshot(path=str(shots / f"archive-{language}-{name}.png"), full_page=True)
        context.close()

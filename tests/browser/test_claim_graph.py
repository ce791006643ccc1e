"""The claim graph in headless Chromium: the claim page's "same claim elsewhere" and related
sections, "Has this been checked?" with a check request, and the editors' candidates in admin,
at desktop (1,280 px) and phone width. Screenshots go to test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group

from claims.models import CheckRequest, Claim
from claims.services import claim_link_confirm, claim_links_suggest, claims_index_touch
from tests.claims.similarity_helpers import claim_on_article
from tests.factories import EvidenceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRENCH = "Le nucléaire a fourni environ 65 % de l’électricité française en 2023."
STATEMENT = "Nuclear power supplied about 65% of French electricity in 2023."
ENGLISH = "Nuclear plants generated roughly 65% of France's electricity in 2023."
OVERFLOW = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map(el => el.tagName + '.' + el.className)"""


def _published(claim: Claim) -> Claim:
    Claim.objects.filter(pk=claim.pk).update(
        status="published",
        verdict="accurate",
        verdict_summary="RTE's 2023 review: 65 %.",
        verdict_as_of="2025-01-01",
    )
    claims_index_touch(claim_ids=[claim.pk])  # written around the services: say so
    claim.refresh_from_db()
    return claim


def _editor() -> Any:
    # a superuser: these tests flush the database, and with it the Editor group's permissions
    # that a migration grants; the role itself is tested in tests/editorial
    editor = UserFactory(username="eddie", is_staff=True, is_superuser=True)
    editor.groups.add(Group.objects.get_or_create(name="Editor")[0])
    return editor


def _sign_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def test_the_claim_page_shows_the_same_claim_elsewhere(live_server, page, artifacts) -> None:  # type: ignore[no-untyped-def]
    editor = _editor()
    french = _published(
        claim_on_article(FRENCH, language="fr", statement=STATEMENT, title="Le billet nucléaire")
    )
    EvidenceFactory(claim=french, title="RTE, Bilan électrique 2023", url="https://example.org/rte")
    english = _published(claim_on_article(ENGLISH, title="France's nuclear year"))
    claim_link_confirm(claim=english, other=french, by=editor)
    _published(claim_on_article("Nuclear power supplied about 75% of French electricity in 2005."))

    page.goto(live_server.url + english.get_absolute_url())
    family = page.locator("#same-claim")
    assert family.is_visible()
    assert "The same claim elsewhere" in family.inner_text()
    assert "Le billet nucléaire" in family.inner_text()
    assert family.locator(f'[data-claim="{french.pk}"] .lang-badge').inner_text().lower() == "fr"
    assert family.locator(".verdict--accurate").count() == 1
    assert "RTE, Bilan électrique 2023" in page.locator(".family-evidence").inner_text()
    assert page.locator("#related-claims").is_visible()
    assert page.evaluate(OVERFLOW) == []
    page.screenshot(path=str(artifacts / "claim-family-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate(OVERFLOW) == []
    page.screenshot(path=str(artifacts / "claim-family-phone.png"), full_page=True)
    assert page.script_errors == []

    # the article page marks the French claim as checked elsewhere too
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + english.article.get_absolute_url())
    assert page.locator(".checked-elsewhere").count() == 1


def test_has_this_been_checked_finds_the_french_claim_and_takes_a_request(  # type: ignore[no-untyped-def]
    live_server, page, artifacts
) -> None:
    french = _published(claim_on_article(FRENCH, language="fr", statement=STATEMENT))
    UserFactory(username="rita")

    page.goto(live_server.url + "/")
    page.click("text=Has this been checked?")
    page.fill("#check-q", ENGLISH)
    page.click("form.check-form button[type=submit]")
    page.wait_for_load_state()
    results = page.locator(".check-results")
    assert "Yes: it has been checked" in results.inner_text()
    first = results.locator(".claim-link").first
    assert first.get_attribute("data-claim") == str(french.pk)
    assert first.get_attribute("data-match") == "same"
    assert first.locator(".verdict--accurate").count() == 1
    assert page.evaluate(OVERFLOW) == []
    page.screenshot(path=str(artifacts / "check-found.png"), full_page=True)

    _sign_in(page, live_server, "rita")
    page.goto(live_server.url + "/search/?mode=check")
    page.fill("#check-q", "Offshore wind farms produce 10% of the electricity of Brittany.")
    page.click("form.check-form button[type=submit]")
    page.wait_for_load_state()
    # not the same claim as anything checked (only related ones): the reader may ask
    assert "Ask the editors to check it" in page.locator(".check-results").inner_text()
    page.fill("input[name=url]", "https://example.org/forum/post")
    page.fill("textarea[name=note]", "Seen on a forum.")
    page.screenshot(path=str(artifacts / "check-request-form.png"), full_page=True)
    page.click("#check-request button[type=submit]")
    page.wait_for_load_state()
    assert "the editors have your request" in page.locator(".messages").inner_text()
    request = CheckRequest.objects.get()
    assert request.requester_count == 1
    assert request.requesters.get().url == "https://example.org/forum/post"
    assert page.script_errors == []


def test_editors_review_candidates_side_by_side_at_1280_px(live_server, page, artifacts) -> None:  # type: ignore[no-untyped-def]
    _editor()
    french = claim_on_article(FRENCH, language="fr", statement=STATEMENT, title="Le billet")
    english = claim_on_article(ENGLISH, status="accepted", title="The post")
    claim_links_suggest(claim=english)
    _sign_in(page, live_server, "eddie")
    page.goto(live_server.url + f"/admin/claims/claim/{english.pk}/change/")
    section = page.locator("#same-claim")
    assert "1 suggested match to review" in section.inner_text()
    assert page.evaluate(OVERFLOW) == []
    section.screenshot(path=str(artifacts / "admin-same-claim.png"))
    section.locator(f'button[value="confirm:{french.pk}"]').click()
    page.wait_for_load_state()
    assert "is the same claim" in page.locator(".messagelist").inner_text()
    english.refresh_from_db()
    french.refresh_from_db()
    assert english.family_id == french.family_id is not None

"""The claim page in headless Chromium at desktop and phone width: nothing wider than the
screen (long quotes, URLs, tables, nested replies), a lost quote shown on its own, a
moderated comment reduced to a bare placeholder. Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from claims.models import Claim, ClaimSeries, Evidence
from claims.services import claim_set_verdict
from discussions.models import Comment
from discussions.services import comment_create
from editorial.services.articles import article_update_body
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    ObservationFactory,
    SeriesFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = (
    "Huang pousse fortement pour l’intégration du nucléaire, alors que les centres de données "
    "dévorent l’électricité à des taux sans précédent."
)
SECOND = "Les réseaux actuels ne pourront pas suivre ce qui s’annonce."
BODY = (
    "Le PDG d’un grand fabricant de puces a lâché une bombe sur la course à l’infrastructure.\n"
    f"{FIRST} {SECOND}\n"
    "Celui qui contrôle l’approvisionnement en énergie contrôle le développement de l’IA."
)
OVERFLOW = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .filter(el => !el.closest('details:not([open])'))
    .map(el => el.tagName + '.' + el.className)"""


def _seed():  # type: ignore[no-untyped-def]
    editor = UserFactory(username="eddie", is_staff=True)
    editor.groups.add(Group.objects.get_or_create(name="Editor")[0])
    article = ArticleFactory(title="L’IA et le nucléaire", slug="ia-nucleaire", body=BODY)
    article.language = "fr"
    article.save()
    start = BODY.index(FIRST)
    claim = ClaimFactory(
        article=article,
        start=start,
        end=start + len(FIRST),
        statement="Data centres consume electricity at unprecedented rates.",
        tags=["energy", "nuclear"],
    )
    claim_set_verdict(
        claim=claim,
        verdict="mostly_accurate",
        summary="IEA: about 415 TWh in 2024, growing fast.",
        as_of=dt.date(2025, 4, 1),
        by=editor,
        reason="IEA Energy and AI report",
    )
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.PUBLISHED)
    EvidenceFactory(
        claim=claim,
        stance=Evidence.Stance.SUPPORTS,
        url="https://www.iea.org/reports/energy-and-ai/" + "very-long-path-segment-" * 6,
        title="",
        ok=True,
    )
    EvidenceFactory(claim=claim, stance=Evidence.Stance.REFUTES, title="A refutation", ok=False)
    series = SeriesFactory(title="Nuclear share of electricity, France", unit="%")
    for year, value in [(2019, 70.6), (2020, 67.1), (2021, 69.0), (2022, 62.8), (2023, 64.8)]:
        ObservationFactory(series=series, period=dt.date(year, 1, 1), value=value)
    ClaimSeries.objects.create(claim=claim, series=series, status=ClaimSeries.Status.CONFIRMED)

    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    taken_down = comment_create(article=article, claim=claim, author=alice, body="Offending")
    parent = comment_create(
        article=article, claim=claim, author=bob, parent=taken_down, body="A fair answer."
    )
    for depth in range(8):
        parent = comment_create(
            article=article,
            claim=claim,
            author=alice if depth % 2 else bob,
            parent=parent,
            body=f"Reply at depth {depth + 2}: " + "un argument assez long " * 6,
        )
    Comment.objects.filter(pk=taken_down.pk).update(status=Comment.Status.HIDDEN)
    comment_create(
        article=article,
        claim=claim,
        body="Sans nucléaire, rien.",
        external_author="FlippedSignal",
        external_posted_raw="12-08 11:46",
        external_like_count=12,
        enforce_length=False,
    )

    second = BODY.index(SECOND)
    lost = ClaimFactory(article=article, start=second, end=second + len(SECOND))
    article_update_body(article=article, body=BODY.replace(" " + SECOND, ""), by=editor)
    lost.refresh_from_db()
    assert lost.anchor_status == Claim.Anchor.LOST
    return claim, lost, taken_down


@pytest.mark.parametrize("width", [1280, 390])
def test_claim_pages_fit_the_screen(live_server, page, artifacts, width):
    claim, lost, taken_down = _seed()
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + claim.get_absolute_url())
    page.wait_for_selector(".chart__plot canvas")
    assert page.evaluate(OVERFLOW) == []
    placeholder = page.locator(f"#comment-{taken_down.pk}")
    assert placeholder.text_content() == "This comment is not shown."
    assert "12 likes on the original" in page.text_content("#discussion")
    page.screenshot(path=str(artifacts / f"claim-{width}.png"), full_page=True)

    page.goto(live_server.url + lost.get_absolute_url())
    assert page.evaluate(OVERFLOW) == []
    assert "no longer found" in page.text_content(".claim-context")
    assert page.locator(".claim-context mark").count() == 0
    page.screenshot(path=str(artifacts / f"claim-lost-{width}.png"), full_page=True)

    page.goto(live_server.url + claim.article.get_absolute_url())
    assert page.evaluate(OVERFLOW) == []
    assert page.locator(f"mark[data-claim='{lost.pk}']").count() == 0
    page.screenshot(path=str(artifacts / f"article-lost-{width}.png"), full_page=True)
    assert page.script_errors == []

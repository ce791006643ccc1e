"""Editorial text in the reader's language, the other language marked, and the API's ?lang=."""

from __future__ import annotations

import re

import pytest
from taggit.models import Tag

from core.services import tag_label_set
from tests.factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def _h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.fixture
def bilingual(article):  # type: ignore[no-untyped-def]
    claim = ClaimFactory(
        article=article,
        statement_en="France's power is mostly nuclear.",
        statement_fr="L’électricité française est surtout nucléaire.",
        verdict="accurate",
        verdict_summary_en="About 65 % in 2023.",
        verdict_summary_fr="Environ 65 % en 2023.",
        tags=["energy"],
    )
    tag_label_set(tag=Tag.objects.get(name="energy"), texts={"en": "energy", "fr": "énergie"})
    return claim


@pytest.mark.parametrize(
    ("language", "statement", "summary", "tag"),
    [
        (
            "fr",
            "L’électricité française est surtout nucléaire.",
            "Environ 65 % en 2023.",
            "énergie",
        ),
        ("en", "France's power is mostly nuclear.", "About 65 % in 2023.", ">energy<"),
    ],
)
def test_claim_page_speaks_the_readers_language(
    client, bilingual, language, statement, summary, tag
):  # type: ignore[no-untyped-def]
    html = client.get(bilingual.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content
    page = html.decode().replace("&#x27;", "'")
    assert _h1(page) == statement
    assert summary in page
    assert tag in page
    assert "not translated yet" not in page


def test_a_missing_translation_falls_back_to_the_other_language_and_says_so(client, article):  # type: ignore[no-untyped-def]
    claim = ClaimFactory(article=article, statement_en="Only in English.")
    page = client.get(claim.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<span lang="en" class="fallback">Only in English.</span>' in page
    assert "pas encore traduit" in page or "not translated yet" in page


def test_evidence_title_follows_the_language(client, bilingual):  # type: ignore[no-untyped-def]
    EvidenceFactory(claim=bilingual, title_en="Energy and AI", title_fr="Énergie et IA")
    fr = client.get(bilingual.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    en = client.get(bilingual.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Énergie et IA" in fr and "Energy and AI" not in fr
    assert "Energy and AI" in en


def test_api_answers_in_the_language_asked_with_every_translation_on_detail(client, bilingual):  # type: ignore[no-untyped-def]
    listed = client.get("/api/v1/claims/?lang=fr").json()["results"][0]
    assert listed["statement"] == "L’électricité française est surtout nucléaire."
    assert "translations" not in listed
    detail = client.get(f"/api/v1/claims/{bilingual.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    body = detail.json()
    assert body["statement"] == "France's power is mostly nuclear."
    assert body["translations"]["statement"] == {
        "en": "France's power is mostly nuclear.",
        "fr": "L’électricité française est surtout nucléaire.",
    }
    assert body["translations"]["verdict_summary"]["fr"] == "Environ 65 % en 2023."
    assert client.get(f"/api/v1/claims/{bilingual.pk}/?lang=fr")["Content-Language"] == "fr"


def test_api_withholds_every_translation_of_an_unpublished_verdict(client, article):  # type: ignore[no-untyped-def]
    claim = ClaimFactory(
        article=article,
        status="in_review",
        verdict="accurate",
        verdict_summary_en="Secret",
        verdict_summary_fr="Secret",
    )
    body = client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert body["translations"]["verdict_summary"] == {"en": None, "fr": None}

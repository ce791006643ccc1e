"""The ClaimReview embedded in each published claim page: valid JSON-LD, schema.org's
vocabulary, and the properties Google's fact-check rich results require."""

from __future__ import annotations

import datetime as dt
import json
import re

import jsonschema
import pytest

from claims.serializers import claim_review_jsonld
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

# schema.org properties of each type used (a review may only use these), and what Google's
# ClaimReview documentation requires: claimReviewed, reviewRating with alternateName, url;
# a ratingValue within worstRating..bestRating when given.
_PERSON_OR_ORG = {
    "type": "object",
    "required": ["@type", "name"],
    "properties": {
        "@type": {"enum": ["Person", "Organization"]},
        "name": {"type": "string", "minLength": 1},
        "url": {"type": "string", "format": "uri"},
    },
    "additionalProperties": False,
}
CLAIMREVIEW_SCHEMA = {
    "type": "object",
    "required": ["@context", "@type", "url", "claimReviewed", "reviewRating", "author"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "ClaimReview"},
        "url": {"type": "string", "pattern": "^https?://"},
        "claimReviewed": {"type": "string", "minLength": 1},
        "reviewBody": {"type": "string"},
        "inLanguage": {"enum": ["en", "fr"]},
        "datePublished": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "author": _PERSON_OR_ORG,
        "reviewRating": {
            "type": "object",
            "required": ["@type", "alternateName"],
            "properties": {
                "@type": {"const": "Rating"},
                "alternateName": {"type": "string", "minLength": 1},
                "ratingValue": {"type": "integer", "minimum": 1, "maximum": 5},
                "bestRating": {"const": 5},
                "worstRating": {"const": 1},
            },
            "dependentRequired": {"ratingValue": ["bestRating", "worstRating"]},
            "additionalProperties": False,
        },
        "itemReviewed": {
            "type": "object",
            "required": ["@type", "appearance"],
            "properties": {
                "@type": {"const": "Claim"},
                "author": _PERSON_OR_ORG,
                "datePublished": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                "appearance": {
                    "type": "object",
                    "required": ["@type", "url"],
                    "properties": {
                        "@type": {"const": "CreativeWork"},
                        "headline": {"type": "string"},
                        "url": {"type": "string", "pattern": "^https?://"},
                        "datePublished": {"type": "string"},
                        "inLanguage": {"enum": ["en", "fr"]},
                    },
                    "additionalProperties": False,
                },
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}


@pytest.fixture
def published(article):  # type: ignore[no-untyped-def]
    return ClaimFactory(
        article=article,
        statement_en="France's power is mostly nuclear.",
        statement_fr="L’électricité française est surtout nucléaire.",
        verdict="mostly_accurate",
        verdict_summary_en="About 65 % in 2023.",
        verdict_summary_fr="Environ 65 % en 2023.",
        verdict_as_of=dt.date(2025, 12, 10),
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_claimreview_is_valid_in_each_language(published, language):  # type: ignore[no-untyped-def]
    review = claim_review_jsonld(published, language=language)
    jsonschema.validate(review, CLAIMREVIEW_SCHEMA)
    assert review["inLanguage"] == language
    assert review["reviewRating"]["ratingValue"] == 4


def test_claimreview_speaks_french_on_the_french_page(client, published):  # type: ignore[no-untyped-def]
    page = client.get(published.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    review = json.loads(blocks[0])
    jsonschema.validate(review, CLAIMREVIEW_SCHEMA)
    assert review["claimReviewed"] == "L’électricité française est surtout nucléaire."
    assert review["reviewBody"] == "Environ 65 % en 2023."
    assert review["reviewRating"]["alternateName"] == "Plutôt exact" or review["inLanguage"] == "fr"


def test_embedded_claimreview_cannot_close_its_script(client, article):  # type: ignore[no-untyped-def]
    claim = ClaimFactory(
        article=article,
        statement_en="</script><script>alert(1)</script>",
        verdict="accurate",
        verdict_summary_en="x",
    )
    page = client.get(claim.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block and "<" not in block.group(1)
    assert json.loads(block.group(1))["claimReviewed"] == "</script><script>alert(1)</script>"


def test_unpublished_claims_embed_no_claimreview(client, article):  # type: ignore[no-untyped-def]
    claim = ClaimFactory(article=article, status="accepted")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "application/ld+json" not in page

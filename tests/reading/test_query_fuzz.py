"""Page query parameters under hostile input: NUL bytes, huge integers, long and odd strings.
Every page answers 2xx or 4xx (3xx for a redirect), never 5xx, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ArticleFactory, ClaimFactory, CommentFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00",
    "a\x00b",
    "99999999999999999999",
    "-99999999999999999999",
    "6.18e+34",
    "1.5",
    "0",
    "-1",
    "x" * 5000,
    "é" * 300,
    "'; DROP TABLE articles_article; --",
    "%",
    "\\",
    "l’énergie",
    "\ud7ff\ue000",
    "\u202e",
    " ",
    "",
]
PARAMS = ["q", "tag", "cpage", "page", "sort", "language"]


@pytest.fixture
def pages(db, alice):  # type: ignore[no-untyped-def]
    article = ArticleFactory(slug="gate", language="fr")
    article.tags.add("energy")
    claim = ClaimFactory(article=article)
    CommentFactory(article=article, author=alice)
    return [
        "/",
        "/search/",
        "/tags/energy/",
        article.get_absolute_url(),
        claim.get_absolute_url(),
    ]


def _check(client, url: str, params: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url, params)
    assert response.status_code < 500, (url, params, response.status_code)


@pytest.mark.parametrize("param", PARAMS)
def test_hostile_values_never_answer_5xx(client, pages, param):
    """Findings of an outside audit: `?cpage=99999999999999999999` on article and claim pages,
    and a NUL byte in `/search/?q=`, `/?tag=` and `/tags/<slug>/`, answered 500."""
    for url in pages:
        for value in HOSTILE:
            _check(client, url, {param: value})


def test_a_huge_comment_page_is_served_empty(client, pages):
    response = client.get(pages[3], {"cpage": "99999999999999999999"})
    assert response.status_code == 200


def test_a_nul_byte_in_a_page_address_is_a_400(client, pages):
    assert client.get("/search/", {"q": "a\x00"}).status_code == 400
    assert client.get("/", {"tag": "\x00"}).status_code == 400
    assert client.get("/tags/energy%00/").status_code in (400, 404)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    param=st.sampled_from(PARAMS),
    value=st.one_of(
        st.text(max_size=300),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    ),
    page=st.integers(min_value=0, max_value=4),
)
def test_generated_values_never_answer_5xx(client, pages, param, value, page):
    _check(client, pages[page], {param: value})

"""Fixtures for API tests (loaded for every test folder by tests/conftest.py): clients for each
role, tokens with scopes, a small published corpus."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from claims.models import Claim, ClaimSeries
from integrations.services import token_create
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    CommentFactory,
    EvidenceFactory,
    ObservationFactory,
    SeriesFactory,
    UserFactory,
)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def integrator(db):  # type: ignore[no-untyped-def]
    """A partner an administrator allowed to add evidence and claims (not an editor)."""
    user = UserFactory(username="ivy")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="claims",
            codename__in=["add_evidence", "add_claim", "change_claim"],
        )
    )
    return user


@pytest.fixture
def bearer() -> Callable[..., APIClient]:
    """bearer(user, *scopes) -> an APIClient sending a fresh token with those scopes."""

    def _client(user: Any, *scopes: str) -> APIClient:
        issued = token_create(user=user, name="test", scopes=scopes or ("read",))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
        return client

    return _client


@pytest.fixture
def session() -> Callable[[Any], APIClient]:
    """session(user) -> an APIClient signed in as the user (the web UI's session)."""

    def _client(user: Any) -> APIClient:
        client = APIClient()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _client


@dataclass
class Corpus:
    article: Any
    draft_article: Any
    claim: Claim
    other_claim: Claim
    draft_claim: Claim
    series: Any
    evidence: Any
    comment: Any
    reply: Any


@pytest.fixture
def corpus(db, alice, bob) -> Corpus:  # type: ignore[no-untyped-def]
    article = ArticleFactory(slug="gate-post", language="fr")
    body = article.body
    second = body.index("Data centres")
    claim = ClaimFactory(
        article=article,
        tags=["energy", "nuclear"],
        verdict="accurate",
        verdict_summary="EDF figures agree.",
        verdict_as_of=dt.date(2024, 2, 1),
    )
    other = ClaimFactory(
        article=article,
        start=second,
        end=body.index(".", second) + 1,
        tags=["energy", "datacentres"],
        status=Claim.Status.ACCEPTED,
    )
    draft_article = ArticleFactory(slug="draft", status="draft")
    draft_claim = ClaimFactory(article=draft_article, tags=["energy"])
    series = SeriesFactory(title="Nuclear share of electricity, France", unit="%")
    for year, value in ((2021, 69.0), (2022, 62.5), (2023, 64.8)):
        ObservationFactory(series=series, period=dt.date(year, 1, 1), value=value)
    ClaimSeries.objects.create(claim=claim, series=series)
    evidence = EvidenceFactory(claim=claim, url="https://example.org/rte-2023")
    comment = CommentFactory(article=article, author=alice, body="First!")
    reply = CommentFactory(article=article, author=bob, parent=comment, body="A reply")
    return Corpus(
        article, draft_article, claim, other, draft_claim, series, evidence, comment, reply
    )


ALL_SCOPES = ("read", "write:claims", "write:evidence", "write:comments")


@pytest.fixture
def staff_without_role(db):  # type: ignore[no-untyped-def]
    """An account with is_staff (it may open admin) but in no group: no role at all."""
    return UserFactory(username="stella", is_staff=True)


@pytest.fixture
def as_role(api, session, bearer, alice, integrator, editor, moderator, staff_without_role):  # type: ignore[no-untyped-def]
    """as_role(name) -> a client for one role of the permission matrix."""
    roles: dict[str, Callable[[], APIClient]] = {
        "staff": lambda: session(staff_without_role),
        "anonymous": lambda: api,
        "reader": lambda: session(alice),
        "reader_token": lambda: bearer(alice, "read"),
        "integrator": lambda: bearer(integrator, *ALL_SCOPES),
        "integrator_read": lambda: bearer(integrator, "read"),
        "editor": lambda: session(editor),
        "editor_token": lambda: bearer(editor, *ALL_SCOPES),
        "moderator": lambda: session(moderator),
    }
    return lambda name: roles[name]()


@pytest.fixture
def dead_url() -> str:
    """A loopback URL nothing listens on: evidence links whose background check must not
    leave the machine."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone"

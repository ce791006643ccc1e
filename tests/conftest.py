from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection

from tests.factories import ArticleFactory, UserFactory

# API clients, tokens and the published corpus, for the API tests of every app
pytest_plugins = ["tests.api_fixtures"]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _server_answers(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def missing_server(what: str) -> None:
    """Skip on a laptop without the server; in CI (CI=true) a missing server is a failure."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI but does not answer")
    pytest.skip(f"{what} is not available")


@pytest.fixture
def redis_url() -> str:
    url = (
        os.environ.get("REDIS_URL")
        or os.environ.get("CELERY_BROKER_URL")
        or "redis://127.0.0.1:6379/0"
    )
    if not _server_answers(url, 6379):
        missing_server(f"Redis at {url}")
    return url


@pytest.fixture
def scratch_redis_url() -> str:
    """A Redis database the tests may empty whole (flushdb): the one ASSAY_TEST_REDIS_URL names,
    never a database the run did not get for itself. Without the variable the tests that need
    one skip (fail in CI, whose .ci/run sets it)."""
    url = os.environ.get("ASSAY_TEST_REDIS_URL", "")
    if not url:
        missing_server("a scratch Redis database (set ASSAY_TEST_REDIS_URL)")
    if not _server_answers(url, 6379):
        missing_server(f"Redis at {url}")
    return url


def clear_test_cache() -> None:
    """Empty the cache of what this run wrote: on Redis only the keys under the run's own
    prefix (config/settings_test.py), never the whole database, which may be a developer's."""
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, one instance for the whole test session.

    Playwright's sync API cannot be started twice in one thread once its event loop has run,
    so every browser test shares this one; each test opens its own context.
    """
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is required in CI")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's loop runs in this thread while the tests' own ORM calls stay synchronous;
    # Django's async-safety guard would refuse them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    # Connections opened while Playwright's loop ran belong to its context; close them, or
    # PostgreSQL refuses to drop the test database at the end of the run.
    connection.close()
    from django.db import connections

    connections.close_all()


@pytest.fixture
def require_postgres() -> None:
    """For tests of PostgreSQL-only features (full-text search, COPY): run on the PostgreSQL
    suite; skip on SQLite unless ASSAY_EXPECT_POSTGRES says this run should have had it."""
    if connection.vendor != "postgresql":
        if os.environ.get("ASSAY_EXPECT_POSTGRES"):
            pytest.fail("this run was meant to use PostgreSQL (ASSAY_EXPECT_POSTGRES is set)")
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


def _user(username: str, *, groups: tuple[str, ...] = (), staff: bool = False):  # type: ignore[no-untyped-def]
    user = UserFactory(username=username, is_staff=staff)
    for name in groups:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    return user


@pytest.fixture
def alice(db):  # type: ignore[no-untyped-def]
    return _user("alice")


@pytest.fixture
def bob(db):  # type: ignore[no-untyped-def]
    return _user("bob")


@pytest.fixture
def charlie(db):  # type: ignore[no-untyped-def]
    return _user("charlie")


@pytest.fixture
def editor(db):  # type: ignore[no-untyped-def]
    return _user("eddie", groups=("Editor",), staff=True)


@pytest.fixture
def moderator(db):  # type: ignore[no-untyped-def]
    return _user("morgan", groups=("Moderator",), staff=True)


@pytest.fixture
def article(db):  # type: ignore[no-untyped-def]
    return ArticleFactory()


@pytest.fixture
def login(client) -> Callable:  # type: ignore[no-untyped-def,type-arg]
    """login(user) signs the test client in as that user (bypassing axes and allauth forms)."""

    def _login(user):  # type: ignore[no-untyped-def]
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture(autouse=True)
def _content_version_per_statement(request):  # type: ignore[no-untyped-def]
    """A test inside one transaction never commits, so on PostgreSQL the content triggers
    (deferred to commit) would never move the version its pages are cached under: make them
    fire at each statement for such tests. Transactional tests commit and keep them deferred."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )
    if transactional or ("db" not in request.fixturenames and marker is None):
        return
    request.getfixturevalue("db")
    from core.content_triggers import immediate_sql

    sql = immediate_sql(connection)
    if sql:
        with connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    clear_test_cache()
    yield
    clear_test_cache()


__all__ = ["IN_CI", "clear_test_cache", "missing_server", "settings"]


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: a service that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def use_broker():  # type: ignore[no-untyped-def]
    """use_broker(url): queue jobs to a real broker at `url` instead of running them eagerly."""
    from config.celery import app

    names = ("task_always_eager", "broker_url", "broker_read_url", "broker_write_url")
    saved = {name: app.conf[name] for name in names}

    def _reset_pools() -> None:
        # Celery caches its connection pools per app; a new URL needs fresh ones.
        app._pool = None
        if "amqp" in app.__dict__:
            app.__dict__["amqp"]._producer_pool = None

    def _use(url: str) -> None:
        app.conf.task_always_eager = False
        # the embedded default points the read/write URLs at an in-memory transport
        app.conf.broker_url = app.conf.broker_read_url = app.conf.broker_write_url = url
        _reset_pools()

    yield _use
    for name, value in saved.items():
        app.conf[name] = value
    _reset_pools()


@pytest.fixture(autouse=True)
def _fresh_similarity_index():  # type: ignore[no-untyped-def]
    """Each test starts with no similarity index in the process: the database it was built
    from is rolled back between tests, and ids are reused."""
    from claims.similarity.live import index_forget

    index_forget()
    yield
    index_forget()

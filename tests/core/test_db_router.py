"""The primary/replica router: reads go to the replica unless the client may miss its own write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from articles.models import Article
from core.db_router import (
    PRIMARY,
    REPLICA,
    ROUTER_PATH,
    PrimaryReplicaRouter,
    is_pinned,
    reset_pinned,
)
from core.db_router import set_pinned as pin
from core.middleware import ReplicaPinMiddleware

router = PrimaryReplicaRouter()
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_pin():  # type: ignore[no-untyped-def]
    token = pin(False)
    yield
    reset_pinned(token)


def test_reads_go_to_the_replica() -> None:
    assert router.db_for_read(Article) == REPLICA


def test_writes_go_to_the_primary_and_later_reads_follow() -> None:
    assert router.db_for_write(Article) == PRIMARY
    assert router.db_for_read(Article) == PRIMARY


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_go_to_the_primary() -> None:
    with transaction.atomic():
        assert router.db_for_read(Article) == PRIMARY
    assert router.db_for_read(Article) == REPLICA


def test_migrations_run_on_the_primary_only() -> None:
    assert router.allow_migrate(PRIMARY, "articles")
    assert not router.allow_migrate(REPLICA, "articles")


def test_objects_from_both_databases_may_relate() -> None:
    assert router.allow_relation(Article(), Article())


def _middleware(settings, view):  # type: ignore[no-untyped-def]
    settings.DATABASE_ROUTERS = [ROUTER_PATH]
    settings.REPLICA_PIN_SECONDS = 5
    return ReplicaPinMiddleware(view)


def test_a_write_sets_a_short_cookie_that_pins_the_next_reads(settings, replica) -> None:
    replica(up=True)

    def writing_view(request: HttpRequest) -> HttpResponse:
        router.db_for_write(Article)
        return HttpResponse("ok")

    response = _middleware(settings, writing_view)(RequestFactory().post("/comments/post/1/"))
    cookie = response.cookies[ReplicaPinMiddleware.COOKIE]
    assert cookie["max-age"] == 5
    assert cookie["httponly"]
    assert not is_pinned()  # the pin ends with the request

    seen: list[str] = []

    def reading_view(request: HttpRequest) -> HttpResponse:
        seen.append(router.db_for_read(Article))
        return HttpResponse("ok")

    follow = RequestFactory().get("/articles/x/")
    follow.COOKIES[ReplicaPinMiddleware.COOKIE] = "1"
    _middleware(settings, reading_view)(follow)
    _middleware(settings, reading_view)(RequestFactory().get("/articles/x/"))
    assert seen == [PRIMARY, REPLICA]


def test_reads_set_no_cookie(settings, replica) -> None:
    replica(up=True)

    def reading_view(request: HttpRequest) -> HttpResponse:
        router.db_for_read(Article)
        return HttpResponse("ok")

    response = _middleware(settings, reading_view)(RequestFactory().get("/"))
    assert ReplicaPinMiddleware.COOKIE not in response.cookies


def test_without_a_replica_the_middleware_steps_aside(settings) -> None:
    from django.core.exceptions import MiddlewareNotUsed

    settings.DATABASE_ROUTERS = []
    with pytest.raises(MiddlewareNotUsed):
        ReplicaPinMiddleware(lambda request: HttpResponse())


def test_a_job_reads_from_the_primary(caplog) -> None:
    from celery import shared_task

    seen: list[str] = []

    @shared_task(name="tests.core.read_something")
    def read_something() -> None:
        seen.append(router.db_for_read(Article))

    read_something.delay()
    assert seen == [PRIMARY]
    assert not is_pinned()


def _settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(sorted(s.DATABASES), s.DATABASE_ROUTERS, s.DATABASES.get('replica', {}).get('HOST'))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_replica_url_adds_the_replica_and_the_router() -> None:
    result = _settings_with(
        DATABASE_URL="postgres://app@primary.internal/assay",
        DATABASE_REPLICA_URL="postgres://app@replica.internal/assay",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"['default', 'replica'] ['{ROUTER_PATH}'] replica.internal"


def test_no_replica_url_means_no_router() -> None:
    result = _settings_with(DATABASE_URL="postgres://app@primary.internal/assay")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default'] [] None"


def test_a_replica_without_a_postgresql_primary_is_refused() -> None:
    result = _settings_with(DATABASE_REPLICA_URL="postgres://app@replica.internal/assay")
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL needs DATABASE_URL" in result.stderr


@pytest.fixture
def replica(transactional_db, django_db_blocker, closed_port):  # type: ignore[no-untyped-def]
    """replica(up): a "replica" alias that answers (the test database) or not (nothing there).

    Transactional: inside a test transaction every read would go to the primary anyway."""
    from core import db_router

    def _add(up: bool) -> None:
        config = dict(connections.settings["default"])
        if not up:
            if config["ENGINE"].endswith("sqlite3"):
                config["NAME"] = "/nonexistent-folder/replica.sqlite3"
            else:
                config.update(HOST="127.0.0.1", PORT=closed_port)
        connections.settings["replica"] = config

    db_router._replica_down_until = 0.0
    with django_db_blocker.unblock():
        yield _add
        if "replica" in connections.settings:
            connections["replica"].close()
            del connections["replica"]
            del connections.settings["replica"]
    db_router._replica_down_until = 0.0


@pytest.mark.django_db
def test_a_replica_that_answers_is_used(replica) -> None:
    from core.db_router import replica_available

    replica(up=True)
    assert replica_available()


def test_an_unreachable_replica_sends_reads_to_the_primary(replica, settings, caplog) -> None:
    from core.db_router import replica_available

    replica(up=False)
    assert not replica_available()
    assert "replica unreachable" in caplog.text

    seen: list[str] = []

    def reading_view(request: HttpRequest) -> HttpResponse:
        seen.append(router.db_for_read(Article))
        return HttpResponse("ok")

    _middleware(settings, reading_view)(RequestFactory().get("/articles/x/"))
    assert seen == [PRIMARY]


def test_readyz_reports_a_down_replica_but_stays_ready(client, replica) -> None:
    replica(up=False)
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["failed"] == ["replica"]

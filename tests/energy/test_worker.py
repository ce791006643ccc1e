"""A real Celery worker on Redis and PostgreSQL: killing the worker process in the middle of a
refresh loses nothing and duplicates nothing once the task runs again.

The worker runs as a subprocess on the test database (so it needs PostgreSQL: a separate process
cannot see an in-memory SQLite test database) with the run's scratch Redis database
(ASSAY_TEST_REDIS_URL); the test sees what the worker commits through transactional_db.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.conf import settings as django_settings
from django.db import connection
from werkzeug import Request, Response

from energy.models import Observation, Series
from tests.factories import ObservationFactory, SeriesFactory

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]

DATACENTRE_CSV = (
    Path(django_settings.BASE_DIR) / "energy/static/energy/data/datacentre-electricity.csv"
).read_bytes()
VISIBILITY_TIMEOUT = 4


def _test_database_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def broker(scratch_redis_url: str) -> Iterator[str]:
    url = scratch_redis_url  # the run's own database: emptying it touches nobody else's
    client = redis.Redis.from_url(url)
    client.flushdb()  # leftovers of an earlier run would be delivered to this worker
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def start_worker(
    broker: str, tmp_path: Path, require_postgres: None
) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Start workers on the test database and the energy Redis database; stop them after."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": broker,
        "SOURCE_RETRY_BACKOFF_MS": "0",
        "DB_CONN_MAX_AGE": "0",
        "LOG_FORMAT": "text",
        # A short visibility timeout (4 x the time limit, see settings) so a message whose
        # worker died becomes visible again within seconds rather than minutes; the tasks
        # under test carry their own time limits.
        "CELERY_TASK_TIME_LIMIT": str(VISIBILITY_TIMEOUT // 4),
        "CELERY_TASK_SOFT_TIME_LIMIT": "1",
    }
    started: list[subprocess.Popen[bytes]] = []
    log = (tmp_path / "worker.log").open("ab")

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "-n",
                f"energy-test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the test can kill it whole
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
    log.close()


@pytest.fixture
def worker(start_worker: Callable[[], subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    return start_worker()


def csv_series(url: str, region: str) -> Series:
    series = SeriesFactory(
        source=Series.Source.CSV,
        dataset=url,
        entity=region,
        metric="twh",
        params={"date_column": "year", "value_column": "twh", "where": {"region": region}},
    )
    ObservationFactory(series=series, period=dt.date(1999, 1, 1), value=42.0)
    return series


def test_worker_killed_mid_refresh_loses_and_duplicates_nothing(
    require_postgres, transactional_db, broker, worker, httpserver, tmp_path
):
    arrived, release = threading.Event(), threading.Event()
    calls = {"slow": 0}

    def slow(request: Request) -> Response:
        calls["slow"] += 1
        if calls["slow"] == 1:
            arrived.set()
            release.wait(60)  # held until the worker that asked is dead
        return Response(DATACENTRE_CSV, content_type="text/csv")

    httpserver.expect_request("/fast.csv").respond_with_data(DATACENTRE_CSV)
    httpserver.expect_request("/slow.csv").respond_with_handler(slow)
    # Refreshed in id order: the first series is stored (and committed) before the second's
    # download hangs.
    first = csv_series(httpserver.url_for("/fast.csv"), "World")
    second = csv_series(httpserver.url_for("/slow.csv"), "China")

    # not the current app: shared tasks in later tests must keep resolving to config.celery
    app = Celery("energy-test", broker=broker, set_as_current=False)
    try:
        app.send_task("energy.refresh_series", kwargs={"source": "csv"})
        _wait_for(lambda: arrived.is_set() or worker.poll() is not None, "the worker to fetch", 90)
        assert arrived.is_set(), (tmp_path / "worker.log").read_text()[-3000:]

        first_rows = dict(first.observations.values_list("id", "value"))
        assert len(first_rows) == 4  # 1999 + 2024, 2030, 2035
        assert list(second.observations.values_list("value", flat=True)) == [42.0]

        children = _children(worker.pid)
        assert children, "the prefork worker has no child process"
        for child in children:
            os.kill(child, signal.SIGKILL)
        release.set()

        def second_refreshed() -> bool:
            second.refresh_from_db()
            return second.status == Series.Status.OK

        _wait_for(second_refreshed, "the re-delivered task to refresh the second series")
    finally:
        release.set()
        app.close()

    log = (tmp_path / "worker.log").read_text()
    assert "WorkerLostError" in log or "SIGKILL" in log, log[-3000:]
    assert calls["slow"] == 2
    # Nothing lost: the earlier observation of each series is still there.
    assert first.observations.filter(period=dt.date(1999, 1, 1), value=42.0).exists()
    assert second.observations.filter(period=dt.date(1999, 1, 1), value=42.0).exists()
    # Nothing duplicated or rewritten: the first series' rows are the very same rows.
    assert dict(first.observations.values_list("id", "value")) == first_rows
    assert list(second.observations.values_list("period", "value")) == [
        (dt.date(1999, 1, 1), 42.0),
        (dt.date(2024, 1, 1), 102.0),
        (dt.date(2030, 1, 1), 277.0),
    ]
    assert Observation.objects.count() == 7


def test_whole_worker_killed_mid_refresh_is_redelivered_to_another_worker(
    require_postgres, transactional_db, broker, start_worker, httpserver, tmp_path
):
    arrived, release = threading.Event(), threading.Event()
    calls = {"slow": 0}

    def slow(request: Request) -> Response:
        calls["slow"] += 1
        if calls["slow"] == 1:
            arrived.set()
            release.wait(60)
        return Response(DATACENTRE_CSV, content_type="text/csv")

    httpserver.expect_request("/fast.csv").respond_with_data(DATACENTRE_CSV)
    httpserver.expect_request("/slow.csv").respond_with_handler(slow)
    first = csv_series(httpserver.url_for("/fast.csv"), "World")
    second = csv_series(httpserver.url_for("/slow.csv"), "China")

    # not the current app: shared tasks in later tests must keep resolving to config.celery
    app = Celery("energy-test", broker=broker, set_as_current=False)
    doomed = start_worker()
    try:
        app.send_task("energy.refresh_series", kwargs={"source": "csv"})
        _wait_for(lambda: arrived.is_set() or doomed.poll() is not None, "the worker to fetch", 90)
        assert arrived.is_set(), (tmp_path / "worker.log").read_text()[-3000:]
        first_rows = dict(first.observations.values_list("id", "value"))

        killed_at = time.monotonic()
        os.killpg(doomed.pid, signal.SIGKILL)  # the main process and its pool, unacknowledged
        doomed.wait(10)
        release.set()
        # A worker starting up re-queues unacknowledged messages older than the visibility
        # timeout: start the replacement once the lost one's message has aged past it.
        time.sleep(max(0.0, VISIBILITY_TIMEOUT + 1 - (time.monotonic() - killed_at)))
        start_worker()

        def second_refreshed() -> bool:
            second.refresh_from_db()
            return second.status == Series.Status.OK

        _wait_for(second_refreshed, "another worker to run the unacknowledged task", 90)
    finally:
        release.set()
        app.close()

    assert calls["slow"] == 2
    assert dict(first.observations.values_list("id", "value")) == first_rows
    assert list(second.observations.values_list("period", "value")) == [
        (dt.date(1999, 1, 1), 42.0),
        (dt.date(2024, 1, 1), 102.0),
        (dt.date(2030, 1, 1), 277.0),
    ]
    assert Observation.objects.count() == 7

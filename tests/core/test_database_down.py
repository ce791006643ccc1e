"""With the database unreachable, the site answers a clean 503, never a traceback."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from core.errors import server_error

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


@pytest.fixture(scope="module")
def server_without_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app in production mode under gunicorn; its database is a port nothing listens on."""
    port, dead_db_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{dead_db_port}/assay",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    log = tmp_path_factory.mktemp("server") / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if proc.poll() is not None:
                pytest.fail(f"server exited: {log.read_text()[-2000:]}")
            try:
                _get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_healthz_still_answers_without_the_database(server_without_database: str) -> None:
    status, _, _ = _get(f"{server_without_database}/healthz")
    assert status == 200


def test_readyz_names_the_database(server_without_database: str) -> None:
    status, _, body = _get(f"{server_without_database}/readyz")
    assert status == 503
    assert '"failed": ["database"]' in body


def test_a_page_that_needs_the_database_answers_a_clean_503(server_without_database: str) -> None:
    # A session cookie makes the page look up the session: the first query fails.
    status, headers, body = _get(
        f"{server_without_database}/admin/", headers={"Cookie": "sessionid=abc"}
    )
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "temporarily unavailable" in body
    assert "Traceback" not in body
    assert "OperationalError" not in body


def test_json_clients_get_a_json_503(server_without_database: str) -> None:
    status, headers, body = _get(
        f"{server_without_database}/admin/",
        headers={"Cookie": "sessionid=abc", "Accept": "application/json"},
    )
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert "temporarily unavailable" in body


def test_server_error_handler_turns_a_database_error_into_503() -> None:
    request = RequestFactory().get("/anything/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503


def test_server_error_handler_keeps_500_for_other_errors() -> None:
    request = RequestFactory().get("/anything/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500

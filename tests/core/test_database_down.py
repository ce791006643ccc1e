"""With the database unreachable, the site answers a clean 503, never a traceback."""

from __future__ import annotations

import os
import re
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


def _api_operations() -> list[tuple[str, str]]:
    """Every (method, path) of /api/v1/ in the OpenAPI schema, ids and slugs filled in."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        concrete = re.sub(r"\{[a-z_]*id\}", "1", path).replace("{slug}", "energy")
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                operations.append((method.upper(), concrete))
    return operations


API_OPERATIONS = _api_operations()


@pytest.mark.parametrize(("method", "path"), API_OPERATIONS)
def test_every_api_route_answers_503_with_retry_after(
    server_without_database: str, method: str, path: str
) -> None:
    """Finding of an outside audit: with the database down, pages answered 503 with
    Retry-After, but every /api/v1/ data endpoint answered 500 without it, and export.jsonl
    answered 200, sent one line and broke off. Every route, every method, answers 503 in the
    API's error shape (a token makes even a write reach the database)."""
    import json

    request = urllib.request.Request(  # noqa: S310 - loopback only
        f"{server_without_database}{path}",
        method=method,
        data=b"{}" if method in ("POST", "PUT", "PATCH") else None,
        headers={"Authorization": "Bearer assay_x", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            status, headers, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, dict(exc.headers), exc.read()
    assert status == 503, (method, path, body[:300])
    assert headers["Retry-After"] == "30"
    error = json.loads(body)
    assert (error["status"], error["code"]) == (503, "service_unavailable")
    assert error["request_id"] == headers["X-Request-ID"]


def test_anonymous_api_reads_answer_503_too(server_without_database: str) -> None:
    for path in ("/api/v1/claims/", "/api/v1/export.jsonl", "/api/v1/search/?q=grid"):
        status, headers, body = _get(f"{server_without_database}{path}")
        assert status == 503, (path, body[:300])
        assert headers["Retry-After"] == "30"


def test_api_writes_without_credentials_still_answer_401(server_without_database: str) -> None:
    # nothing to look up: refused before the database is needed
    request = urllib.request.Request(  # noqa: S310 - loopback only
        f"{server_without_database}/api/v1/claims/", method="POST", data=b"{}"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310
    assert refused.value.code == 401
    refused.value.close()

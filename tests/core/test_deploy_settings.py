"""Production settings: `check --deploy` is clean, and a missing secret stops the process."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT")
        and k not in ("SECURE_HSTS_SECONDS", "LOG_FORMAT")
        # set for the browser tests' sake; check --deploy rightly warns about it
        and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    # pytest-django points at the test settings; the check must see the real ones.
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_at_warning_level_with_production_variables() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="assay.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_flags_the_development_defaults() -> None:
    # The same check fails on the development defaults, so the test above is not vacuous.
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="true")
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on
    assert "security.W004" in result.stderr  # no HSTS


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="assay.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key() -> None:
    result = _manage("check", DEBUG="false", SECRET_KEY="short", ALLOWED_HOSTS="assay.example.org")
    assert result.returncode != 0
    assert "at least 32 characters" in result.stderr

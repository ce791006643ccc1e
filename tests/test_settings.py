"""Bad configuration stops the process at start with a message naming the variable."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS = Path(__file__).resolve().parents[1] / "config" / "settings.py"
CLEAN_ENV = (
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "ALLOWED_HOSTS",
    "OWID_BASE_URL",
    "EIA_BASE_URL",
    "EMBER_BASE_URL",
    "COMMENT_MAX_LENGTH",
    "LOG_FORMAT",
)


@pytest.fixture
def env(monkeypatch):
    for name in CLEAN_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def load() -> dict:
    return runpy.run_path(str(SETTINGS))


def test_embedded_default_is_sqlite_eager_tasks_and_local_memory_cache(env):
    s = load()
    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert str(s["DATABASES"]["default"]["NAME"]).endswith("db.sqlite3")
    assert s["CELERY_TASK_ALWAYS_EAGER"] is True
    assert s["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")


def test_production_urls_wire_postgres_redis_and_celery(env):
    env.setenv("DATABASE_URL", "postgres://assay:pw@db.internal:5432/assay")
    env.setenv("REDIS_URL", "redis://cache.internal:6379/1")
    env.setenv("CELERY_BROKER_URL", "redis://cache.internal:6379/0")
    s = load()
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["NAME"], db["USER"]) == ("db.internal", "assay", "assay")
    assert s["CELERY_TASK_ALWAYS_EAGER"] is False
    assert s["CELERY_BROKER_URL"] == "redis://cache.internal:6379/0"
    assert s["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/1"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://db/assay"),
        ("DATABASE_URL", "not a url"),
        ("REDIS_URL", "http://cache:6379"),
        ("CELERY_BROKER_URL", "sqs://queue"),
        ("OWID_BASE_URL", "https://mirror.example.org/energy"),
        ("EIA_BASE_URL", "ftp://api.eia.gov/v2/"),
        ("COMMENT_MAX_LENGTH", "four hundred"),
        ("COMMENT_MAX_LENGTH", "0"),
        ("LOG_FORMAT", "xml"),
        ("ACCOUNT_EMAIL_VERIFICATION", "sometimes"),
    ],
)
def test_bad_value_fails_at_start_naming_the_variable(env, name, value):
    env.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        load()


def test_secret_key_is_required_when_debug_is_off(env):
    env.setenv("DEBUG", "false")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load()


def test_manage_py_reports_a_bad_variable_and_exits_non_zero():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=SETTINGS.parents[1],
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "mysql://db/assay"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr

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
    "COMMENT_POST_RATE",
    "API_THROTTLE_ANON",
    "API_THROTTLE_USER",
    "TIME_ZONE",
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
        ("COMMENT_POST_RATE", "lots"),
        ("COMMENT_POST_RATE", "0/m"),
        ("COMMENT_POST_RATE", "10/minute"),
        ("COMMENT_POST_RATE", "10/00m"),
        ("API_THROTTLE_ANON", "lots"),
        ("API_THROTTLE_ANON", "100/5m"),
        ("API_THROTTLE_USER", "lots"),
        ("API_THROTTLE_USER", "600/week"),
        ("TIME_ZONE", "Mars/Base"),
        ("TIME_ZONE", "Europe"),
    ],
)
def test_bad_value_fails_at_start_naming_the_variable(env, name, value):
    env.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        load()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("COMMENT_POST_RATE", "5/m"),
        ("COMMENT_POST_RATE", "100/5m"),
        ("API_THROTTLE_ANON", "60/min"),
        ("API_THROTTLE_USER", "1000/day"),
        ("API_THROTTLE_USER", "5/s"),
        ("TIME_ZONE", "America/New_York"),
        ("TIME_ZONE", "UTC"),
    ],
)
def test_good_values_are_taken_as_given(env, name, value):
    env.setenv(name, value)
    assert load()[name] == value


def test_accepted_rates_are_read_the_same_way_by_the_code_that_uses_them(env):
    from rest_framework.throttling import SimpleRateThrottle

    from core.ratelimit import parse_rate

    env.setenv("COMMENT_POST_RATE", "100/5m")
    env.setenv("API_THROTTLE_ANON", "60/min")
    s = load()
    assert parse_rate(s["COMMENT_POST_RATE"]).window == 300
    assert SimpleRateThrottle.parse_rate(None, s["API_THROTTLE_ANON"]) == (60, 60)


def test_embedded_default_gives_celery_an_in_memory_transport_with_no_broker_url(env):
    s = load()
    # an empty CELERY_BROKER_URL is what marks the embedded default (health checks rely on it)
    assert s["CELERY_BROKER_URL"] == ""
    assert s["CELERY_BROKER_WRITE_URL"].startswith("memory://")
    assert s["CELERY_BROKER_READ_URL"].startswith("memory://")


def test_a_broker_url_is_used_for_reads_and_writes(env):
    env.setenv("CELERY_BROKER_URL", "redis://cache.internal:6379/0")
    s = load()
    assert "CELERY_BROKER_WRITE_URL" not in s and "CELERY_BROKER_READ_URL" not in s


def test_management_commands_on_the_embedded_default_log_no_broker_warning(tmp_path):
    db = tmp_path / "db.sqlite3"
    script = (
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('migrate', 'core', verbosity=0);"
        "from core.tasks import outbox_flush_task;"
        "outbox_flush_task.delay()"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=SETTINGS.parents[1],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{db}",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "No hostname was supplied" not in result.stderr + result.stdout
    assert "assay.job" in result.stderr  # the job ran (and logged) in-process


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

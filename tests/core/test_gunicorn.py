"""gunicorn's configuration and its JSON access log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from core.gunicorn_logging import access_record

ROOT = Path(__file__).resolve().parents[2]


def _gunicorn(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", *args, "-c", "gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _printed(output: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in output.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def test_config_reads_the_environment() -> None:
    result = _gunicorn("--print-config", WEB_CONCURRENCY="3", GUNICORN_TIMEOUT="45")
    assert result.returncode == 0, result.stderr
    config = _printed(result.stdout)
    assert config["workers"] == "3"
    assert config["timeout"] == "45"
    assert config["preload_app"] == "True"
    assert config["logger_class"] == "core.gunicorn_logging.JsonAccessLogger"


def test_a_bad_value_stops_gunicorn_naming_the_variable() -> None:
    result = _gunicorn("--check-config", GUNICORN_TIMEOUT="soon")
    assert result.returncode != 0
    assert "GUNICORN_TIMEOUT='soon' is not an integer" in result.stderr


def test_access_line_is_json_even_with_quotes_and_newlines_from_the_client() -> None:
    atoms = {
        "h": "10.0.0.7",
        "m": "GET",
        "U": '/articles/x"}\n{"level": "ERROR"/',
        "q": "page=2",
        "s": "200",
        "B": 5120,
        "D": 12345,
        "{x-request-id}o": "abc123",
        "a": 'agent "quoted"',
        "f": "-",
    }
    line = json.dumps(access_record(atoms))
    assert "\n" not in line
    record = json.loads(line)
    assert record["path"] == atoms["U"]
    assert record["status"] == 200
    assert record["bytes"] == 5120
    assert record["duration_ms"] == 12.35
    assert record["request_id"] == "abc123"
    assert record["user_agent"] == 'agent "quoted"'


def test_access_line_without_a_body_counts_zero_bytes() -> None:
    record = access_record({"s": "304", "B": None, "D": 800})
    assert (record["status"], record["bytes"], record["request_id"]) == (304, 0, "-")


def test_every_log_line_is_timed_in_utc_iso_8601(settings) -> None:
    """Finding of an outside audit: gunicorn's access log was in UTC while application lines
    carried the local offset. Application lines (JSON and text), gunicorn's access lines and
    its own lines all use UTC, ISO 8601."""
    import datetime as dt
    import json
    import logging

    from gunicorn.config import Config

    from core.gunicorn_logging import JsonAccessLogger, access_record
    from core.logging import TextFormatter, UtcJsonFormatter

    record = logging.LogRecord("assay.test", logging.INFO, __file__, 1, "hello", None, None)
    record.request_id = "-"
    json_line = json.loads(
        UtcJsonFormatter("%(asctime)s %(message)s", rename_fields={"asctime": "time"}).format(
            record
        )
    )
    text_line = TextFormatter("%(asctime)s %(message)s").format(record)
    stamp = dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")
    assert json_line["time"] == stamp and stamp.endswith("+00:00")
    assert text_line.startswith(stamp)
    assert access_record({"s": "200"})["time"].endswith("+00:00")
    gunicorn = JsonAccessLogger(Config())
    own = gunicorn.error_log.handlers[0].formatter.format(record)  # type: ignore[union-attr]
    expected = dt.datetime.fromtimestamp(int(record.created), dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    assert own.startswith(f"[{expected}+00:00]"), own


def test_several_workers_without_redis_are_warned_of_at_start() -> None:
    """Finding of an outside audit: without Redis, throttles and the comment rate are counted
    per gunicorn worker (x5 on 2 cores) and nothing said so. gunicorn warns at start."""
    result = _gunicorn("--check-config", "--print-config", WEB_CONCURRENCY="5", REDIS_URL="")
    assert result.returncode == 0, result.stderr
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf_under_test", ROOT / "gunicorn.conf.py"
    )
    assert spec is not None and spec.loader is not None
    warnings: list[str] = []

    class Server:
        class log:
            warning = staticmethod(warnings.append)

    env = {"WEB_CONCURRENCY": "5", "REDIS_URL": ""}
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        config = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(config)
        config.on_starting(Server())
        assert len(warnings) == 1 and "per worker" in warnings[0] and "5 workers" in warnings[0]
        warnings.clear()
        os.environ["REDIS_URL"] = "redis://cache.internal:6379/1"
        spec.loader.exec_module(config)
        config.on_starting(Server())
        os.environ["REDIS_URL"] = ""
        os.environ["WEB_CONCURRENCY"] = "1"
        spec.loader.exec_module(config)
        config.on_starting(Server())
        assert warnings == []
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_the_master_warms_up_without_touching_the_database() -> None:
    """What the preloaded master loads for its workers: no connection may be opened there
    (this test has no database: pytest-django makes any access fail)."""
    from django.template import engines

    from core.warmup import warm_up

    loaded = warm_up()
    assert loaded["templates"] > 20
    assert loaded["url_patterns"] > 5
    loader = engines["django"].engine.template_loaders[0]
    assert "reading/article_detail.html" in str(list(loader.get_template_cache))

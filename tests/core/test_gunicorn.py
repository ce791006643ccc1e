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

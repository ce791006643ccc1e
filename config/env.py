"""Typed readers for environment variables that fail loudly, naming the variable.

A typo in production configuration must stop the process at start, not surface
hours later as a confusing error deep in a request.
"""

from __future__ import annotations

import os
import re
import zoneinfo
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of true/false, 1/0, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_float(
    name: str, default: float, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None
    if value != value or (minimum is not None and value < minimum):
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at most {maximum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str, *, schemes: tuple[str, ...]) -> str:
    """A URL with one of `schemes`; empty or unset gives `default`."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    parts = urlsplit(raw)
    if parts.scheme not in schemes:
        allowed = ", ".join(f"{s}://" for s in schemes)
        raise ImproperlyConfigured(f"{name}={raw!r} must start with one of: {allowed}.")
    if not parts.netloc and parts.scheme not in ("sqlite",):
        raise ImproperlyConfigured(f"{name}={raw!r} has no host.")
    return raw


def env_folder_url(name: str, default: str) -> str:
    """A base URL for a data source: http(s) and ending in '/' so relative paths join onto it."""
    value = env_url(name, default, schemes=("http", "https"))
    if not value.endswith("/"):
        raise ImproperlyConfigured(
            f"{name}={value!r} must end with '/': it is a folder that file names are joined onto."
        )
    return value


_WINDOW_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_PERIOD_RATE = re.compile(r"^(\d+)/([smhd][a-z]*)$")


def env_rate(name: str, default: str, *, multiple: bool = True) -> str:
    """A rate "N/unit" (unit s, m, h or d). With `multiple`, "N/Kunit" too ("100/5m", as
    core.ratelimit reads it); without, the unit may be spelled out ("120/min", "1000/day", as
    the API throttles read it) but carries no multiple."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    pattern = _WINDOW_RATE if multiple else _PERIOD_RATE
    match = pattern.match(value)
    if not match or int(match.group(1)) < 1 or (multiple and int(match.group(2) or 1) < 1):
        example = "10/m or 100/5m" if multiple else "120/min or 1000/day"
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate: use N/unit with N at least 1 and unit s, m, h or d"
            f" (for example {example})."
        )
    return value


def env_time_zone(name: str, default: str) -> str:
    """An IANA time zone name such as Europe/Paris or UTC."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a known time zone: "
            "use an IANA name such as Europe/Paris or UTC."
        ) from None
    return value

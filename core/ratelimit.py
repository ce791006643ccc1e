"""Fixed-window rate limits kept in Django's cache (Redis in production, shared by every
process; local memory on the embedded default).

A rate is "N/unit" or "N/Kunit" with unit s, m, h or d: "10/m" is ten per minute, "100/5m"
a hundred per five minutes.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(Exception):
    """A write refused because its author is over their rate; `retry_after` seconds until the
    window resets (pages answer 429 with the text kept, the API 429 in its error shape; both
    send Retry-After)."""

    def __init__(self, retry_after: int, message: str = "") -> None:
        super().__init__(message or f"Too many requests; retry in {retry_after} s.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds


def parse_rate(rate: str) -> Rate:
    match = _RATE.match(rate)
    if not match:
        raise ImproperlyConfigured(
            f"Rate {rate!r} is not of the form N/unit or N/Kunit (unit s, m, h or d)."
        )
    limit, multiple, unit = match.groups()
    window = int(multiple or 1) * _UNIT_SECONDS[unit]
    if int(limit) < 1 or window < 1:
        raise ImproperlyConfigured(f"Rate {rate!r} must allow at least 1 per window.")
    return Rate(int(limit), window)


def rate_limit_hit(*, scope: str, key: str, rate: str, now: float | None = None) -> int | None:
    """Count one hit for `key` in `scope`. None if it is allowed, else the seconds to wait
    before the window resets (for Retry-After)."""
    parsed = parse_rate(rate)
    moment = time.time() if now is None else now
    window_start = int(moment // parsed.window) * parsed.window
    cache_key = f"ratelimit:{scope}:{key}:{window_start}"
    # add() is atomic: only the first hit of a window creates the counter
    count: int | None
    if cache.add(cache_key, 1, timeout=parsed.window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the window expired between add() and incr()
            cache.add(cache_key, 1, timeout=parsed.window + 1)
            count = 1
    if count is None:
        # Redis is down: the cache ignores its errors and answers None. The limit cannot be
        # counted, and refusing every post over it would turn a cache outage into an outage.
        return None
    if not isinstance(count, int):
        # the cache is down (django-redis set to ignore errors answers None): let the post
        # through rather than refuse everyone while Redis is away
        return None
    if count <= parsed.limit:
        return None
    return max(int(window_start + parsed.window - moment) + 1, 1)

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.ratelimit import Rate, parse_rate, rate_limit_hit


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("10/m", Rate(10, 60)),
        ("1/s", Rate(1, 1)),
        ("100/5m", Rate(100, 300)),
        ("3/d", Rate(3, 86400)),
    ],
)
def test_rates_parse(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "ten/m", "10/x", "10", "0/m", "10/0m"])
def test_bad_rates_fail_loudly(text):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)


def test_hits_over_the_limit_get_the_seconds_left_in_the_window():
    now = 1_000_040.0  # 20 s into a minute window (windows start at multiples of 60)
    assert rate_limit_hit(scope="t", key="a", rate="2/m", now=now) is None
    assert rate_limit_hit(scope="t", key="a", rate="2/m", now=now + 1) is None
    assert rate_limit_hit(scope="t", key="a", rate="2/m", now=now + 2) == 39
    # other keys and other scopes count apart
    assert rate_limit_hit(scope="t", key="b", rate="2/m", now=now + 2) is None
    assert rate_limit_hit(scope="u", key="a", rate="2/m", now=now + 2) is None
    # the next window starts afresh
    assert rate_limit_hit(scope="t", key="a", rate="2/m", now=now + 60) is None


@pytest.mark.redis
def test_limit_is_shared_through_redis(scratch_redis_url, settings):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            # cleared whole below: the run's scratch database, never a developer's
            "LOCATION": scratch_redis_url,
        }
    }
    caches["default"].clear()
    try:
        assert rate_limit_hit(scope="r", key="a", rate="1/h", now=7200.0) is None
        assert rate_limit_hit(scope="r", key="a", rate="1/h", now=7201.0) == 3600
    finally:
        caches["default"].clear()


def test_an_unreachable_cache_lets_posts_through(settings):
    import socket

    from django.core.cache import caches

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
    assert caches["default"].add("probe", 1) in (None, False)
    for _ in range(3):
        assert rate_limit_hit(scope="down", key="a", rate="1/m") is None

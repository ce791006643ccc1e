"""The test suite deletes only the Redis keys it wrote: a developer's local Redis keeps the rest."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import clear_test_cache

TESTS = Path(__file__).resolve().parent


def test_only_the_scratch_database_is_ever_emptied_whole() -> None:
    """Finding of an outside audit: the test suite emptied Redis databases it did not create
    (`flushdb` on DB 5 and others, `cache.clear()` on the cache's database) on a developer's
    local Redis. A whole database is emptied only when it is the scratch one a run is given
    (ASSAY_TEST_REDIS_URL, set by CI); the cache is cleared of the run's own prefix."""
    for path in TESTS.rglob("*.py"):
        if path == Path(__file__):
            continue
        text = path.read_text()
        if re.search(r"\.(flushdb|flushall)\(", text) or re.search(r"caches?\[.*\]\.clear\(", text):
            assert "scratch_redis_url" in text, f"{path.relative_to(TESTS)} empties a database"
    assert "flushall" not in (TESTS / "conftest.py").read_text()


@pytest.mark.redis
def test_clearing_the_test_cache_keeps_keys_it_did_not_write(settings, scratch_redis_url) -> None:
    import redis
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": scratch_redis_url,
            "KEY_PREFIX": f"assay-test-hygiene-{os.getpid()}",
        }
    }
    client = redis.Redis.from_url(scratch_redis_url)
    foreign = f"someone-else:{os.getpid()}"
    try:
        client.set(foreign, "keep me", ex=60)
        caches["default"].set("ours", 1)
        clear_test_cache()
        assert caches["default"].get("ours") is None
        assert client.get(foreign) == b"keep me"
    finally:
        client.delete(foreign)
        client.close()

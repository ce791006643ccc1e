"""Probes for load balancers: is each backing service answering right now?

Each probe returns None when the service answers, else a short reason. They never raise, and
each is bounded in time so a hung service makes the probe fail rather than hang the balancer.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

BROKER_TIMEOUT_SECONDS = 1


def database_problem(alias: str = "default") -> str | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return f"{type(exc).__name__}: {exc}".strip()[:300]
    return None


def cache_problem() -> str | None:
    # The production cache swallows its own errors (IGNORE_EXCEPTIONS), so a write that cannot be
    # read back is how an outage shows.
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:  # any backend error means "not ready"
        return f"{type(exc).__name__}: {exc}"[:300]
    return None if ok else "cache did not return what was written"


def broker_problem() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return None  # embedded default: tasks run eagerly in-process, there is no broker
    from celery import current_app as app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as exc:  # kombu raises transport-specific errors
        return f"{type(exc).__name__}: {exc}"[:300]
    return None


def readiness() -> dict[str, str | None]:
    checks = {"database": database_problem()}
    if "replica" in connections:
        checks["replica"] = database_problem("replica")
    checks["cache"] = cache_problem()
    checks["broker"] = broker_problem()
    return checks

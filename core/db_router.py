"""Reads from the read replica, writes to the primary, when DATABASE_REPLICA_URL is set.

A replica lags the primary by a little. So that nobody misses their own write, reads go to the
primary for the rest of a request once it has written, inside any transaction, and for a few
seconds after a client's last write (core.middleware.ReplicaPinMiddleware pins it by cookie).

If the replica cannot be reached, reads fall back to the primary: the site keeps serving from
the primary alone, and the replica is tried again after REPLICA_RETRY_SECONDS.
"""

from __future__ import annotations

import contextvars
import logging
import time
from typing import Any

from django.db import DatabaseError, connections

logger = logging.getLogger("assay.db")

ROUTER_PATH = "core.db_router.PrimaryReplicaRouter"
PRIMARY = "default"
REPLICA = "replica"
REPLICA_RETRY_SECONDS = 30.0

# Set when the current request (or job) wrote, or its client wrote a moment ago.
_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("pinned_to_primary", default=False)


def set_pinned(value: bool = True) -> contextvars.Token[bool]:
    """Read from the primary (or not) until the token is reset: one request, one job."""
    return _pinned.set(value)


def reset_pinned(token: contextvars.Token[bool]) -> None:
    _pinned.reset(token)


def is_pinned() -> bool:
    return _pinned.get()


# monotonic time until which this process does not try the replica again
_replica_down_until = 0.0


def replica_available() -> bool:
    """Whether the replica answers; if not, reads go to the primary for a while.

    With persistent connections (DB_CONN_MAX_AGE) this costs nothing while the replica is up:
    the open connection is reused, and Django's health check notices one that broke.
    """
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError as exc:
        _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning(
            "replica unreachable: reading from the primary",
            extra={
                "error": f"{type(exc).__name__}: {exc}"[:300],
                "retry_in_s": REPLICA_RETRY_SECONDS,
            },
        )
        return False
    return True


class PrimaryReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        if _pinned.get() or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        _pinned.set(True)
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same data: an object read from the replica may point at one
        # read from the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY

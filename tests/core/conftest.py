from __future__ import annotations

import socket

import pytest


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: a service that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def use_broker():  # type: ignore[no-untyped-def]
    """use_broker(url): queue jobs to a real broker at `url` instead of running them eagerly."""
    from config.celery import app

    names = ("task_always_eager", "broker_url", "broker_read_url", "broker_write_url")
    saved = {name: app.conf[name] for name in names}

    def _reset_pools() -> None:
        # Celery caches its connection pools per app; a new URL needs fresh ones.
        app._pool = None
        if "amqp" in app.__dict__:
            app.__dict__["amqp"]._producer_pool = None

    def _use(url: str) -> None:
        app.conf.task_always_eager = False
        # the embedded default points the read/write URLs at an in-memory transport
        app.conf.broker_url = app.conf.broker_read_url = app.conf.broker_write_url = url
        _reset_pools()

    yield _use
    for name, value in saved.items():
        app.conf[name] = value
    _reset_pools()

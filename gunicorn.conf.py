"""gunicorn settings for Assay: `gunicorn -c gunicorn.conf.py config.wsgi`.

Each value can be set from the environment (documented in docs/configuration.md, "Variables
for production").
"""

from __future__ import annotations

import multiprocessing

from config.env import env_bool, env_int, env_str, env_url
from core.gunicorn_logging import per_worker_limits_warning

bind = env_str("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: requests are short and database-bound; 2 per core plus one keeps the cores busy
# while one worker waits on PostgreSQL.
workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1, minimum=1)
threads = env_int("GUNICORN_THREADS", 1, minimum=1)
# A request that takes longer than this is killed and logged; the load balancer retries it.
timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
keepalive = env_int("GUNICORN_KEEPALIVE", 5, minimum=0)
# Recycle workers now and then so a slow leak cannot grow without bound; the jitter keeps them
# from all restarting at once.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 2000, minimum=0)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 200, minimum=0)
# Load Django once in the master and fork: faster start, shared memory pages, and a broken
# configuration fails the start instead of each worker in a loop.
preload_app = env_bool("GUNICORN_PRELOAD", True)
# The heartbeat file lives in memory: a slow disk must not make the master think workers hung.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - the documented place for gunicorn's heartbeat

# The load balancer's address sets X-Forwarded-For/Proto; Django reads the proto header
# (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = env_str("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = env_str("GUNICORN_LOG_LEVEL", "info")
logger_class = "core.gunicorn_logging.JsonAccessLogger"
# gunicorn's runtime control socket is not used; several instances on one host would share its
# default path.
control_socket_disable = True


def on_starting(server: object) -> None:
    """Say at start what a local cache means with several workers (docs/operations.md)."""
    warning = per_worker_limits_warning(
        workers=workers, redis_url=env_url("REDIS_URL", "", schemes=("redis", "rediss", "unix"))
    )
    if warning:
        server.log.warning(warning)  # type: ignore[attr-defined]


def when_ready(server: object) -> None:
    """With the app preloaded, load templates, views and catalogues once in the master, so
    that every worker forked from it (at start and when recycled) serves at full speed from
    its first request (core/warmup.py)."""
    if not preload_app:
        return
    from core.warmup import warm_up

    loaded = warm_up()
    server.log.info(  # type: ignore[attr-defined]
        "warmed up: %(templates)s templates, %(url_patterns)s URL patterns, "
        "%(languages)s languages",
        loaded,
    )

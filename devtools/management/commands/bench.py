"""Benchmark the pages and API lists on a large data set, in a scratch database.

The data set is built in a database of its own (SQLite: a temporary file; PostgreSQL: the
database `<name>_bench`, created and dropped), never in the configured one. Every endpoint goes
through the whole middleware stack with Django's test client, so the times are server time
without the network.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections, router
from django.template.loader import get_template
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from devtools import bench_data
from devtools.bench_data import BenchData, Scale


@dataclass
class Endpoint:
    name: str
    path: Callable[[BenchData], str]
    method: str = "GET"
    data: Callable[[BenchData, int], dict[str, Any]] | None = None
    login: bool = False


@dataclass
class Figures:
    median_ms: float
    p95_ms: float
    queries: int
    sql_ms: float
    slowest_sql: tuple[float, str]
    peak_kib: float
    status: int


class _SqlTimer:
    """Times each SQL statement with perf_counter (Django's query log rounds to milliseconds)."""

    def __init__(self) -> None:
        self.total_ms = 0.0
        self.slowest: tuple[float, str] = (0.0, "")

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            self.total_ms += elapsed
            self.slowest = max(self.slowest, (elapsed, sql))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _reply_data(data: BenchData, i: int) -> dict[str, Any]:
    return {
        "body": f"Benchmark reply {i}: the 2023 figure was 320 TWh.",
        "parent": data.deepest_comment_id,
    }


ENDPOINTS = [
    Endpoint("article page", lambda d: reverse("reading:article", kwargs={"slug": d.article.slug})),
    Endpoint("claim page", lambda d: reverse("reading:claim", kwargs={"pk": d.claim.pk})),
    Endpoint("claims API list", lambda d: "/api/v1/claims/"),
    Endpoint("comments API list", lambda d: f"/api/v1/comments/?article={d.article.pk}"),
    Endpoint("search", lambda d: reverse("reading:search") + "?q=nuclear"),
    Endpoint(
        "post a reply",
        lambda d: reverse("discussions:post", kwargs={"article_pk": d.article.pk}),
        method="POST",
        data=_reply_data,
        login=True,
    ),
]


# a web worker serving the 10,000-comment article with every comment shown, whole process
PAGE_MEMORY_BUDGET_MIB = 120


class Command(BaseCommand):
    help = (
        "Build a large data set in a scratch database and print, per page and API list, median and "
        "p95 server time, SQL queries and peak memory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quick",
            action="store_true",
            help="A smaller data set and fewer runs (well under a minute on SQLite).",
        )
        parser.add_argument(
            "--memory",
            action="store_true",
            help="Only the memory of the 10,000-comment article page with every comment shown "
            "(the full thread, few claims and series: about a minute).",
        )
        parser.add_argument("--runs", type=int, default=0, help="Timed requests per endpoint.")
        parser.add_argument(
            "--keep", action="store_true", help="Keep the scratch database (its name is printed)."
        )

    def handle(
        self, *args: Any, quick: bool, memory: bool, runs: int, keep: bool, **options: Any
    ) -> None:
        self.verbosity = int(options["verbosity"])
        if runs < 0:
            raise CommandError("--runs must be at least 1.")
        runs = runs or (15 if quick else 40)
        scale = Scale.quick() if quick else Scale.full()
        if memory:
            # the thread at full size; the rest only as much as the page shows
            scale = replace(scale, claims=scale.claims_on_article, series=10, observations=10_000)
        # Reads must come from the scratch database, not from a replica of the real one.
        router.routers = []
        for alias in list(connections):
            if alias != "default":
                connections[alias].close()
        from celery import current_app as app

        eager = app.conf.task_always_eager
        # Jobs queued by the measured writes must run here, against the scratch database,
        # never reach a worker that would look their ids up in the real one.
        app.conf.task_always_eager = True
        # `timeout` and Ctrl-C still drop the scratch database (the finally below).
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
        old_name = self._create_scratch_database()
        # One log line per request would drown the figures; warnings and errors still show.
        logging.disable(logging.INFO)
        try:
            with warnings.catch_warnings():
                # WhiteNoise warns that collectstatic has not run; the figures do not need it.
                warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
                if memory:
                    self._page_memory(bench_data.build(scale, label="large"))
                else:
                    self._run(scale, runs, quick)
        finally:
            logging.disable(logging.NOTSET)
            app.conf.task_always_eager = eager
            if keep:
                self.stdout.write(f"scratch database kept: {connection.settings_dict['NAME']}")
            else:
                scratch = str(connection.settings_dict["NAME"])
                connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
                if connection.vendor == "sqlite":
                    shutil.rmtree(Path(scratch).parent, ignore_errors=True)

    # --- scratch database --------------------------------------------------------------------
    def _create_scratch_database(self) -> str:
        db = connection.settings_dict
        old_name = str(db["NAME"])
        if connection.vendor == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="assay-bench-"))
            scratch = str(folder / "bench.sqlite3")
        else:
            scratch = f"{old_name}_bench"
        if scratch == old_name:
            raise CommandError("the scratch database would be the configured one; refusing.")
        db.setdefault("TEST", {})
        db["TEST"] = {**db["TEST"], "NAME": scratch, "MIGRATE": True}
        self.stderr.write(f"creating scratch database {scratch} ...")
        started = time.perf_counter()
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=False
        )
        self.stderr.write(f"  migrated in {time.perf_counter() - started:.1f} s")
        return old_name

    # --- measuring ---------------------------------------------------------------------------
    def _run(self, scale: Scale, runs: int, quick: bool) -> None:
        started = time.perf_counter()
        small = bench_data.build(Scale.small(), label="small")
        large = bench_data.build(scale, label="large")
        built = time.perf_counter() - started
        counts = ", ".join(f"{v:,} {k}" for k, v in large.counts.items())
        self.stdout.write(f"data set ({'quick' if quick else 'full'}): {counts}")
        self.stdout.write(
            f"  article thread: {large.counts['comments']:,} comments, one chain "
            f"{scale.chain_depth} deep; built in {built:.1f} s on {connection.vendor}"
        )
        self.stdout.write(f"  {runs} timed requests per endpoint after 2 warm-ups; server time\n")
        header = (
            f"{'endpoint':<20} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'SQL ms':>7} "
            f"{'peak KiB':>9}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        flat: list[tuple[str, int | None, int | None]] = []
        article_page_served = False
        # Requests arrive over HTTPS, as behind the production proxy, for the test client's host.
        # Pages are rendered, not read back from the page cache (`loadtest` measures that), and
        # the mails a posted reply sends stay in memory.
        with override_settings(
            DEBUG=False,
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            PAGE_CACHE_SECONDS=0,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ):
            for endpoint in ENDPOINTS:
                result = self._measure(endpoint, large, runs)
                if isinstance(result, str):
                    self.stdout.write(f"{endpoint.name:<20} {result}")
                    flat.append((endpoint.name, None, None))
                    continue
                self.stdout.write(
                    f"{endpoint.name:<20} {result.median_ms:>10.1f} {result.p95_ms:>9.1f} "
                    f"{result.queries:>8} {result.sql_ms:>7.1f} {result.peak_kib:>9.0f}"
                )
                if self.verbosity >= 2:
                    slow_ms, slow_sql = result.slowest_sql
                    self.stdout.write(f"    slowest query {slow_ms:.1f} ms: {slow_sql[:400]}")
                small_result = self._measure(endpoint, small, 3)
                small_queries = small_result.queries if isinstance(small_result, Figures) else None
                flat.append((endpoint.name, small_queries, result.queries))
                article_page_served |= endpoint.name == "article page"
            self.stdout.write("")
            self.stdout.write("queries, small data set -> large data set (must not grow):")
            for name, small_q, large_q in flat:
                if small_q is None or large_q is None:
                    continue
                verdict = "flat" if large_q <= small_q else "GROWS"
                self.stdout.write(f"  {name:<20} {small_q:>4} -> {large_q:<4} {verdict}")
            self.stdout.write("")
            if not article_page_served:
                self.stdout.write("article page / floor render: n/a (no article page)")
            else:
                self._floor_ratio(large, runs)
        self._page_memory(large)

    def _client_for(self, endpoint: Endpoint, data: BenchData, i: int) -> Client:
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        if endpoint.login:
            # a different user for each post, so the per-user posting rate limit never applies
            user = data.users[i % len(data.users)]
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    def _request(self, endpoint: Endpoint, data: BenchData, i: int) -> Any:
        client = self._client_for(endpoint, data, i)
        path = endpoint.path(data)
        if endpoint.method == "POST":
            payload = endpoint.data(data, i) if endpoint.data else {}
            return client.post(path, payload)
        return client.get(path)

    def _measure(self, endpoint: Endpoint, data: BenchData, runs: int) -> Figures | str:
        try:
            path = endpoint.path(data)
            match = resolve(path.split("?", 1)[0])
        except (NoReverseMatch, Resolver404):
            return "n/a (no route)"
        if getattr(match, "url_name", "") == "not-found":
            return "n/a (no route)"
        i = 0
        for _ in range(2):  # warm-up: template loading, caches
            response = self._request(endpoint, data, i)
            i += 1
            if response.status_code >= 400:
                return f"n/a (HTTP {response.status_code})"
        times: list[float] = []
        queries: list[int] = []
        sql_times: list[float] = []
        slowest: tuple[float, str] = (0.0, "")
        for _ in range(runs):
            # the session login of a posting user is set up outside the timed part
            client = self._client_for(endpoint, data, i)
            payload = endpoint.data(data, i) if endpoint.data else {}
            gc.collect()
            timer = _SqlTimer()
            with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
                started = time.perf_counter()
                if endpoint.method == "POST":
                    response = client.post(path, payload)
                else:
                    response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured.captured_queries))
            sql_times.append(timer.total_ms)
            slowest = max(slowest, timer.slowest)
            i += 1
        # memory in a separate request: tracing slows Python down several times
        client = self._client_for(endpoint, data, i)
        payload = endpoint.data(data, i) if endpoint.data else {}
        tracemalloc.start()
        try:
            response = client.post(path, payload) if endpoint.method == "POST" else client.get(path)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        return Figures(
            median_ms=statistics.median(times),
            p95_ms=_p95(times),
            queries=max(queries),
            sql_ms=statistics.median(sql_times),
            slowest_sql=slowest,
            peak_kib=peak / 1024,
            status=response.status_code,
        )

    def _page_memory(self, data: BenchData) -> None:
        """Peak memory of a process serving the article with every comment shown
        (devtools.page_memory, in a process of its own on the scratch database)."""
        db = connection.settings_dict
        if connection.vendor == "sqlite":
            url = f"sqlite:///{db['NAME']}"
        else:
            url = (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                f"/{db['NAME']}"
            )
        env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
        env.pop("CELERY_BROKER_URL", None)
        result = subprocess.run(  # noqa: S603 - this interpreter, our module
            [sys.executable, "-m", "devtools.page_memory", data.article.slug],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            self.stdout.write(f"article page, every comment: failed\n{result.stderr[-2000:]}")
            return
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        met = figures["peak_rss_mib"] <= PAGE_MEMORY_BUDGET_MIB
        self.stdout.write(
            f"article page, every comment ({figures['comments_shown']:,} shown, "
            f"{figures['page_kib']:,} KiB): process peak {figures['peak_rss_mib']} MiB "
            f"(before the request {figures['rss_before_mib']} MiB; the request's own Python "
            f"allocations peak at {figures['request_traced_peak_mib']} MiB); budget "
            f"{PAGE_MEMORY_BUDGET_MIB} MiB: {'met' if met else 'NOT met'}"
        )

    def _floor_ratio(self, data: BenchData, runs: int) -> None:
        """The article page's time over the time to render the same template from the same,
        already loaded context (no queries, no ORM work left): the floor for that page.

        Page requests and floor renders alternate, so a busy machine slows both alike.
        """
        path = reverse("reading:article", kwargs={"slug": data.article.slug})
        setup_test_environment()
        try:
            response = Client(HTTP_X_FORWARDED_PROTO="https").get(path)
        finally:
            teardown_test_environment()
        contexts = response.context
        templates = getattr(response, "templates", [])
        if contexts is None or not templates:
            self.stdout.write("article page / floor: n/a (the page renders no template)")
            return
        top: Any = contexts[0] if isinstance(contexts, list) else contexts
        flat_context = top.flatten()
        template = get_template(templates[0].name)
        # render once so every lazy value in the context is loaded, then time the renders
        html = template.render(flat_context)
        page_times: list[float] = []
        floor_times: list[float] = []
        floor_queries = 0
        for _ in range(runs):
            client = Client(HTTP_X_FORWARDED_PROTO="https")
            gc.collect()
            started = time.perf_counter()
            client.get(path)
            page_times.append((time.perf_counter() - started) * 1000)
            gc.collect()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                html = template.render(flat_context)
                floor_times.append((time.perf_counter() - started) * 1000)
            floor_queries += len(captured.captured_queries)
        page = statistics.median(page_times)
        floor = statistics.median(floor_times)
        ratio = page / floor if floor else float("inf")
        target = "within" if ratio <= 1.5 else "over"
        self.stdout.write(
            f"article page / floor render: {ratio:.2f}x (page {page:.1f} ms, floor {floor:.1f} ms, "
            f"{len(html):,} bytes of HTML, {floor_queries} queries in the floor renders; "
            f"target <= 1.5x: {target})"
        )

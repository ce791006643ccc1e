from __future__ import annotations

import datetime as dt
import resource
import sys
import time
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from energy.ingest import UpsertCounts, observations_upsert
from energy.models import Series

BENCH_DATASET = "bench-ingest"
EPOCH = dt.date(1900, 1, 1)


def _peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _points(series_index: int, count: int) -> Iterator[tuple[dt.date, float]]:
    """Daily points generated on the fly: nothing holds the whole data set."""
    for day in range(count):
        yield EPOCH + dt.timedelta(days=day), float(series_index * 1000 + day % 997) / 7.0


class Command(BaseCommand):
    help = (
        "Benchmark observation upserts on the configured database: a first load of N rows, "
        "then a reload of the same rows (which must write none). Prints rows/s and peak memory. "
        "Uses its own series (dataset 'bench-ingest') and deletes them at the end."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument(
            "--per-series", type=int, default=10_000, help="rows per series (one transaction each)"
        )
        parser.add_argument("--keep", action="store_true", help="keep the benchmark series")

    def handle(self, *args: Any, **options: Any) -> None:
        rows, per_series = options["rows"], max(1, options["per_series"])
        n_series = -(-rows // per_series)
        Series.objects.filter(dataset=BENCH_DATASET).delete()
        series_ids = [
            Series.objects.create(
                source=Series.Source.CSV,
                dataset=BENCH_DATASET,
                entity=f"bench-{i}",
                metric="value",
                title=f"Benchmark series {i}",
                unit="1",
            ).pk
            for i in range(n_series)
        ]
        self.stdout.write(
            f"{connection.vendor}: {rows:,} rows in {n_series} series of up to {per_series:,}"
        )
        rss_before = _peak_rss_mib()
        try:
            first = self._load(series_ids, rows, per_series, "first load")
            reload = self._load(series_ids, rows, per_series, "reload")
        finally:
            if not options["keep"]:
                Series.objects.filter(dataset=BENCH_DATASET).delete()
        ratio = reload[1] / first[1] if first[1] else 0.0
        self.stdout.write(
            f"reload/first-load time: {ratio:.2f}x; reload wrote {reload[0].changed:,} rows; "
            f"peak RSS {_peak_rss_mib():.0f} MiB (was {rss_before:.0f} MiB before loading)"
        )

    def _load(
        self, series_ids: list[int], rows: int, per_series: int, label: str
    ) -> tuple[UpsertCounts, float]:
        total = UpsertCounts()
        started = time.perf_counter()
        remaining = rows
        for index, series_id in enumerate(series_ids):
            count = min(per_series, remaining)
            remaining -= count
            with transaction.atomic():
                total += observations_upsert(series_id=series_id, points=_points(index, count))
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{label}: {total.received:,} rows in {elapsed:.2f} s = "
            f"{total.received / elapsed:,.0f} rows/s; {total.created:,} inserted, "
            f"{total.updated:,} updated, {total.unchanged:,} unchanged"
        )
        return total, elapsed

"""Idempotent upserts of observations: write only what is new or changed.

Both paths stream the points (a generator of any length is fine) and must run inside the
caller's transaction, one per series, so a failure half-way leaves the series as it was.

PostgreSQL: COPY (binary) into a temporary staging table, then one
INSERT ... ON CONFLICT (series_id, period) DO UPDATE ... WHERE the value is distinct, so
unchanged rows are neither rewritten nor counted. Other databases (SQLite): compare with the
series' current values, then bulk_create(update_conflicts=True) the new and changed rows in
chunks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection

from energy.models import Observation

CHUNK_SIZE = 2000
_STAGE = "energy_observation_stage"


@dataclass
class UpsertCounts:
    received: int = 0
    created: int = 0
    updated: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated

    @property
    def unchanged(self) -> int:
        return self.received - self.changed

    def __iadd__(self, other: UpsertCounts) -> UpsertCounts:
        self.received += other.received
        self.created += other.created
        self.updated += other.updated
        return self


def observations_upsert(*, series_id: int, points: Iterable[tuple[dt.date, float]]) -> UpsertCounts:
    """Upsert `points` of one series; call inside transaction.atomic()."""
    if not connection.in_atomic_block:
        raise RuntimeError("observations_upsert must run inside transaction.atomic()")
    if connection.vendor == "postgresql":
        return _upsert_postgres(series_id, points)
    return _upsert_bulk(series_id, points)


def _upsert_postgres(series_id: int, points: Iterable[tuple[dt.date, float]]) -> UpsertCounts:
    counts = UpsertCounts()
    table = Observation._meta.db_table

    def counted() -> Iterator[tuple[dt.date, float]]:
        for point in points:
            counts.received += 1
            yield point

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} "
            "(period date NOT NULL, value double precision NOT NULL) ON COMMIT DELETE ROWS"
        )
        # The same transaction may upsert several series: start from an empty stage.
        cursor.execute(f"TRUNCATE {_STAGE}")
        raw = cursor.cursor
        with raw.copy(f"COPY {_STAGE} (period, value) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["date", "float8"])
            for row in counted():
                copy.write_row(row)
        cursor.execute(
            f"""
            WITH upserted AS (
                INSERT INTO {table} (series_id, period, value)
                SELECT %s, period, value FROM {_STAGE}
                ON CONFLICT (series_id, period) DO UPDATE SET value = EXCLUDED.value
                WHERE {table}.value IS DISTINCT FROM EXCLUDED.value
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
            FROM upserted
            """,  # noqa: S608 - table names come from the model, values are parameters
            [series_id],
        )
        created, updated = cursor.fetchone()
    counts.created, counts.updated = int(created), int(updated)
    return counts


def _upsert_bulk(series_id: int, points: Iterable[tuple[dt.date, float]]) -> UpsertCounts:
    counts = UpsertCounts()
    # One series' current values: bounded by the series' length, not by the table's.
    existing = dict(Observation.objects.filter(series_id=series_id).values_list("period", "value"))
    batch: list[Observation] = []

    def flush() -> None:
        if batch:
            Observation.objects.bulk_create(
                batch,
                update_conflicts=True,
                unique_fields=["series", "period"],
                update_fields=["value"],
            )
            batch.clear()

    for period, value in points:
        counts.received += 1
        old = existing.get(period)
        if old is None:
            counts.created += 1
        elif old != value:
            counts.updated += 1
        else:
            continue
        batch.append(Observation(series_id=series_id, period=period, value=value))
        if len(batch) >= CHUNK_SIZE:
            flush()
    flush()
    return counts

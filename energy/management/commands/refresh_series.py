from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from energy.models import Series
from energy.services import series_refresh


class Command(BaseCommand):
    help = (
        "Refresh energy-data series from their sources (one download per payload: the OWID "
        "file serves every OWID series). Unchanged data writes nothing; a bad payload marks "
        "the series failed with the reason and keeps its observations. Exits non-zero when "
        "every series failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", choices=[choice for choice, _ in Series.Source.choices])
        parser.add_argument("--series", type=int, action="append", dest="series_ids", metavar="ID")

    def handle(self, *args: Any, **options: Any) -> None:
        report = series_refresh(source=options["source"], series_ids=options["series_ids"])
        if not report.outcomes:
            self.stdout.write("No series to refresh: the catalogue has none for that choice.")
            return
        for outcome in report.outcomes:
            line = outcome.describe()
            self.stdout.write(self.style.ERROR(line) if outcome.state == "failed" else line)
        written = sum(o.counts.changed for o in report.outcomes)
        self.stdout.write(
            f"{len(report.outcomes)} series, {len(report.failed)} failed, "
            f"{written} observations written."
        )
        if report.all_failed:
            raise CommandError(f"every series failed; first error: {report.failed[0].error}")

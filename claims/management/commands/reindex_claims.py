"""(Re)build the stored sentence vectors of every claim."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.services.similarity import REINDEX_BATCH, claims_reindex
from claims.similarity.embedder import EmbedderUnavailable, get_embedder

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Embed every claim whose quote or statement changed since it was last embedded (or "
        "every claim with --force), with a progress bar; --suggest then looks for same-claim "
        "links of each claim it embedded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="embed every claim again")
        parser.add_argument(
            "--suggest", action="store_true", help="suggest same-claim links afterwards"
        )
        parser.add_argument("--batch-size", type=int, default=REINDEX_BATCH)
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes that encode (default 1; up to one per idle core)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1 or options["workers"] < 1:
            raise CommandError("--batch-size and --workers must be at least 1.")
        self._last_line = 0.0
        try:
            self.stderr.write("loading the sentence encoder …")
            get_embedder().encode(["load the model"])  # so the rate below is the embedding's
            started = time.perf_counter()
            report = claims_reindex(
                force=options["force"],
                suggest=options["suggest"],
                batch_size=options["batch_size"],
                workers=options["workers"],
                progress=self._progress,
            )
        except EmbedderUnavailable as exc:
            raise CommandError(f"The sentence encoder cannot run here: {exc}") from None
        self.stderr.write("")
        rate = report.embedded / report.seconds if report.seconds else 0.0
        self.stdout.write(
            f"{report.total} claims: {report.embedded} embedded, {report.unchanged} unchanged, "
            f"in {time.perf_counter() - started:.1f} s ({rate:.0f} claims/s)"
            + (f"; {report.suggested} same-claim links suggested" if options["suggest"] else "")
        )

    def _progress(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        line = f"[{bar}] {done}/{total}"
        if sys.stderr.isatty():
            self.stderr.write("\r" + line, ending="")
        elif done == total or time.monotonic() - self._last_line > 5:
            # a log, not a terminal: a line every few seconds
            self.stderr.write(line)
            self._last_line = time.monotonic()

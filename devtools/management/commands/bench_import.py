from __future__ import annotations

import resource
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.models import Article
from devtools.import_bench import gate_dump
from discussions.models import Comment
from editorial.importers import plan_post_import
from editorial.services.articles import article_import_post

MIB = 1024 * 1024


def _peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MIB if sys.platform == "darwin" else peak / 1024


class Command(BaseCommand):
    help = (
        "Benchmark import_post on a generated post page dump (Gate, English interface) of "
        "--mb megabytes: the parse alone (nothing written), then the whole import into the "
        "configured database. Prints wall and CPU seconds of the best run and peak memory; "
        "deletes the imported articles unless --keep. Exit 1 when the best import is slower "
        "than --target-seconds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mb", type=float, default=5.0, help="dump size in MiB (default 5)")
        parser.add_argument("--runs", type=int, default=3, help="timed runs (default 3)")
        parser.add_argument("--target-seconds", type=float, default=5.0)
        parser.add_argument("--keep", action="store_true", help="keep the imported articles")

    def handle(self, *args: Any, **options: Any) -> None:
        size, runs = int(options["mb"] * MIB), max(1, options["runs"])
        if size <= 0:
            raise CommandError("--mb must be more than 0")
        dumps = [gate_dump(size, seed=run) for run in range(runs)]
        first, comments = dumps[0]
        self.stdout.write(
            f"Dump: {len(first.encode()) / MIB:.2f} MiB, {first.count(chr(10))} lines, "
            f"{comments} comments (gate-en layout), {runs} runs"
        )

        parse: list[tuple[float, float]] = []
        for text, _count in dumps:
            wall, cpu = time.perf_counter(), time.process_time()
            plan = plan_post_import(text.encode())
            parse.append((time.perf_counter() - wall, time.process_time() - cpu))
            if plan.layout != "gate-en" or plan.unplaced:
                raise CommandError(f"the generated dump did not parse cleanly ({plan.layout})")
        self._line("parse (nothing written)", parse)

        imported: list[tuple[float, float]] = []
        article_ids: list[int] = []
        try:
            for text, count in dumps:
                wall, cpu = time.perf_counter(), time.process_time()
                result = article_import_post(raw=text.encode())
                imported.append((time.perf_counter() - wall, time.process_time() - cpu))
                article_ids.append(result.article.pk)
                stored = Comment.objects.filter(article=result.article).count()
                if not result.created or stored != count:
                    raise CommandError(f"stored {stored} comments of {count}")
        finally:
            if not options["keep"]:
                Article.objects.filter(pk__in=article_ids).delete()
        self._line("import (parse and write)", imported)
        best = min(wall for wall, _cpu in imported)
        self.stdout.write(
            f"  {comments / best:,.0f} comments/s; peak memory {_peak_rss_mib():.0f} MiB"
        )
        if options["keep"]:
            self.stdout.write(f"  kept articles: {', '.join(map(str, article_ids))}")
        if best > options["target_seconds"]:
            raise CommandError(
                f"the best import took {best:.2f} s, over the {options['target_seconds']} s target"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Best import {best:.2f} s (target {options['target_seconds']} s).")
        )

    def _line(self, label: str, timings: list[tuple[float, float]]) -> None:
        wall, cpu = min(timings)
        walls = ", ".join(f"{w:.2f}" for w, _c in timings)
        self.stdout.write(f"{label:<26} best {wall:.2f} s wall, {cpu:.2f} s CPU (runs: {walls})")

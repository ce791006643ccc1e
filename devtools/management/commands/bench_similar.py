"""Benchmark similar-claim search and embedding: the index on 100,000 synthetic claims
(latency, memory, recall@10 against exact float32 search) and the embedding throughput of
reindex_claims on a scratch database."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from claims.similarity.embedder import get_embedder
from claims.similarity.index import SCAN_THREADS
from devtools.evaluation.similarity import DATA_DIR, LabelledSet
from devtools.similarity_bench import build_corpus, run, variants

P95_BUDGET_MS = 50.0
MEMORY_BUDGET_MB = 120.0
RECALL_BUDGET = 0.98
THROUGHPUT_BUDGET = 250.0


class Command(BaseCommand):
    help = (
        "Measure similar-claim search on N synthetic claims (p50/p95 of a top-10 query, index "
        "memory, recall@10 against exact float32 search) and reindex_claims' embedding "
        "throughput on a scratch database. Exit 1 when a budget is missed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, default=100_000, help="index size")
        parser.add_argument("--queries", type=int, default=300)
        parser.add_argument("--rounds", type=int, default=3, help="timed passes over the queries")
        parser.add_argument(
            "--embed", type=int, default=2000, help="claims embedded by reindex_claims (0: skip)"
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="reindex_claims' encoding processes"
        )
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["claims"] < 1000 or options["queries"] < 10 or options["rounds"] < 1:
            raise CommandError("--claims must be at least 1000, --queries 10, --rounds 1.")
        data = LabelledSet.load(DATA_DIR)
        sentences = data.texts()
        embedder = get_embedder()
        self.stderr.write(
            f"building {options['claims']:,} claims from {len(sentences)} sentences …"
        )
        corpus = build_corpus(
            embedder, sentences, claims=options["claims"], queries=options["queries"]
        )
        self.stderr.write("measuring the index …")
        measures = run(corpus, rounds=options["rounds"])
        figures: dict[str, Any] = {
            "claims": options["claims"],
            "queries": options["queries"],
            "load_average": round(os.getloadavg()[0], 1),
            "index": [m.__dict__ for m in measures],
        }
        out = self.stdout.write
        out(f"index of {options['claims']:,} claims, {options['queries']} queries × "
            f"{options['rounds']} rounds, {SCAN_THREADS} scan threads (BLAS: its own), "
            f"load {figures['load_average']}")  # fmt: skip
        out(f"{'method':42} {'memory MB':>9} {'recall@10':>9} {'p50 ms':>7} {'p95 ms':>7}")
        for m in measures:
            out(f"{m.name:42} {m.memory_mb:9.1f} {m.recall:9.4f} {m.p50_ms:7.2f} {m.p95_ms:7.2f}")
        chosen = measures[0]
        missed = []
        if chosen.p95_ms > P95_BUDGET_MS:
            missed.append(f"p95 {chosen.p95_ms} ms > {P95_BUDGET_MS} ms")
        if chosen.memory_mb > MEMORY_BUDGET_MB:
            missed.append(f"memory {chosen.memory_mb} MB > {MEMORY_BUDGET_MB} MB")
        if chosen.recall < RECALL_BUDGET:
            missed.append(f"recall@10 {chosen.recall} < {RECALL_BUDGET}")
        if options["embed"]:
            rate, seconds = self._throughput(options["embed"], sentences, options["workers"])
            figures["embedding"] = {
                "claims": options["embed"],
                "seconds": seconds,
                "claims_per_s": rate,
            }
            out(
                f"reindex_claims --workers {options['workers']}: {options['embed']:,} claims "
                f"(quote and statement) in {seconds:.1f} s = {rate:.0f} claims/s"
            )
            if rate < THROUGHPUT_BUDGET:
                missed.append(f"embedding {rate:.0f} claims/s < {THROUGHPUT_BUDGET:.0f}")
        figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        out(f"peak RSS of this process: {figures['peak_rss_mb']} MB")
        if options["json"]:
            out(json.dumps(figures))
        if missed:
            raise CommandError("budget missed: " + "; ".join(missed))
        out(self.style.SUCCESS("every budget met"))

    def _throughput(self, count: int, sentences: list[str], workers: int) -> tuple[float, float]:
        """claims_reindex(force=True) over `count` claims in a scratch SQLite database."""
        from django.conf import settings

        from articles.models import Article
        from claims.models import Claim
        from claims.services.similarity import claims_reindex

        texts = variants(sentences, count * 2, seed=7)
        db = connection.settings_dict
        old_name = str(db["NAME"])
        if connection.vendor != "sqlite":
            self.stderr.write("throughput is measured on a scratch SQLite database only")
        folder = Path(tempfile.mkdtemp(prefix="assay-bench-similar-"))
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
        settings.DATABASES["default"]["TEST"] = {
            "NAME": str(folder / "bench.sqlite3"),
            "MIGRATE": True,
        }
        try:
            connection.creation.create_test_db(
                verbosity=0, autoclobber=True, serialize=False, keepdb=False
            )
            body_parts, spans = [], []
            at = 0
            for i in range(count):
                quote = f"[{i}] {texts[2 * i]}"
                spans.append((at, at + len(quote), quote, texts[2 * i + 1]))
                body_parts.append(quote)
                at += len(quote) + 1
            article = Article.objects.create(
                title="bench", slug="bench-similar", body=" ".join(body_parts)
            )
            Claim.objects.bulk_create(
                [
                    Claim(article=article, quote=q, start=s, end=e, statement=st, status="accepted")
                    for s, e, q, st in spans
                ]
            )
            started = time.perf_counter()
            report = claims_reindex(force=True, workers=workers)
            seconds = time.perf_counter() - started
            return report.embedded / seconds, seconds
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
            shutil.rmtree(folder, ignore_errors=True)

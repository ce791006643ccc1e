"""Precision and recall of `same`, and top-1 accuracy, of similar-claim matching on the
labelled set in devtools/data/similarity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.similarity.embedder import get_embedder
from claims.similarity.matching import Thresholds
from devtools.evaluation.similarity import (
    DATA_DIR,
    LABELS,
    Embedded,
    LabelledSet,
    evaluate,
    grid,
    sweep,
)


class Command(BaseCommand):
    help = (
        "Evaluate similar-claim matching on the labelled pairs and retrieval queries: "
        "precision and recall of `same`, three-label accuracy, top-1 accuracy."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", type=Path, default=DATA_DIR, help="the labelled folder")
        parser.add_argument("--same", type=float, default=None, help="same-claim threshold")
        parser.add_argument("--related", type=float, default=None, help="related threshold")
        parser.add_argument("--sweep", action="store_true", help="also sweep both thresholds")
        parser.add_argument("--verbose-errors", action="store_true", help="list the mistakes")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = LabelledSet.load(options["data"])
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the labelled set: {exc}") from None
        thresholds = Thresholds(
            same=options["same"] if options["same"] is not None
            else settings.SIMILARITY_SAME_THRESHOLD,
            related=options["related"] if options["related"] is not None
            else settings.SIMILARITY_RELATED_THRESHOLD,
        )  # fmt: skip
        embedded = Embedded(data, get_embedder())
        report = evaluate(embedded, thresholds)
        out = self.stdout.write
        tp, fp, fn = report.counts()
        out(
            f"pairs={len(data.pairs)} same={sum(p['label'] == 'same' for p in data.pairs)} "
            f"thresholds: same={thresholds.same:.2f} related={thresholds.related:.2f}"
        )
        out(
            f"same: precision={report.precision:.3f} recall={report.recall:.3f} "
            f"(tp={tp} fp={fp} fn={fn}); three-label accuracy={report.accuracy:.3f}"
        )
        hits, cross = report.cross_lingual
        out(
            f"retrieval: top-1 accuracy={report.top1 / report.queries:.3f} "
            f"({report.top1}/{report.queries}; cross-lingual {hits}/{cross})"
        )
        out("")
        out(f"{'kind':18} {'languages':9} " + " ".join(f"{label:>9}" for label in LABELS))
        for (kind, languages), counts in report.by_kind().items():
            out(f"{kind:18} {languages:9} " + " ".join(f"{counts[x]:9d}" for x in LABELS))
        if options["sweep"]:
            out("")
            out("same  related  precision  recall  accuracy")
            rows = sweep(embedded, grid(0.40, 0.70, 0.05), grid(0.15, 0.45, 0.05))
            for t_same, t_related, precision, recall, accuracy in rows:
                out(
                    f"{t_same:.2f}  {t_related:.2f}     {precision:.3f}      {recall:.3f}   "
                    f"{accuracy:.3f}"
                )
        if options["verbose_errors"]:
            out("")
            for outcome in report.pairs:
                if outcome.predicted != outcome.pair["label"]:
                    p = outcome.pair
                    out(
                        f"  {p['id']} {p['kind']} ({outcome.languages}) "
                        f"score={outcome.comparison.score:.3f} gold={p['label']} "
                        f"got={outcome.predicted}: «{p['a']}» / «{p['b']}»"
                    )
            for miss in report.misses:
                out(f"  retrieval miss {miss}")

"""Precision and recall of the claim suggester on a labelled set of sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.evaluation.suggestion import LabelledText, evaluate, load_labelled
from editorial.suggestion import DEFAULT_THRESHOLD, load_lexicon

DEFAULT_DIR = Path(settings.BASE_DIR) / "tests" / "editorial" / "data" / "labelled"


class Command(BaseCommand):
    help = (
        "Run the claim suggester on labelled articles (one '+ ' or '- ' sentence per line) "
        "and print precision and recall."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help=f"files or folders (default: {DEFAULT_DIR})")
        parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
        parser.add_argument("--verbose-errors", action="store_true", help="list the mistakes")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(p) for p in options["paths"]] or [DEFAULT_DIR]
        files: list[Path] = []
        for path in paths:
            if path.is_dir():
                files.extend(sorted(path.glob("*.txt")))
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        if not files:
            raise CommandError("no labelled .txt files found")
        texts: list[LabelledText] = []
        for file in files:
            try:
                texts.append(load_labelled(file.read_text(encoding="utf-8"), name=file.name))
            except ValueError as exc:
                raise CommandError(f"{file}: {exc}") from None
        report = evaluate(texts, lexicon=load_lexicon(), threshold=options["threshold"])
        for name, stats in report.per_text.items():
            self.stdout.write(
                f"{name:32} tp={stats.tp:2d} fp={stats.fp:2d} fn={stats.fn:2d} tn={stats.tn:2d}"
            )
        total = report.total
        self.stdout.write(
            f"sentences={total.tp + total.fp + total.fn + total.tn} "
            f"check-worthy={total.tp + total.fn} threshold={options['threshold']:.2f}"
        )
        self.stdout.write(
            f"precision={total.precision:.3f} recall={total.recall:.3f} f1={total.f1:.3f}"
        )
        if options["verbose_errors"]:
            for kind, text, sentence in report.errors:
                self.stdout.write(f"  {kind} [{text}] {sentence}")

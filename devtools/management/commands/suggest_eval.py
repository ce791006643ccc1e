"""Precision, recall and tag accuracy of the claim suggester on a labelled set of sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.management.migrated import require_migrated
from devtools.evaluation.suggestion import (
    DEFAULT_DIR,
    SPLITS,
    LabelledFileError,
    evaluate,
    labelled_files,
    read_labelled,
)
from editorial.suggestion import DEFAULT, load_lexicon


class Command(BaseCommand):
    help = (
        "Run the claim suggester on labelled articles (one '+ ' or '- ' sentence per line, "
        "check-worthy ones with their topic tags) and print precision, recall and tag "
        "accuracy per language. By default: the test split of devtools/data/suggestion."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help=f"files or folders (default: {DEFAULT_DIR})")
        parser.add_argument(
            "--split",
            choices=SPLITS,
            default="test",
            help="for a folder with train/ and test/: which split (default: test)",
        )
        parser.add_argument(
            "--threshold", type=float, default=None, help="override the suggester's threshold"
        )
        parser.add_argument(
            "--rules-only", action="store_true", help="score with the rules alone (no model)"
        )
        parser.add_argument(
            "--lexicon-only",
            action="store_true",
            help="tag with the keyword lexicon alone (no learned tagger)",
        )
        parser.add_argument("--verbose-errors", action="store_true", help="list the mistakes")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(p) for p in options["paths"]] or [DEFAULT_DIR]
        try:
            files = labelled_files(paths, options["split"])
            if not files:
                raise CommandError("no labelled .txt files found")
            texts = read_labelled(files)
        except LabelledFileError as exc:
            raise CommandError(str(exc)) from None
        require_migrated()
        report = evaluate(
            texts,
            lexicon=load_lexicon(),
            threshold=options["threshold"],
            model=None if options["rules_only"] else DEFAULT,
            tagger=None if options["rules_only"] or options["lexicon_only"] else DEFAULT,
        )
        for name, stats in report.per_text.items():
            self.stdout.write(
                f"{name:48} tp={stats.tp:2d} fp={stats.fp:2d} fn={stats.fn:2d} tn={stats.tn:2d}"
            )
        scorer = "rules alone" if options["rules_only"] else "rules + model"
        threshold = options["threshold"]
        self.stdout.write(
            f"scorer: {scorer}; threshold: "
            + ("the scorer's default" if threshold is None else f"{threshold:.2f}")
        )
        if report.tagger:
            self.stdout.write(f"tagger: {report.tagger}")
        for language in sorted(report.per_language):
            counts = report.per_language[language]
            tags = (
                f" tags={report.tag_accuracy(language):.3f} (of {report.tags_total[language]})"
                if report.tags_total.get(language)
                else ""
            )
            self.stdout.write(
                f"[{language}] sentences={counts.tp + counts.fp + counts.fn + counts.tn} "
                f"check-worthy={counts.tp + counts.fn} precision={counts.precision:.3f} "
                f"recall={counts.recall:.3f} f1={counts.f1:.3f}{tags}"
            )
        total = report.total
        self.stdout.write(
            f"[all] sentences={total.tp + total.fp + total.fn + total.tn} "
            f"check-worthy={total.tp + total.fn}"
        )
        tags = f" tags={report.tag_accuracy():.3f}" if report.tags_total else ""
        self.stdout.write(
            f"precision={total.precision:.3f} recall={total.recall:.3f} f1={total.f1:.3f}{tags}"
        )
        if options["verbose_errors"]:
            for kind, text, sentence in report.errors:
                self.stdout.write(f"  {kind} [{text}] {sentence}")

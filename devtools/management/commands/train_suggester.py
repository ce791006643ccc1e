"""Fit the check-worthiness model on the labelled train split and write its weights."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.similarity.embedder import EmbedderUnavailable, get_embedder
from core.management.migrated import require_migrated
from devtools.evaluation.suggestion import (
    DEFAULT_DIR,
    TAG_ORDER,
    LabelledFileError,
    labelled_files,
    read_labelled,
)
from devtools.evaluation.suggestion_training import (
    tagging_set,
    train,
    train_tagger,
    training_set,
)
from editorial.checkworthiness import MODEL_PATH
from editorial.suggestion import load_lexicon
from editorial.tagger import TAGGER_PATH


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return path.name


class Command(BaseCommand):
    help = (
        "Fit the claim suggester's check-worthiness model (logistic regression on sentence "
        "embeddings) on the train split of a labelled set, choose how it is combined with the "
        "rules and its threshold on that split only, and the topic tagger (one logistic "
        "regression per topic, combined with the lexicon), and write both weights files "
        "(deterministic)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "data",
            nargs="?",
            default=str(DEFAULT_DIR),
            help=f"labelled set (default {DEFAULT_DIR})",
        )
        parser.add_argument(
            "--output", default=str(MODEL_PATH), help=f"weights file (default {MODEL_PATH})"
        )
        parser.add_argument(
            "--tagger-output",
            default=str(TAGGER_PATH),
            help=f"tagger weights file (default {TAGGER_PATH})",
        )
        parser.add_argument("--folds", type=int, default=4, help="folds by article (default 4)")

    def handle(self, *args: Any, **options: Any) -> None:
        data = Path(options["data"])
        try:
            files = labelled_files([data], "train")
            if not files:
                raise CommandError(f"{data}: no labelled .txt files in the train split")
            texts = read_labelled(files)
        except LabelledFileError as exc:
            raise CommandError(str(exc)) from None
        require_migrated()
        lexicon = load_lexicon()
        sentences = training_set(texts, lexicon)
        tagged = tagging_set(texts, lexicon)
        try:
            embedder = get_embedder()
            result = train(
                sentences,
                embedder,
                folds=options["folds"],
                trained_on=f"{_shown(data)} train split: {len(texts)} articles, "
                f"{len(sentences.texts)} sentences",
            )
            tagging = train_tagger(
                tagged,
                embedder,
                slugs=TAG_ORDER,
                folds=options["folds"],
                trained_on=f"{_shown(data)} train split: {len(texts)} articles, "
                f"{len(tagged.texts)} tagged check-worthy sentences",
            )
        except EmbedderUnavailable as exc:
            raise CommandError(f"the embedder is unavailable: {exc}") from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(result.model.to_json(), encoding="utf-8")
        model = result.model
        self.stdout.write(
            f"trained on {result.articles} articles, {result.sentences} sentences "
            f"({model.embedder_version})"
        )
        self.stdout.write(
            f"chosen on the train split (out-of-fold): l2={model.l2:g} "
            f"rule_weight={model.rule_weight:.2f} threshold={model.threshold:.2f} "
            f"precision={result.precision:.3f} recall={result.recall:.3f} f1={result.f1:.3f}"
        )
        self.stdout.write(self.style.SUCCESS(f"wrote {_shown(output)}"))
        tagger_output = Path(options["tagger_output"])
        tagger_output.parent.mkdir(parents=True, exist_ok=True)
        tagger_output.write_text(tagging.tagger.to_json(), encoding="utf-8")
        self.stdout.write(
            f"tagger trained on {tagging.sentences} tagged check-worthy sentences of "
            f"{tagging.articles} articles; out-of-fold exact tag sets: lexicon alone "
            f"{tagging.lexicon_exact:.3f}, lexicon + model {tagging.combined_exact:.3f}"
        )
        for choice in tagging.choices:
            tag = tagging.tagger.tags[choice.slug]
            add = "never" if tag.add_threshold > 1 else f"p>={tag.add_threshold:.2f}"
            remove = "never" if tag.remove_threshold < 0 else f"p<={tag.remove_threshold:.2f}"
            used = (
                f"l2={tag.l2:g}, add {add}, remove {remove}"
                if tag.add_threshold <= 1 or tag.remove_threshold >= 0
                else "lexicon alone (the model never beat it)"
            )
            self.stdout.write(
                f"  {choice.slug}: {choice.positives} positives, {used}; right out-of-fold "
                f"{choice.lexicon_right} (lexicon) -> {choice.combined_right}"
            )
        self.stdout.write(self.style.SUCCESS(f"wrote {_shown(tagger_output)}"))

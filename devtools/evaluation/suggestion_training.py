"""Training the check-worthiness model (editorial.checkworthiness) on the labelled train split:
`python manage.py train_suggester`. Deterministic: the same files, lexicon and embedder give
the same JSON, byte for byte.

1. Every labelled sentence of the train split is embedded and scored by the rules.
2. The articles are dealt into folds (sorted by name, round robin); for each L2 penalty of a
   small grid, each fold's sentences get the probability of a model fitted on the other folds
   (out-of-fold, so the choice below sees the model as it behaves on unseen articles).
3. On those out-of-fold probabilities, the penalty, the rules' weight in the combination and
   the threshold are the ones with the best F1 (ties: the first in grid order).
4. The final weights are fitted on the whole train split with that penalty.

The test split is never read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from claims.similarity.embedder import Embedder
from devtools.evaluation.suggestion import LabelledText
from editorial.checkworthiness import CheckWorthinessModel, fit_logistic
from editorial.suggestion import TopicEntry, names_in, score_sentence
from editorial.tagger import NEVER_ADD, NEVER_REMOVE, TagModel, TopicTagger

L2_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
RULE_WEIGHTS = tuple(round(0.05 * i, 2) for i in range(21))
THRESHOLDS = tuple(round(0.2 + 0.01 * i, 2) for i in range(61))


@dataclass(frozen=True)
class TrainingSet:
    texts: tuple[str, ...]
    labels: npt.NDArray[np.float64]
    rules: npt.NDArray[np.float64]
    groups: npt.NDArray[np.int64]  # the article each sentence is from


@dataclass(frozen=True)
class TrainingResult:
    model: CheckWorthinessModel
    sentences: int
    articles: int
    # out-of-fold figures at the chosen settings
    precision: float
    recall: float
    f1: float


def training_set(texts: Sequence[LabelledText], lexicon: Sequence[TopicEntry]) -> TrainingSet:
    sentences: list[str] = []
    labels: list[float] = []
    rules: list[float] = []
    groups: list[int] = []
    for group, text in enumerate(sorted(texts, key=lambda t: t.name)):
        spans = [text.body[start:end] for start, end, _ in text.labels]
        known = names_in(spans)
        for sentence, (_, _, worthy) in zip(spans, text.labels, strict=True):
            sentences.append(sentence)
            labels.append(1.0 if worthy else 0.0)
            rules.append(score_sentence(sentence, lexicon, known).value)
            groups.append(group)
    return TrainingSet(
        tuple(sentences), np.array(labels), np.array(rules), np.array(groups, dtype=np.int64)
    )


def _f1(predicted: npt.NDArray[np.bool_], truth: npt.NDArray[np.bool_]) -> tuple[float, ...]:
    tp = float(np.sum(predicted & truth))
    fp = float(np.sum(predicted & ~truth))
    fn = float(np.sum(~predicted & truth))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def train(
    data: TrainingSet,
    embedder: Embedder,
    *,
    folds: int = 4,
    trained_on: str = "",
) -> TrainingResult:
    vectors = embedder.encode(list(data.texts)).astype(np.float64)
    truth = data.labels > 0.5
    articles = int(data.groups.max()) + 1 if len(data.groups) else 0
    if articles < 2 or truth.all() or not truth.any():
        raise ValueError("training needs at least two articles and both labels")
    folds = max(2, min(folds, articles))
    fold_of = data.groups % folds
    best: tuple[float, float, float, float, float, float] | None = None
    for l2 in L2_GRID:
        oof = np.zeros(len(truth))
        for fold in range(folds):
            held = fold_of == fold
            weights, bias = fit_logistic(vectors[~held], data.labels[~held], l2=l2)
            oof[held] = 1 / (1 + np.exp(-(vectors[held] @ weights + bias)))
        for rule_weight in RULE_WEIGHTS:
            combined = rule_weight * data.rules + (1 - rule_weight) * oof
            for threshold in THRESHOLDS:
                f1, precision, recall = _f1(combined >= threshold - 1e-12, truth)
                if best is None or f1 > best[0] + 1e-12:
                    best = (f1, precision, recall, l2, rule_weight, threshold)
    assert best is not None
    f1, precision, recall, l2, rule_weight, threshold = best
    weights, bias = fit_logistic(vectors, data.labels, l2=l2)
    model = CheckWorthinessModel(
        embedder_version=embedder.version,
        weights=weights,
        bias=bias,
        rule_weight=rule_weight,
        threshold=threshold,
        l2=l2,
        trained_on=trained_on,
    )
    return TrainingResult(model, len(truth), articles, precision, recall, f1)


# --- the topic tagger (editorial.tagger) ----------------------------------------------------------

TAG_L2_GRID = (0.01, 0.03, 0.1, 0.3, 1.0)
# "never" first: the lexicon alone wins ties, the model must do strictly better to act
ADD_THRESHOLDS = (NEVER_ADD, *(round(0.95 - 0.05 * i, 2) for i in range(18)))
REMOVE_THRESHOLDS = (NEVER_REMOVE, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3)


@dataclass(frozen=True)
class TaggingSet:
    """The check-worthy sentences of the tagged train files, with their labelled slugs and
    the slugs the lexicon gives them."""

    texts: tuple[str, ...]
    labels: tuple[frozenset[str], ...]
    lexicon: tuple[tuple[str, ...], ...]
    groups: npt.NDArray[np.int64]


@dataclass(frozen=True)
class TagChoice:
    slug: str
    positives: int
    # out-of-fold correct decisions on this slug: the lexicon alone, then with the model
    lexicon_right: int
    combined_right: int


@dataclass(frozen=True)
class TaggerResult:
    tagger: TopicTagger
    sentences: int
    articles: int
    choices: tuple[TagChoice, ...]
    # out-of-fold share of sentences whose whole tag set is right
    lexicon_exact: float
    combined_exact: float


def tagging_set(texts: Sequence[LabelledText], lexicon: Sequence[TopicEntry]) -> TaggingSet:
    slug_of = {entry.tag: entry.slug or entry.tag for entry in lexicon}
    sentences: list[str] = []
    labels: list[frozenset[str]] = []
    found: list[tuple[str, ...]] = []
    groups: list[int] = []
    for group, text in enumerate(sorted(texts, key=lambda t: t.name)):
        spans = [text.body[start:end] for start, end, _ in text.labels]
        known = names_in(spans)
        for index, (sentence, (_, _, worthy)) in enumerate(zip(spans, text.labels, strict=True)):
            expected = text.sentence_tags(index)
            if not worthy or expected is None:
                continue
            sentences.append(sentence)
            labels.append(frozenset(expected))
            tags = score_sentence(sentence, lexicon, known).tags
            found.append(tuple(slug_of[t] for t in tags))
            groups.append(group)
    return TaggingSet(
        tuple(sentences), tuple(labels), tuple(found), np.array(groups, dtype=np.int64)
    )


def train_tagger(
    data: TaggingSet,
    embedder: Embedder,
    *,
    slugs: Sequence[str],
    folds: int = 4,
    trained_on: str = "",
) -> TaggerResult:
    """One logistic regression per slug; per slug, the penalty and the add / remove thresholds
    with the most right out-of-fold decisions on that slug (ties: the lexicon alone, then the
    first in grid order). A slug with no positive or no negative example gets no model."""
    vectors = embedder.encode(list(data.texts)).astype(np.float64)
    articles = int(data.groups.max()) + 1 if len(data.groups) else 0
    if articles < 2:
        raise ValueError("training the tagger needs at least two tagged articles")
    folds = max(2, min(folds, articles))
    fold_of = data.groups % folds
    models: dict[str, TagModel] = {}
    choices: list[TagChoice] = []
    oof_chosen: dict[str, npt.NDArray[np.float64]] = {}
    for slug in slugs:
        truth = np.array([slug in labels for labels in data.labels])
        lexicon = np.array([slug in found for found in data.lexicon])
        if truth.all() or not truth.any():
            continue
        lexicon_right = int(np.sum(lexicon == truth))
        best: tuple[int, float, float, float] = (lexicon_right, NEVER_ADD, NEVER_REMOVE, 1.0)
        best_oof = np.zeros(len(truth))
        for l2 in TAG_L2_GRID:
            oof = np.zeros(len(truth))
            for fold in range(folds):
                held = fold_of == fold
                if not truth[~held].any() or truth[~held].all():
                    oof[held] = float(truth[~held].mean())
                    continue
                weights, bias = fit_logistic(vectors[~held], truth[~held], l2=l2)
                oof[held] = 1 / (1 + np.exp(-(vectors[held] @ weights + bias)))
            for add in ADD_THRESHOLDS:
                for remove in REMOVE_THRESHOLDS:
                    chosen = (lexicon & (oof > remove)) | (~lexicon & (oof >= add))
                    right = int(np.sum(chosen == truth))
                    if right > best[0]:
                        best = (right, add, remove, l2)
                        best_oof = oof
        right, add, remove, l2 = best
        weights, bias = fit_logistic(vectors, truth, l2=l2)
        models[slug] = TagModel(weights, bias, add, remove, l2)
        choices.append(TagChoice(slug, int(truth.sum()), lexicon_right, right))
        oof_chosen[slug] = best_oof
    tagger = TopicTagger(embedder.version, models, trained_on)
    exact_lexicon = exact_combined = 0
    for index, labels in enumerate(data.labels):
        lexicon_slugs = data.lexicon[index]
        exact_lexicon += set(lexicon_slugs) == labels
        probabilities = {slug: float(oof[index]) for slug, oof in oof_chosen.items()}
        decision = tagger.combine(lexicon_slugs, probabilities, list(slugs))
        exact_combined += set(decision.slugs) == labels
    n = max(len(data.labels), 1)
    return TaggerResult(
        tagger, len(data.labels), articles, tuple(choices), exact_lexicon / n, exact_combined / n
    )

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

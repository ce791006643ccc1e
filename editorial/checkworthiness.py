"""The learned half of claim suggestion: a logistic regression on multilingual sentence
embeddings (claims.similarity's encoder) that says how likely a sentence is check-worthy.

The weights are a small JSON file (`editorial/data/checkworthiness.json`) written by
`python manage.py train_suggester` from the labelled train split in
`devtools/data/suggestion/train/`. The file also holds how the model's probability and the
rules' score are combined (`rule_weight`) and the threshold on the combination, both chosen on
the train split only, and the embedder version the weights were fitted to: vectors of another
version mean nothing to them, so the suggester then falls back to the rules.

Plain numpy: the fit is Newton's method (iteratively reweighted least squares) with an L2
penalty, started from zero, so the same data give the same weights.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL_PATH = Path(__file__).resolve().parent / "data" / "checkworthiness.json"
FORMAT = "assay-checkworthiness-1"

Array = npt.NDArray[np.float64]


class ModelUnavailable(Exception):
    """No usable weights file (missing, unreadable, or of another format)."""


@dataclass(frozen=True)
class CheckWorthinessModel:
    embedder_version: str
    weights: Array = field(repr=False)
    bias: float
    # combined = rule_weight * rules + (1 - rule_weight) * model probability
    rule_weight: float
    threshold: float
    l2: float = 1.0
    trained_on: str = ""

    def probabilities(self, vectors: npt.NDArray[Any]) -> Array:
        logits = np.asarray(vectors, dtype=np.float64) @ self.weights + self.bias
        return _sigmoid(logits)

    def combine(self, rules: float, probability: float) -> float:
        return self.rule_weight * rules + (1 - self.rule_weight) * probability

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "embedder_version": self.embedder_version,
            "trained_on": self.trained_on,
            "l2": self.l2,
            "rule_weight": round(self.rule_weight, 4),
            "threshold": round(self.threshold, 4),
            "bias": round(float(self.bias), 5),
            "weights": [round(float(w), 5) for w in self.weights],
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> CheckWorthinessModel:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ModelUnavailable(f"unknown format {data.get('format')!r}")
            return cls(
                embedder_version=str(data["embedder_version"]),
                weights=np.asarray(data["weights"], dtype=np.float64),
                bias=float(data["bias"]),
                rule_weight=float(data["rule_weight"]),
                threshold=float(data["threshold"]),
                l2=float(data.get("l2", 1.0)),
                trained_on=str(data.get("trained_on", "")),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ModelUnavailable(f"{type(exc).__name__}: {exc}") from exc


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> CheckWorthinessModel:
    return CheckWorthinessModel.from_json(Path(path).read_text(encoding="utf-8"))


def load_model(path: Path = MODEL_PATH) -> CheckWorthinessModel:
    """The committed model (read once per file version)."""
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise ModelUnavailable(f"no weights file at {path.name}") from exc
    return _load(str(path), mtime)


def _sigmoid(x: Array) -> Array:
    out: Array = 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))
    return out


def fit_logistic(
    features: npt.NDArray[Any], labels: npt.NDArray[Any], *, l2: float, iterations: int = 25
) -> tuple[Array, float]:
    """Weights and bias of an L2-penalised logistic regression (the bias is not penalised),
    by Newton's method from zero: deterministic for the same inputs."""
    x = np.asarray(features, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    theta = np.zeros(d + 1)
    for _ in range(iterations):
        p = _sigmoid(design @ theta)
        gradient = design.T @ (p - y) + penalty * theta
        hessian = (
            (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty) + 1e-9 * np.eye(d + 1)
        )
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return theta[:-1], float(theta[-1])

"""The learned half of topic tagging: one logistic regression per topic slug (one-vs-rest) on
the same multilingual sentence embeddings as the check-worthiness model, combined with the
keyword lexicon (editorial.suggestion).

The lexicon stays first: its tags are kept, and a topic the model does not know (one editors
added in admin after the model was trained) is tagged by the lexicon alone. For a topic the
model knows, it adds the tag when its probability reaches the topic's `add_threshold`, and
removes a lexicon tag when its probability is at or below `remove_threshold` (-1: never). Both
thresholds and the L2 penalty were chosen per topic by cross-validation over the train split's
articles (devtools/evaluation/suggestion_training.py, `python manage.py train_suggester`).

The weights are a small JSON file (`editorial/data/tagger.json`, beside the check-worthiness
weights) with the embedder version they were fitted to; without the file, or with vectors of
another version, the lexicon tags alone, as before.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from editorial.checkworthiness import Array, ModelUnavailable, _sigmoid

TAGGER_PATH = Path(__file__).resolve().parent / "data" / "tagger.json"
FORMAT = "assay-tagger-1"
NEVER_ADD = 2.0  # a probability never reaches it
NEVER_REMOVE = -1.0  # a probability is never at or below it


@dataclass(frozen=True)
class TagModel:
    weights: Array = field(repr=False)
    bias: float
    add_threshold: float = NEVER_ADD
    remove_threshold: float = NEVER_REMOVE
    l2: float = 1.0

    def probabilities(self, vectors: npt.NDArray[Any]) -> Array:
        return _sigmoid(np.asarray(vectors, dtype=np.float64) @ self.weights + self.bias)


@dataclass(frozen=True)
class TagDecision:
    """The tags of one sentence: the final slugs, and where each came from."""

    slugs: tuple[str, ...]
    lexicon: tuple[str, ...]
    # slugs the model added / removed, with its probability
    added: tuple[tuple[str, float], ...] = ()
    removed: tuple[tuple[str, float], ...] = ()

    def why(self) -> str:
        lexicon = ", ".join(s for s in self.lexicon if s not in dict(self.removed)) or "none"
        parts = [f"lexicon {lexicon}"]
        if self.added:
            parts.append("model added " + ", ".join(f"{slug} ({p:.2f})" for slug, p in self.added))
        if self.removed:
            parts.append(
                "model removed " + ", ".join(f"{slug} ({p:.2f})" for slug, p in self.removed)
            )
        return "tags: " + "; ".join(parts)


@dataclass(frozen=True)
class TopicTagger:
    embedder_version: str
    tags: dict[str, TagModel]
    trained_on: str = ""

    def decide(
        self,
        lexicon_slugs: Sequence[str],
        vector: npt.NDArray[Any],
        order: Sequence[str] = (),
    ) -> TagDecision:
        """The sentence's slugs: the lexicon's, plus the model's confident additions, minus the
        lexicon tags the model is confident are wrong. `order` (all the slugs the lexicon
        knows, in its order) limits additions to topics that exist and orders the result; an
        empty `order` allows every slug the model knows."""
        known = list(order) if order else list(self.tags)
        probabilities = {
            slug: float(model.probabilities(np.asarray(vector)[None, :])[0])
            for slug, model in self.tags.items()
        }
        return self.combine(lexicon_slugs, probabilities, known)

    def combine(
        self,
        lexicon_slugs: Sequence[str],
        probabilities: dict[str, float],
        order: Sequence[str],
    ) -> TagDecision:
        chosen = set(lexicon_slugs)
        added: list[tuple[str, float]] = []
        removed: list[tuple[str, float]] = []
        for slug in order:
            model = self.tags.get(slug)
            if model is None or slug not in probabilities:
                continue  # a topic the model does not know: the lexicon alone
            p = probabilities[slug]
            if slug in chosen and p <= model.remove_threshold:
                chosen.discard(slug)
                removed.append((slug, p))
            elif slug not in chosen and p >= model.add_threshold:
                chosen.add(slug)
                added.append((slug, p))
        slugs = tuple(s for s in order if s in chosen) + tuple(
            s for s in lexicon_slugs if s in chosen and s not in order
        )
        return TagDecision(slugs, tuple(lexicon_slugs), tuple(added), tuple(removed))

    def to_json(self) -> str:
        """One line per topic's weights: the file stays small and diffs stay readable."""
        lines = [
            "{",
            f' "format": {json.dumps(FORMAT)},',
            f' "embedder_version": {json.dumps(self.embedder_version)},',
            f' "trained_on": {json.dumps(self.trained_on, ensure_ascii=False)},',
            ' "tags": {',
        ]
        items = list(self.tags.items())
        for index, (slug, model) in enumerate(items):
            data = {
                "l2": model.l2,
                "add_threshold": round(model.add_threshold, 4),
                "remove_threshold": round(model.remove_threshold, 4),
                "bias": round(float(model.bias), 4),
                "weights": [round(float(w), 4) for w in model.weights],
            }
            comma = "," if index < len(items) - 1 else ""
            lines.append(f"  {json.dumps(slug)}: {json.dumps(data, separators=(',', ':'))}{comma}")
        lines += [" }", "}"]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_json(cls, text: str) -> TopicTagger:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ModelUnavailable(f"unknown format {data.get('format')!r}")
            tags = {
                str(slug): TagModel(
                    weights=np.asarray(item["weights"], dtype=np.float64),
                    bias=float(item["bias"]),
                    add_threshold=float(item["add_threshold"]),
                    remove_threshold=float(item["remove_threshold"]),
                    l2=float(item.get("l2", 1.0)),
                )
                for slug, item in data["tags"].items()
            }
            return cls(str(data["embedder_version"]), tags, str(data.get("trained_on", "")))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ModelUnavailable(f"{type(exc).__name__}: {exc}") from exc


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> TopicTagger:
    return TopicTagger.from_json(Path(path).read_text(encoding="utf-8"))


def load_tagger(path: Path = TAGGER_PATH) -> TopicTagger:
    """The committed tagger (read once per file version)."""
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise ModelUnavailable(f"no tagger weights at {path.name}") from exc
    return _load(str(path), mtime)

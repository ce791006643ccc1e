"""How two texts (or a text and a claim, or two claims) compare: a score and a match.

- score: the best cosine between any text of one side and any text of the other (a claim's
  quote and its statement: the better of the two), clipped to 0–1;
- match: `same` (probably the same claim: a translation, a paraphrase) when the score reaches
  SIMILARITY_SAME_THRESHOLD and the two sides state no different figures and name no different
  places; `related` (same subject) from SIMILARITY_RELATED_THRESHOLD; below it, no match.

Sentence embeddings cannot tell "65 %" from "70 %" nor Ireland from Denmark: a copy with one
figure changed scores higher than a genuine translation. The figure and place rules cap those
pairs at `related`. They cannot see a negation ("is" / "is no longer"): `same` is a suggestion
an editor confirms, never an automatic merge.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claims.similarity.figures import Figure, figures, figures_conflict
from claims.similarity.places import places, places_conflict
from claims.similarity.text import guess_language

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


class Match(enum.StrEnum):
    SAME = "same"
    RELATED = "related"


@dataclass(frozen=True)
class Thresholds:
    same: float
    related: float


@dataclass(frozen=True)
class Side:
    """One side of a comparison: its texts (a quote and maybe a statement, or a reader's
    sentence), their vectors, and what the rules read in them."""

    vectors: tuple[npt.NDArray[np.float32], ...]
    figures: tuple[tuple[Figure, ...], ...] = field(default=())
    places: tuple[frozenset[str], ...] = field(default=())

    @classmethod
    def of(
        cls, texts: Sequence[tuple[str, str | None]], vectors: Sequence[npt.NDArray[np.float32]]
    ) -> Side:
        """`texts`: (text, language or None to guess it), one per vector."""
        kept = [(text, language) for text, language in texts if text.strip()]
        return cls(
            vectors=tuple(vectors),
            figures=tuple(
                figures(text, language or guess_language(text)) for text, language in kept
            ),
            places=tuple(places(text) for text, _language in kept),
        )


@dataclass(frozen=True)
class Comparison:
    score: float
    match: Match | None
    figures_differ: bool
    places_differ: bool


def _all_differ(left: Sequence[object], right: Sequence[object], differ: object) -> bool:
    """The sides differ when some text of each states something (figures, places) and every
    such pair differs: a statement that agrees with the other side is enough to agree."""
    pairs = [(a, b) for a in left if a for b in right if b]
    return bool(pairs) and all(differ(a, b) for a, b in pairs)  # type: ignore[operator]


def best_cosine(left: Side, right: Side) -> float:
    if not left.vectors or not right.vectors:
        return 0.0
    import numpy as np  # only once vectors are compared (see claims.similarity.embedder)

    a = np.stack(left.vectors)
    b = np.stack(right.vectors)
    return float(np.clip((a @ b.T).max(), 0.0, 1.0))


def compare(left: Side, right: Side, thresholds: Thresholds) -> Comparison:
    score = best_cosine(left, right)
    figures_differ = _all_differ(left.figures, right.figures, figures_conflict)
    places_differ = _all_differ(left.places, right.places, places_conflict)
    match: Match | None = None
    if score >= thresholds.same and not (figures_differ or places_differ):
        match = Match.SAME
    elif score >= thresholds.related:
        match = Match.RELATED
    return Comparison(round(score, 4), match, figures_differ, places_differ)


def rank_key(comparison: Comparison) -> tuple[int, float]:
    """Best first: same-claim matches before related ones, each by score."""
    return (0 if comparison.match == Match.SAME else 1, -comparison.score)

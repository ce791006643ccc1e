"""How well similar-claim matching does on the labelled set in devtools/data/similarity
(devtools: not the product; `python manage.py similar_eval`).

It runs the product's own rules (claims.similarity.matching) on the product's embedder:
- pairs: is each labelled pair `same`, `related` or unrelated? Precision and recall of `same`,
  accuracy over the three labels, a table per kind of pair;
- retrieval: for each query, is its target the best of the 200-claim pool (same-claim
  matches first, then by score, as the product ranks them)? Top-1 accuracy;
- a sweep of both thresholds, to show where the chosen ones sit.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from claims.similarity.embedder import Embedder
from claims.similarity.matching import Comparison, Match, Side, Thresholds, compare

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "similarity"
LABELS = ("same", "related", "unrelated")


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@dataclass
class LabelledSet:
    pairs: list[dict[str, Any]]
    pool: list[dict[str, Any]]
    queries: list[dict[str, Any]]

    @classmethod
    def load(cls, folder: Path = DATA_DIR) -> LabelledSet:
        return cls(
            pairs=_read(folder / "pairs.jsonl"),
            pool=_read(folder / "pool.jsonl"),
            queries=_read(folder / "retrieval.jsonl"),
        )

    def texts(self) -> list[str]:
        found: dict[str, None] = {}
        for pair in self.pairs:
            found[pair["a"]] = found[pair["b"]] = None
        for claim in self.pool:
            found[claim["text"]] = None
            if claim.get("statement"):
                found[claim["statement"]] = None
        for query in self.queries:
            found[query["query"]] = None
        return list(found)


@dataclass
class PairOutcome:
    pair: dict[str, Any]
    comparison: Comparison

    @property
    def predicted(self) -> str:
        return self.comparison.match.value if self.comparison.match else "unrelated"

    @property
    def languages(self) -> str:
        a, b = self.pair["lang_a"], self.pair["lang_b"]
        return "fr↔en" if a != b else f"{a}↔{b}"


@dataclass
class Report:
    thresholds: Thresholds
    pairs: list[PairOutcome]
    top1: int
    queries: int
    misses: list[str] = field(default_factory=list)
    cross_lingual: tuple[int, int] = (0, 0)

    def counts(self) -> tuple[int, int, int]:
        tp = sum(o.predicted == "same" and o.pair["label"] == "same" for o in self.pairs)
        fp = sum(o.predicted == "same" and o.pair["label"] != "same" for o in self.pairs)
        fn = sum(o.predicted != "same" and o.pair["label"] == "same" for o in self.pairs)
        return tp, fp, fn

    @property
    def precision(self) -> float:
        tp, fp, _fn = self.counts()
        return tp / (tp + fp) if tp + fp else 0.0

    @property
    def recall(self) -> float:
        tp, _fp, fn = self.counts()
        return tp / (tp + fn) if tp + fn else 0.0

    @property
    def accuracy(self) -> float:
        return float(sum(o.predicted == o.pair["label"] for o in self.pairs) / len(self.pairs))

    def by_kind(self) -> dict[tuple[str, str], Counter[str]]:
        table: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for outcome in self.pairs:
            table[(outcome.pair["kind"], outcome.languages)][outcome.predicted] += 1
        return dict(sorted(table.items()))


class Embedded:
    """The set's texts embedded once, so a sweep of thresholds costs no encoding."""

    def __init__(self, data: LabelledSet, embedder: Embedder) -> None:
        self.data = data
        texts = data.texts()
        vectors = embedder.encode(texts)
        self.vector = {text: vectors[i] for i, text in enumerate(texts)}
        self.pair_sides = [
            (
                Side.of([(p["a"], p["lang_a"])], [self.vector[p["a"]]]),
                Side.of([(p["b"], p["lang_b"])], [self.vector[p["b"]]]),
            )
            for p in data.pairs
        ]
        self.pool_sides = [self._claim_side(c) for c in data.pool]
        self.query_sides = [
            Side.of([(q["query"], q["lang"])], [self.vector[q["query"]]]) for q in data.queries
        ]

    def _claim_side(self, claim: dict[str, Any]) -> Side:
        texts: list[tuple[str, str | None]] = [(claim["text"], claim["lang"])]
        if claim.get("statement"):
            texts.append((claim["statement"], None))  # an editor's statement: language guessed
        return Side.of(texts, [self.vector[text] for text, _language in texts])


def evaluate(embedded: Embedded, thresholds: Thresholds) -> Report:
    data = embedded.data
    outcomes = [
        PairOutcome(pair, compare(a, b, thresholds))
        for pair, (a, b) in zip(data.pairs, embedded.pair_sides, strict=True)
    ]
    language = {c["id"]: c["lang"] for c in data.pool}
    hits = cross = cross_hits = 0
    misses: list[str] = []
    for query, side in zip(data.queries, embedded.query_sides, strict=True):
        ranked = _rank(side, embedded.pool_sides, thresholds)
        best = data.pool[ranked[0]]["id"] if ranked else None
        hit = best == query["target"]
        hits += hit
        if language[query["target"]] != query["lang"]:
            cross += 1
            cross_hits += hit
        if not hit:
            shown = next((c["text"] for c in data.pool if c["id"] == best), "nothing")
            misses.append(f"{query['id']}: «{query['query']}» → «{shown}»")
    return Report(thresholds, outcomes, hits, len(data.queries), misses, (cross_hits, cross))


def _rank(side: Side, pool: Sequence[Side], thresholds: Thresholds) -> list[int]:
    scored = []
    for i, other in enumerate(pool):
        result = compare(side, other, thresholds)
        if result.match is not None:
            scored.append((0 if result.match == Match.SAME else 1, -result.score, i))
    return [i for _m, _s, i in sorted(scored)]


def sweep(
    embedded: Embedded, same: Sequence[float], related: Sequence[float]
) -> list[tuple[float, float, float, float, float]]:
    """(same threshold, related threshold, same precision, same recall, accuracy) per pair of
    thresholds (pairs only: retrieval ranks same-claim matches first whatever the threshold)."""
    rows = []
    for t_same in same:
        for t_related in related:
            if t_related > t_same:
                continue
            report = evaluate_pairs(embedded, Thresholds(same=t_same, related=t_related))
            rows.append((t_same, t_related, report.precision, report.recall, report.accuracy))
    return rows


def evaluate_pairs(embedded: Embedded, thresholds: Thresholds) -> Report:
    outcomes = [
        PairOutcome(pair, compare(a, b, thresholds))
        for pair, (a, b) in zip(embedded.data.pairs, embedded.pair_sides, strict=True)
    ]
    return Report(thresholds, outcomes, 0, 0)


def grid(start: float, stop: float, step: float) -> list[float]:
    return [round(float(x), 2) for x in np.arange(start, stop + step / 2, step)]

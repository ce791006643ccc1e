"""Precision and recall of the claim suggester on labelled articles (devtools: not the
product; `python manage.py suggest_eval`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from editorial.suggestion import (
    DEFAULT_THRESHOLD,
    TopicEntry,
    suggest_for_text,
)


@dataclass(frozen=True)
class LabelledText:
    name: str
    language: str
    body: str
    # (start, end, check-worthy) for every labelled sentence of the body
    labels: tuple[tuple[int, int, bool], ...]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvaluationReport:
    total: Counts
    per_text: dict[str, Counts]
    errors: list[tuple[str, str, str]]


def load_labelled(text: str, *, name: str) -> LabelledText:
    """Parse a labelled file: `# lang: fr|en`, then `+ sentence` / `- sentence` lines, blank
    lines between paragraphs. Sentences of a paragraph are joined with a space."""
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# lang:"):
        raise ValueError("the first line must be '# lang: fr' or '# lang: en'")
    language = lines[0].split(":", 1)[1].strip()
    if language not in ("fr", "en"):
        raise ValueError(f"unknown language {language!r}")
    paragraphs: list[list[tuple[str, bool]]] = [[]]
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        if line[:2] not in ("+ ", "- "):
            raise ValueError(f"line {number}: start with '+ ' or '- '")
        paragraphs[-1].append((line[2:].strip(), line[0] == "+"))
    body_parts: list[str] = []
    labels: list[tuple[int, int, bool]] = []
    offset = 0
    for paragraph in (p for p in paragraphs if p):
        if body_parts:
            body_parts.append("\n")
            offset += 1
        for index, (sentence, worthy) in enumerate(paragraph):
            if index:
                body_parts.append(" ")
                offset += 1
            labels.append((offset, offset + len(sentence), worthy))
            body_parts.append(sentence)
            offset += len(sentence)
    return LabelledText(name, language, "".join(body_parts), tuple(labels))


def evaluate(
    texts: Iterable[LabelledText],
    *,
    lexicon: Sequence[TopicEntry],
    threshold: float = DEFAULT_THRESHOLD,
) -> EvaluationReport:
    """Sentence-level precision and recall: a labelled sentence counts as suggested when a
    suggestion covers exactly its span (a splitting mistake therefore counts against us)."""
    total = Counts()
    per_text: dict[str, Counts] = {}
    errors: list[tuple[str, str, str]] = []
    for text in texts:
        counts = Counts()
        suggested = {
            (s.start, s.end)
            for s in suggest_for_text(
                text.body, text.language, lexicon=lexicon, threshold=threshold
            )
        }
        for start, end, worthy in text.labels:
            hit = (start, end) in suggested
            sentence = text.body[start:end]
            if hit and worthy:
                counts.tp += 1
            elif hit:
                counts.fp += 1
                errors.append(("false positive", text.name, sentence))
            elif worthy:
                counts.fn += 1
                errors.append(("missed", text.name, sentence))
            else:
                counts.tn += 1
        per_text[text.name] = counts
        for attribute in ("tp", "fp", "fn", "tn"):
            setattr(total, attribute, getattr(total, attribute) + getattr(counts, attribute))
    return EvaluationReport(total, per_text, errors)

"""Precision and recall of the claim suggester on labelled articles (devtools: not the
product; `python manage.py suggest_eval`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from editorial.checkworthiness import CheckWorthinessModel
from editorial.suggestion import (
    DEFAULT,
    DefaultModel,
    TopicEntry,
    names_in,
    suggest_for_text,
    tag_sentences,
)
from editorial.tagger import TopicTagger

# the order tags are written in, in the labelled files (devtools/data/suggestion/README.md)
TAG_ORDER = ("energy", "geopolitics", "decentralised-compute", "ai", "semiconductors", "climate")


@dataclass(frozen=True)
class LabelledText:
    name: str
    language: str
    body: str
    # (start, end, check-worthy) for every labelled sentence of the body
    labels: tuple[tuple[int, int, bool], ...]
    genre: str = ""
    # the topic slugs of each labelled sentence, in the order of `labels`: None for a sentence
    # that is not check-worthy, or for every sentence of a file without tags (the old format)
    tags: tuple[tuple[str, ...] | None, ...] = ()

    def sentence_tags(self, index: int) -> tuple[str, ...] | None:
        return self.tags[index] if index < len(self.tags) else None


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
    per_language: dict[str, Counts] = field(default_factory=dict)
    # check-worthy sentences with labelled tags, and how many got exactly those tags
    tags_total: dict[str, int] = field(default_factory=dict)
    tags_right: dict[str, int] = field(default_factory=dict)
    # "lexicon + model" or "lexicon alone: <why>" (the last text's, they all share it)
    tagger: str = ""

    def tag_accuracy(self, language: str | None = None) -> float:
        languages = [language] if language else list(self.tags_total)
        total = sum(self.tags_total.get(lang, 0) for lang in languages)
        right = sum(self.tags_right.get(lang, 0) for lang in languages)
        return right / total if total else 0.0


_TAGS = re.compile(r"^\[([a-z-]+(?:, [a-z-]+)*)?\] ")


def load_labelled(text: str, *, name: str) -> LabelledText:
    """Parse a labelled file: `# lang: fr|en`, optionally `# genre: …`, then `+ sentence` /
    `- sentence` lines, blank lines between paragraphs. A check-worthy line may carry its topic
    slugs, `+ [energy, ai] sentence` (devtools/data/suggestion/README.md); then every one of the
    file's check-worthy lines must. Sentences of a paragraph are joined with a space."""
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# lang:"):
        raise ValueError("the first line must be '# lang: fr' or '# lang: en'")
    language = lines[0].split(":", 1)[1].strip()
    if language not in ("fr", "en"):
        raise ValueError(f"unknown language {language!r}")
    genre = ""
    first = 1
    if len(lines) > 1 and lines[1].startswith("# genre:"):
        genre = lines[1].split(":", 1)[1].strip()
        first = 2
    paragraphs: list[list[tuple[str, bool, tuple[str, ...] | None]]] = [[]]
    tagged: bool | None = None
    for number, line in enumerate(lines[first:], start=first + 1):
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        if line[:2] not in ("+ ", "- "):
            raise ValueError(f"line {number}: start with '+ ' or '- '")
        worthy = line[0] == "+"
        sentence = line[2:]
        tags: tuple[str, ...] | None = None
        match = _TAGS.match(sentence)
        if match and not worthy:
            raise ValueError(f"line {number}: only check-worthy ('+ ') sentences carry tags")
        if worthy:
            if tagged is None:
                tagged = bool(match)
            if tagged != bool(match):
                raise ValueError(f"line {number}: tag every check-worthy sentence or none")
            if match:
                tags = tuple(match.group(1).split(", ")) if match.group(1) else ()
                unknown = [t for t in tags if t not in TAG_ORDER]
                if unknown:
                    raise ValueError(f"line {number}: unknown tag {unknown[0]!r}")
                sentence = sentence[match.end() :]
        paragraphs[-1].append((sentence.strip(), worthy, tags))
    body_parts: list[str] = []
    labels: list[tuple[int, int, bool]] = []
    all_tags: list[tuple[str, ...] | None] = []
    offset = 0
    for paragraph in (p for p in paragraphs if p):
        if body_parts:
            body_parts.append("\n")
            offset += 1
        for index, (sentence, worthy, tags) in enumerate(paragraph):
            if index:
                body_parts.append(" ")
                offset += 1
            labels.append((offset, offset + len(sentence), worthy))
            all_tags.append(tags)
            body_parts.append(sentence)
            offset += len(sentence)
    return LabelledText(name, language, "".join(body_parts), tuple(labels), genre, tuple(all_tags))


class LabelledFileError(Exception):
    """A labelled file or folder that cannot be read (the message names it)."""


DEFAULT_DIR = Path(settings.BASE_DIR) / "devtools" / "data" / "suggestion"
SPLITS = ("test", "train", "all")


def labelled_files(paths: list[Path], split: str) -> list[Path]:
    """The .txt files of the given files and folders; a folder with `train/` and `test/`
    gives the files of `split` ("all": both)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            parts = [path / "train", path / "test"]
            if any(part.is_dir() for part in parts):
                chosen = parts if split == "all" else [path / split]
                for part in chosen:
                    files.extend(sorted(part.glob("*.txt")))
            else:
                files.extend(sorted(path.glob("*.txt")))
        elif path.is_file():
            files.append(path)
        else:
            raise LabelledFileError(f"{path}: no such file or folder")
    return files


def read_labelled(files: list[Path]) -> list[LabelledText]:
    texts: list[LabelledText] = []
    for file in files:
        try:
            texts.append(load_labelled(file.read_text(encoding="utf-8"), name=file.name))
        except ValueError as exc:
            raise LabelledFileError(f"{file}: {exc}") from None
    return texts


def evaluate(
    texts: Iterable[LabelledText],
    *,
    lexicon: Sequence[TopicEntry],
    threshold: float | None = None,
    model: CheckWorthinessModel | DefaultModel | None = DEFAULT,
    tagger: TopicTagger | DefaultModel | None = DEFAULT,
) -> EvaluationReport:
    """Sentence-level precision and recall: a labelled sentence counts as suggested when a
    suggestion covers exactly its span (a splitting mistake therefore counts against us).

    Tags: over every check-worthy sentence whose file carries tags, whether the topic slugs the
    suggester gives the sentence (the lexicon runs on every sentence, suggested or not) are
    exactly the labelled ones (the lexicon combined with the tagger, as suggest_run tags)."""
    report = EvaluationReport(Counts(), {}, [])
    slug_of = {entry.tag: entry.slug or entry.tag for entry in lexicon}
    for text in texts:
        counts = Counts()
        suggested = {
            (s.start, s.end)
            for s in suggest_for_text(
                text.body,
                text.language,
                lexicon=lexicon,
                threshold=threshold,
                model=model,
                tagger=None,
            )
        }
        spans = [text.body[start:end] for start, end, _ in text.labels]
        known = names_in(spans)
        tagged = [
            index
            for index, (_, _, worthy) in enumerate(text.labels)
            if worthy and text.sentence_tags(index) is not None
        ]
        run = tag_sentences([spans[i] for i in tagged], lexicon, known_names=known, tagger=tagger)
        report.tagger = run.tagger
        tags_of = dict(zip(tagged, run.tags, strict=True))
        language = report.per_language.setdefault(text.language, Counts())
        for index, (start, end, worthy) in enumerate(text.labels):
            hit = (start, end) in suggested
            sentence = text.body[start:end]
            if hit and worthy:
                counts.tp += 1
            elif hit:
                counts.fp += 1
                report.errors.append(("false positive", text.name, sentence))
            elif worthy:
                counts.fn += 1
                report.errors.append(("missed", text.name, sentence))
            else:
                counts.tn += 1
            expected = text.sentence_tags(index)
            if worthy and expected is not None:
                got = {slug_of.get(t, t) for t in tags_of[index][0]}
                report.tags_total[text.language] = report.tags_total.get(text.language, 0) + 1
                if got == set(expected):
                    report.tags_right[text.language] = report.tags_right.get(text.language, 0) + 1
                else:
                    shown = ", ".join(sorted(got)) or "none"
                    wanted = ", ".join(expected) or "none"
                    report.errors.append(
                        ("tags", text.name, f"{sentence} [got {shown}; want {wanted}]")
                    )
        report.per_text[text.name] = counts
        for attribute in ("tp", "fp", "fn", "tn"):
            value = getattr(counts, attribute)
            setattr(report.total, attribute, getattr(report.total, attribute) + value)
            setattr(language, attribute, getattr(language, attribute) + value)
    return report

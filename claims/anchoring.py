"""Finding a claim's quote again in an edited article text (pure: no database writes; see
claims.services.anchoring for the write).

Each claim is looked for by its quote: the exact text nearest to where the edit moved its old
position, else the closest similar span (difflib) — the aligned new version of the old span,
or a sentence of the new text. A claim found nowhere is marked `lost` for an editor to
review; it is never deleted, and keeps its quote (so a later edit that restores the text
anchors it again). Its offsets are parked just past the end of the body: the database still
sees a span of the quote's length (end = start + len(quote)), and no page highlights text the
claim does not quote.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from claims.models import Claim
from core.text import split_sentences

# How similar (difflib ratio) an edited span must be to the old quote to keep the claim on it.
CLOSE_MATCH_RATIO = 0.75
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    quote: str
    status: str


@dataclass
class ReanchorReport:
    unchanged: int = 0
    moved: list[Claim] = field(default_factory=list)
    fuzzy: list[Claim] = field(default_factory=list)
    lost: list[Claim] = field(default_factory=list)


class OffsetMap:
    """Maps character offsets of an old text to the new text.

    The diff runs in two steps so that it stays fast on long articles: first over sentences
    and lines (mostly unique, so difflib is quick), then over words inside each block that
    changed. The result is a list of character-level operations like difflib's opcodes.
    """

    def __init__(self, old: str, new: str) -> None:
        self.new_length = len(new)
        self.ops: list[tuple[str, int, int, int, int]] = []
        old_units, old_starts = _units(old)
        new_units, new_starts = _units(new)
        old_starts.append(len(old))
        new_starts.append(len(new))
        matcher = difflib.SequenceMatcher(None, old_units, new_units, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            a1, a2, b1, b2 = old_starts[i1], old_starts[i2], new_starts[j1], new_starts[j2]
            if tag == "replace":
                self.ops.extend(_word_ops(old[a1:a2], new[b1:b2], a1, b1))
            else:
                self.ops.append((tag, a1, a2, b1, b2))
        # Character ranges of the new text that the edit wrote (inserted or replaced).
        self.changed = [
            (b1, b2) for tag, _a1, _a2, b1, b2 in self.ops if tag != "equal" and b2 > b1
        ]

    def touches_change(self, start: int, end: int) -> bool:
        """Whether the edit wrote any of new[start:end]. An edited quote can only have become
        text the edit wrote: a sentence left as it was is some other sentence."""
        return any(c_start < end and start < c_end for c_start, c_end in self.changed)

    def map(self, position: int, *, is_end: bool = False) -> tuple[int, bool]:
        """(new offset, whether the text at that place was kept as it was)."""
        for tag, a1, a2, b1, b2 in self.ops:
            inside = a1 < position <= a2 if is_end else a1 <= position < a2
            if not inside:
                continue
            if tag == "equal":
                return b1 + (position - a1), True
            return (b2 if is_end else b1), False
        return self.new_length, False


_UNIT_END = re.compile(r"[.!?…]+[\"'»”)\]]*\s+|\n+")
MAX_WORD_DIFF = 2_000_000  # old words x new words in one changed block


def _units(text: str) -> tuple[list[str], list[int]]:
    cuts = [0, *(m.end() for m in _UNIT_END.finditer(text)), len(text)]
    units, starts = [], []
    for a, b in itertools.pairwise(cuts):
        if b > a:
            units.append(text[a:b])
            starts.append(a)
    return units, starts


def _word_ops(old: str, new: str, a0: int, b0: int) -> list[tuple[str, int, int, int, int]]:
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(old_tokens) * len(new_tokens) > MAX_WORD_DIFF:
        return [("replace", a0, a0 + len(old), b0, b0 + len(new))]
    old_starts = [a0, *itertools.accumulate(len(t) for t in old_tokens)]
    new_starts = [b0, *itertools.accumulate(len(t) for t in new_tokens)]
    old_starts[1:] = [a0 + x for x in old_starts[1:]]
    new_starts[1:] = [b0 + x for x in new_starts[1:]]
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    return [
        (tag, old_starts[i1], old_starts[i2], new_starts[j1], new_starts[j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _occurrences(text: str, quote: str) -> list[int]:
    found, at = [], text.find(quote)
    while at >= 0:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str, language: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in split_sentences(text, language)]


def find_anchor(
    *,
    quote: str,
    old_start: int,
    new_body: str,
    offsets: OffsetMap | None,
    language: str,
    taken: set[tuple[int, int]],
    sentences: Callable[[], list[tuple[int, int]]] | None = None,
) -> Anchor | None:
    """Where a quote sits in the new text, or None. `taken` spans are not reused."""
    expected = offsets.map(old_start)[0] if offsets is not None else old_start
    exact = sorted(_occurrences(new_body, quote), key=lambda at: (abs(at - expected), at))
    for at in exact:
        span = (at, at + len(quote))
        if span not in taken:
            status = Claim.Anchor.EXACT if at == old_start else Claim.Anchor.MOVED
            return Anchor(at, at + len(quote), quote, status)

    if offsets is None:
        # Without the edit's alignment there is no telling an edited quote from a similar
        # sentence elsewhere: only the exact text counts.
        return None
    start, _ = offsets.map(old_start)
    end, _ = offsets.map(old_start + len(quote), is_end=True)
    candidates = [_trim(new_body, start, end)]
    candidates.extend(sentences() if sentences is not None else sentence_spans(new_body, language))
    best: tuple[float, int, int, int] | None = None  # (ratio, -distance, start, end)
    for start, end in candidates:
        if end <= start or (start, end) in taken or not offsets.touches_change(start, end):
            continue
        text = new_body[start:end]
        matcher = difflib.SequenceMatcher(None, quote, text, autojunk=False)
        if matcher.real_quick_ratio() < CLOSE_MATCH_RATIO:
            continue
        if matcher.quick_ratio() < CLOSE_MATCH_RATIO:
            continue
        ratio = matcher.ratio()
        if ratio < CLOSE_MATCH_RATIO:
            continue
        key = (ratio, -abs(start - expected), start, end)
        if best is None or key > best:
            best = key
    if best is None:
        return None
    _ratio, _distance, start, end = best
    return Anchor(start, end, new_body[start:end], Claim.Anchor.FUZZY)

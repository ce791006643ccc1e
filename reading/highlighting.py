"""An article's plain-text body as HTML paragraphs with its claims highlighted in place.

Claims may nest or overlap and may cross a paragraph break; HTML elements may not overlap, so a
claim that is interrupted (by a paragraph break, or by the end of a claim that opened before it)
is closed and reopened as a continuation segment. Only a claim's first segment carries its id,
so `#claim-N` always points at where the quote begins, and its number link sits at its end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PARAGRAPH_BREAK = re.compile(r"\r?\n[\r\n\s]*")

# A verdict is told by a sign and its name as well as by colour (for readers who do not see
# the colours); "" is a claim not rated or not published yet.
VERDICT_ICONS = {
    "accurate": "✔",
    "mostly_accurate": "≈",
    "misleading": "!",
    "inaccurate": "✘",
    "unsupported": "?",
    "unverifiable": "?",
    "": "…",
}


def verdict_icon(verdict: str) -> str:
    return VERDICT_ICONS.get(verdict, "•")


@dataclass(frozen=True)
class Highlight:
    number: int
    pk: int
    start: int
    end: int
    verdict: str = ""
    # the verdict's name (or "Under review"), said with the claim's number
    label: str = ""


def _open(span: Highlight, *, first: bool) -> str:
    verdict = f" claim--{span.verdict or 'none'}"
    if first:
        return format_html(
            '<mark class="claim{}" id="claim-{}" data-claim="{}">', verdict, span.number, span.pk
        )
    return format_html('<mark class="claim claim--cont{}" data-claim="{}">', verdict, span.pk)


def _close(span: Highlight, *, last: bool) -> str:
    if not last:
        return "</mark>"
    name = _("Claim %(number)s") % {"number": span.number}
    return format_html(
        '<a class="claim-ref" href="#card-{}" aria-label="{}"><sup>{}<span class="claim-ref__icon"'
        ' aria-hidden="true">{}</span></sup></a></mark>',
        span.number,
        f"{name}: {span.label}" if span.label else name,
        span.number,
        verdict_icon(span.verdict),
    )


def _snap(position: int, breaks: list[tuple[int, int]], *, forward: bool) -> int:
    """Move an offset that falls in a paragraph break to the break's edge: a start to the
    text after it, an end to the text before it."""
    for start, end in breaks:
        if forward and start <= position < end:
            return end
        if not forward and start < position <= end:
            return start
    return position


def highlight_body(body: str, spans: Sequence[Highlight]) -> SafeString:
    breaks = [(m.start(), m.end()) for m in PARAGRAPH_BREAK.finditer(body)]
    cleaned: list[Highlight] = []
    for span in spans:
        start = _snap(max(span.start, 0), breaks, forward=True)
        end = _snap(min(span.end, len(body)), breaks, forward=False)
        if end > start:
            cleaned.append(Highlight(span.number, span.pk, start, end, span.verdict, span.label))
    starts: dict[int, list[Highlight]] = {}
    for span in cleaned:
        starts.setdefault(span.start, []).append(span)
    break_end = dict(breaks)
    stops = {0, len(body)}
    stops.update(s.start for s in cleaned)
    stops.update(s.end for s in cleaned)
    for start, end in breaks:
        stops.update((start, end))
    ordered = sorted(stops)

    out: list[str] = ["<p>"]
    stack: list[Highlight] = []
    for index, position in enumerate(ordered):
        ending = [i for i, s in enumerate(stack) if s.end == position]
        if ending:
            lowest = ending[0]
            for span in reversed(stack[lowest:]):
                out.append(_close(span, last=span.end == position))
            survivors = [s for s in stack[lowest:] if s.end != position]
            del stack[lowest:]
            for span in survivors:
                out.append(_open(span, first=False))
                stack.append(span)
        if position in break_end:
            # the break's own characters are not text; the next stop is the break's end
            out.extend("</mark>" for _span in stack)
            out.append("</p>\n<p>")
            out.extend(_open(span, first=False) for span in stack)
            continue
        for span in sorted(starts.get(position, []), key=lambda s: (-s.end, s.number)):
            out.append(_open(span, first=True))
            stack.append(span)
        if index + 1 < len(ordered):
            out.append(escape(body[position : ordered[index + 1]]))
    out.extend("</mark>" for _span in stack)
    out.append("</p>")
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped or format_html

"""Parsing of post page dumps: the text a reader copies from a social platform's post page.

A dump holds the post, then the platform's chrome (a "see original" link, a third-party
disclaimer, counters and buttons), then the reader comments, each a header (handle and time),
the comment text and a footer ("reply", likes); some platforms repeat the post after the
comments. How each platform writes each part, in each interface language, is data: one layout
entry per platform and locale in `editorial/layouts/`. One parser reads any entry.

- Without a forced layout, every entry is tried; the one that places every line wins. Two that
  fit equally, or a text that looks like a platform page (counters, buttons, "· <time>" lines)
  that no entry places completely, is refused with the lines that could not be placed: never
  a page imported with its chrome in the body.
- A text with none of that is a plain article.
- A copy that stops inside its last comment imports what is complete and reports the rest.

Parsing is pure: it takes text and returns what it found; `plan_post_import` adds the options
and the front matter and says exactly what would be stored; writing is
editorial.services.articles.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import re
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from editorial.front_matter import FrontMatter, FrontMatterError, split_front_matter
from editorial.layouts import (
    Layout,
    LayoutError,
    LayoutSet,
    Markers,
    TimeFormats,
    TimeUnit,
    fold,
    known_layouts,
    parse_count,
)

# What an imported comment whose handle line is missing is stored under (a comment needs an
# author; the platform's page showed none).
MISSING_HANDLE = "(no handle)"
# How many unplaced lines a refusal lists.
REFUSAL_LINES = 10


class DumpError(ValueError):
    """The file cannot be imported; the message says why."""


@dataclass(frozen=True)
class DumpLine:
    number: int  # 1-based, in the file as given (front matter included)
    text: str

    def __str__(self) -> str:
        return f"line {self.number}: {self.text[:100]!r}"


@dataclass(frozen=True)
class ParsedComment:
    handle: str | None  # None: the dump has no handle line for it
    posted_raw: str
    body: str
    like_count: int | None
    line: int = 0
    # how the layout read `posted_raw` (the parser only accepts headers whose time it reads)
    time: TimeMatch | None = field(default=None, compare=False)


@dataclass
class ParsedPost:
    body: str
    comments: list[ParsedComment] = field(default_factory=list)
    layout: str = ""  # "" for a plain article
    title: str = ""  # the page's title line, for layouts that have one
    source_name: str = ""
    post_like_count: int | None = None
    chrome_lines: list[str] = field(default_factory=list)
    repeated_post: bool = False
    # The copy stopped inside its last comment: that comment's lines, not imported.
    truncated: str | None = None
    # Lines a forced layout could not place (dropped); always empty for a detected layout.
    unplaced: list[DumpLine] = field(default_factory=list)
    newest_first: bool = False

    @property
    def had_chrome(self) -> bool:
        return bool(self.layout)


def decode_dump(raw: bytes) -> str:
    """UTF-8 (with or without BOM); anything else is refused rather than guessed."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DumpError(
            f"the file is not UTF-8 text (byte {exc.start}: {raw[exc.start : exc.start + 1]!r}); "
            "convert it to UTF-8 first"
        ) from None
    if "\x00" in text:
        raise DumpError("the file looks binary (it contains NUL bytes), not a text dump")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def dump_fingerprint(raw: bytes) -> str:
    """What tells a file already imported: the same text whatever its byte-order mark and line
    endings (the same page saved on Windows is the same page)."""
    text = raw.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return hashlib.sha256(text).hexdigest()


def _paragraphs(lines: Sequence[str]) -> str:
    return "\n\n".join(line.strip() for line in lines if line.strip())


# --- times ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeMatch:
    """A comment time as a layout reads it; `resolve_time` turns it into a moment."""

    kind: Literal["now", "relative", "days_ago", "absolute"]
    amount: int = 0
    unit: TimeUnit = "minute"
    year: int | None = None
    month: int = 0
    day: int = 0
    hour: int | None = None
    minute: int | None = None


def _group(found: re.Match[str], name: str) -> int | None:
    value = found.groupdict().get(name)
    return int(value) if value else None


def recognise_time(raw: str, formats: TimeFormats) -> TimeMatch | None:
    text = fold(raw)
    if text.casefold() in formats.now:
        return TimeMatch(kind="now")
    for pattern in formats.relative:
        if found := pattern.search(text):
            unit = formats.units.get(found["unit"].casefold())
            if unit is not None:
                return TimeMatch(kind="relative", amount=int(found["n"]), unit=unit)
    for pattern, days in formats.days_ago:
        if found := pattern.search(text):
            return TimeMatch(
                kind="days_ago",
                amount=days,
                hour=_group(found, "hour"),
                minute=_group(found, "minute"),
            )
    for pattern in formats.absolute:
        if found := pattern.search(text):
            groups = found.groupdict()
            month = (
                int(groups["month"])
                if groups.get("month")
                else formats.month_names.get((groups.get("month_name") or "").casefold(), 0)
            )
            if month:
                return TimeMatch(
                    kind="absolute",
                    year=_group(found, "year"),
                    month=month,
                    day=int(found["day"]),
                    hour=_group(found, "hour"),
                    minute=_group(found, "minute"),
                )
    return None


_UNIT_DELTA = {
    "minute": dt.timedelta(minutes=1),
    "hour": dt.timedelta(hours=1),
    "day": dt.timedelta(days=1),
    "week": dt.timedelta(weeks=1),
}


def resolve_time(
    match: TimeMatch, *, captured_at: dt.datetime | None, tz: zoneinfo.ZoneInfo
) -> dt.datetime | None:
    """The moment a displayed time stands for, where it can be known.

    - Relative times ("14h ago", "just now", "yesterday"): only with a known capture time.
    - Dates with a year: that moment in `tz` (midnight when the time of day is not shown).
    - Dates without a year ("12-08 11:46"): the latest such moment not after the capture time
      (or now, when the capture time is unknown), in `tz`.
    """
    if match.kind == "now":
        return captured_at
    if match.kind == "relative":
        return None if captured_at is None else captured_at - match.amount * _UNIT_DELTA[match.unit]
    if match.kind == "days_ago":
        if captured_at is None:
            return None
        if match.hour is None:
            return captured_at - dt.timedelta(days=match.amount)
        day = captured_at.astimezone(tz).date() - dt.timedelta(days=match.amount)
        try:
            return dt.datetime.combine(day, dt.time(match.hour, match.minute or 0), tzinfo=tz)
        except ValueError:
            return None
    hour, minute = match.hour or 0, match.minute or 0
    if match.year is not None:
        try:
            return dt.datetime(match.year, match.month, match.day, hour, minute, tzinfo=tz)
        except ValueError:
            return None
    reference = captured_at or dt.datetime.now(tz)
    for year in (reference.year, reference.year - 1):
        try:
            candidate = dt.datetime(year, match.month, match.day, hour, minute, tzinfo=tz)
        except ValueError:
            continue
        if candidate <= reference:
            return candidate
    return None


def resolve_posted_at(
    raw: str,
    *,
    captured_at: dt.datetime | None,
    tz: zoneinfo.ZoneInfo,
    layout: Layout | None = None,
) -> dt.datetime | None:
    """The timestamp a platform's displayed time stands for (see `resolve_time`), read with
    `layout`'s time formats, or with those of every known layout."""
    candidates = [layout] if layout is not None else list(known_layouts().layouts.values())
    for candidate in candidates:
        match = recognise_time(raw, candidate.times)
        if match is not None:
            return resolve_time(match, captured_at=captured_at, tz=tz)
    return None


# --- one layout over one text -----------------------------------------------------------------


@dataclass(frozen=True)
class _Lines:
    raw: list[str]
    stripped: list[str]
    folded: list[str]  # what markers are matched against; same length as `stripped`
    lowered: list[str]  # `folded`, casefolded: what exact markers are looked up with
    first_number: int

    @classmethod
    def of(cls, text: str, first_number: int) -> _Lines:
        raw = text.split("\n")
        stripped = [line.strip() for line in raw]
        folded = [fold(line) for line in stripped]
        return cls(raw, stripped, folded, [line.casefold() for line in folded], first_number)

    def at(self, index: int) -> DumpLine:
        return DumpLine(self.first_number + index, self.stripped[index])

    @functools.cached_property
    def last_nonblank(self) -> int:
        """The index of the text's last non-blank line (-1 for a blank text)."""
        return next((i for i in range(len(self.folded) - 1, -1, -1) if self.folded[i]), -1)

    @functools.cached_property
    def folded_text(self) -> tuple[str, list[int]]:
        return _joined(self.folded)

    @functools.cached_property
    def lowered_text(self) -> tuple[str, list[int]]:
        return _joined(self.lowered)

    def first(self, markers: Markers, start: int) -> int | None:
        """The first line from `start` on that is one of `markers`, or None.

        Searches the joined text (one regular expression run instead of one per line and per
        layout: a dump may have a hundred thousand lines); every candidate is confirmed.
        """
        if not markers.searchable:
            return next(
                (
                    i
                    for i in range(start, len(self.folded))
                    if markers.match(self.folded[i], self.lowered[i])
                ),
                None,
            )
        found: list[int] = []
        for regex, (text, starts) in (
            (markers.exact_lines, self.lowered_text),
            (markers.pattern_lines, self.folded_text),
        ):
            if regex is None or start >= len(starts):
                continue
            position = starts[start]
            while (candidate := regex.search(text, position)) is not None:
                index = bisect.bisect_right(starts, candidate.start()) - 1
                if markers.match(self.folded[index], self.lowered[index]):
                    found.append(index)
                    break
                if index + 1 >= len(starts):
                    break
                position = starts[index + 1]
        return min(found, default=None)


def _joined(lines: list[str]) -> tuple[str, list[int]]:
    """The lines joined with LF, and where each starts in the joined text."""
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return "\n".join(lines), starts


@dataclass(frozen=True)
class _Header:
    handle: str | None
    time: str
    reading: TimeMatch
    likes: int | None
    size: int  # lines


@dataclass
class _OpenComment:
    header: _Header
    start: int
    lines: list[str] = field(default_factory=list)

    def close(self, like_count: int | None, number: int) -> ParsedComment:
        return ParsedComment(
            handle=self.header.handle,
            posted_raw=self.header.time,
            # lines as written, a blank line between paragraphs
            body="\n".join(self.lines).strip("\n"),
            like_count=like_count,
            line=number,
            time=self.header.reading,
        )


@dataclass
class _Attempt:
    layout: Layout
    post: ParsedPost | None  # None: the layout does not apply (its end of post never occurs)
    unplaced: list[DumpLine] = field(default_factory=list)
    # lines recognised by a marker or a header: how strongly the text looks like this layout
    recognised: int = 0


class _LayoutParser:
    """Reads one text with one layout; says which lines it could not place."""

    def __init__(self, layout: Layout, lines: _Lines) -> None:
        self.layout = layout
        self.lines = lines
        self.chrome = layout.all_chrome
        self.not_a_handle = self.chrome | layout.between
        self.suspect = Markers(patterns=layout.suspect).pattern_lines if layout.suspect else None

    def _is_footer_or_marker(self, index: int) -> bool:
        folded = self.lines.folded[index]
        return self.not_a_handle.match(folded, self.lines.lowered[index]) or any(
            p.search(folded) for p in self.layout.footer
        )

    def _time_line(self, index: int) -> tuple[str, TimeMatch] | None:
        pattern = self.layout.time_line
        folded = self.lines.folded[index]
        if pattern is None or len(folded) > self.layout.max_header_length:
            return None
        found = pattern.search(folded)
        if found is None:
            return None
        time = self.lines.stripped[index][found.start("time") : found.end("time")].strip()
        reading = recognise_time(time, self.layout.times)
        return None if reading is None else (time, reading)

    def header_at(self, index: int) -> _Header | None:
        layout, lines = self.layout, self.lines
        folded = lines.folded[index]
        if len(folded) > layout.max_header_length:
            return None
        if layout.header_line is not None:
            found = layout.header_line.search(folded)
            if found is None:
                return None
            original = lines.stripped[index]
            time = original[found.start("time") : found.end("time")].strip()
            reading = recognise_time(time, layout.times)
            if reading is None:
                return None
            handle = (
                original[found.start("handle") : found.end("handle")].strip()
                if "handle" in found.re.groupindex and found["handle"]
                else None
            )
            likes = found.groupdict().get("likes")
            return _Header(handle, time, reading, parse_count(likes) if likes else None, 1)
        if (
            layout.handle is not None
            and index + 1 < len(lines.folded)
            and layout.handle.search(folded)
            and not self._is_footer_or_marker(index)
        ):
            below = self._time_line(index + 1)
            if below is not None:
                return _Header(lines.stripped[index], *below, None, 2)
        if layout.handle_optional:
            alone = self._time_line(index)
            if alone is not None:
                return _Header(None, *alone, None, 1)
        return None

    def footer_likes(self, folded: str) -> tuple[bool, int | None]:
        for pattern in self.layout.footer:
            if found := pattern.search(folded):
                likes = found.groupdict().get("likes")
                return True, parse_count(likes) if likes else None
        return False, None

    def repeat_end(self, index: int, post: Sequence[str]) -> int | None:
        """Where the post's repeated copy starting at `index` ends, or None if it is not one.

        The whole post must follow, paragraph by paragraph, or the copy must stop inside it.
        """
        folded = self.lines.folded
        last = self.lines.last_nonblank
        matched = 0
        while index < len(folded) and matched < len(post):
            if folded[index]:
                cut_here = index == last and post[matched].startswith(folded[index])
                if folded[index] != post[matched] and not cut_here:
                    return None
                matched += 1
            index += 1
        return index if matched else None

    def run(self, *, give_up_when_unplaced: bool = False) -> _Attempt:
        """Read the whole text; with `give_up_when_unplaced`, stop at the first line that
        cannot be placed (enough to know the layout does not fit)."""
        layout, lines = self.layout, self.lines
        stripped, folded, lowered = lines.stripped, lines.folded, lines.lowered
        count = len(folded)
        chrome: list[str] = []
        recognised = 0
        i = 0
        title = ""
        if layout.title_line:
            while i < count and not folded[i]:
                i += 1
            if i < count:
                title = stripped[i]
                i += 1
            j = i
            while j < count and not folded[j]:
                j += 1
            if j < count and any(p.search(folded[j]) for p in layout.byline):
                chrome.append(stripped[j])
                recognised += 1
                i = j + 1

        end = lines.first(layout.post_ends_at, i)
        if end is None:
            return _Attempt(layout, None)
        body: list[str] = []
        for index in range(i, end):
            if folded[index]:
                if layout.post_drop.match(folded[index], lowered[index]):
                    chrome.append(stripped[index])
                    recognised += 1
                else:
                    body.append(stripped[index])
        i = end

        post = ParsedPost(
            body=_paragraphs(body),
            layout=layout.name,
            title=title,
            newest_first=layout.newest_first,
        )
        post_folded = [fold(line) for line in body]
        unplaced: list[DumpLine] = []
        state: Literal["chrome", "comment", "between", "after"] = "chrome"
        current: _OpenComment | None = None

        while i < count:
            text = folded[i]
            if not text:
                if (
                    state == "comment"
                    and current is not None
                    and current.lines[-1:] not in ([], [""])
                ):
                    current.lines.append("")  # a paragraph break inside the comment
                i += 1
                continue
            if state == "comment" and current is not None:
                is_footer, likes = self.footer_likes(text)
                if is_footer:
                    self._keep(post, current, likes if likes is not None else current.header.likes)
                    chrome.append(stripped[i])
                    recognised += 1
                    current, state = None, "between"
                    i += 1
                    continue
            header = self.header_at(i) if state != "after" else None
            if header is not None:
                if current is not None:  # no footer: the page showed no like count
                    self._keep(post, current, current.header.likes)
                current = _OpenComment(header, i)
                recognised += header.size
                state = "comment"
                i += header.size
                continue
            if (
                layout.repeated_post
                and state in ("comment", "between")
                and post_folded
                and text == post_folded[0]
            ):
                end = self.repeat_end(i, post_folded)
                if end is not None:
                    if current is not None:
                        self._keep(post, current, current.header.likes)
                        current = None
                    post.repeated_post = True
                    state = "after"
                    i = end
                    continue
            if state == "comment" and current is not None:
                if layout.comment_drop.match(text, lowered[i]):
                    chrome.append(stripped[i])
                    recognised += 1
                elif self.suspect is not None and self.suspect.search(text):
                    # a footer or header the layout cannot read: reading on would merge two
                    # comments or keep the platform's words as the reader's
                    unplaced.append(lines.at(i))
                    if give_up_when_unplaced:
                        return _Attempt(layout, post, unplaced, recognised)
                else:
                    current.lines.append(stripped[i])
            elif state == "between" and layout.between.match(text, lowered[i]):
                chrome.append(stripped[i])
                recognised += 1
            elif state in ("chrome", "after") and self.chrome.match(text, lowered[i]):
                chrome.append(stripped[i])
                recognised += 1
                self._read_chrome(post, text)
            else:
                unplaced.append(lines.at(i))
                if give_up_when_unplaced:
                    return _Attempt(layout, post, unplaced, recognised)
            i += 1

        if current is not None:
            # The copy stopped inside this comment: no footer, no repeated post after it.
            post.truncated = "\n".join(lines.raw[current.start :]).rstrip()
        post.chrome_lines = chrome
        return _Attempt(layout, post, unplaced, recognised)

    def _keep(self, post: ParsedPost, comment: _OpenComment, likes: int | None) -> None:
        parsed = comment.close(likes, self.lines.first_number + comment.start)
        if parsed.body:
            post.comments.append(parsed)

    def _read_chrome(self, post: ParsedPost, folded: str) -> None:
        layout = self.layout
        if (
            layout.source_name is not None
            and not post.source_name
            and (found := layout.source_name.search(folded))
        ):
            post.source_name = found["name"]
        if (
            layout.post_likes is not None
            and post.post_like_count is None
            and (found := layout.post_likes.search(folded))
        ):
            post.post_like_count = parse_count(found["n"])


# --- detection --------------------------------------------------------------------------------


def _plain(lines: _Lines) -> ParsedPost:
    body = _paragraphs(lines.stripped)
    if not body:
        raise DumpError("the file holds no article text")
    return ParsedPost(body=body)


def _page_signals(lines: _Lines, layouts: LayoutSet) -> list[DumpLine]:
    """Lines that look like a platform page's chrome or comment headers, whatever its locale."""
    markers = [
        (layout.all_chrome | layout.between, layout.footer) for layout in layouts.layouts.values()
    ]
    found: list[DumpLine] = []
    for index, text in enumerate(lines.folded):
        if not text or len(text) > 300:
            continue
        if any(p.search(text) for p in layouts.page_hints) or any(
            chrome.match(text) or any(p.search(text) for p in footer) for chrome, footer in markers
        ):
            found.append(lines.at(index))
    return found


def _known(layouts: LayoutSet) -> str:
    return ", ".join(layouts.names)


def _how_to_proceed(layouts: LayoutSet) -> str:
    return (
        f"To import it anyway: --layout NAME forces a layout (known: {_known(layouts)}) and "
        "drops the lines it cannot place; --as-plain-text imports the whole file as the "
        "article body. A page in a new language or from a new platform needs a layout entry "
        "(docs/editorial.md, 'How to add a layout')."
    )


def _listing(lines: Sequence[DumpLine]) -> str:
    shown = "\n".join(f"  {line}" for line in lines[:REFUSAL_LINES])
    more = f"\n  … and {len(lines) - REFUSAL_LINES} more" if len(lines) > REFUSAL_LINES else ""
    return shown + more


def _with_body(post: ParsedPost) -> ParsedPost:
    if not post.body:
        raise DumpError(
            f"the post body before the platform's chrome is empty (layout {post.layout}): "
            "the file holds only the page's chrome"
        )
    return post


def parse_post_dump(
    text: str,
    *,
    layout: str | None = None,
    as_plain_text: bool = False,
    first_line: int = 1,
    layouts: LayoutSet | None = None,
) -> ParsedPost:
    """What a dump holds: the post, its comments and the chrome around them.

    `layout` forces a layout entry by name; `as_plain_text` takes every line as the body.
    `first_line` is the file line `text` starts at (after front matter), for messages.
    """
    layouts = layouts or known_layouts()
    lines = _Lines.of(text, first_line)
    if as_plain_text:
        return _plain(lines)
    if layout:
        try:
            chosen = layouts.get(layout)
        except LayoutError as exc:
            raise DumpError(str(exc)) from None
        attempt = _LayoutParser(chosen, lines).run()
        if attempt.post is None:
            ends = chosen.post_ends_at.examples()
            raise DumpError(
                f"the {chosen.name} layout does not fit this file: none of the lines that end "
                f"its post occurs (such as {', '.join(repr(e) for e in ends[:3])})"
            )
        attempt.post.unplaced = attempt.unplaced
        return _with_body(attempt.post)

    attempts = [
        _LayoutParser(entry, lines).run(give_up_when_unplaced=True)
        for entry in layouts.layouts.values()
    ]
    # a layout wins only on as many recognised lines as make a text look like a page at all (a
    # plain article ending "Read more: …" and "Tags: …" is not a forum page), or when nothing
    # but its chrome is left (refused below as a page without a post)
    fitting = [
        a
        for a in attempts
        if a.post is not None
        and not a.unplaced
        and (a.recognised >= layouts.page_hint_min_lines or not a.post.body)
    ]
    if fitting:
        best = max(a.recognised for a in fitting)
        winners = [a for a in fitting if a.recognised == best]
        if len(winners) > 1:
            names = ", ".join(a.layout.name for a in winners)
            raise DumpError(
                f"this file fits several layouts equally ({names}); choose one with --layout"
            )
        post = winners[0].post
        assert post is not None
        return _with_body(post)

    signals = _page_signals(lines, layouts)
    if len(signals) < layouts.page_hint_min_lines:
        return _plain(lines)
    applying = sorted(
        (_LayoutParser(a.layout, lines).run() for a in attempts if a.post is not None),
        key=lambda a: (len(a.unplaced), -a.recognised),
    )
    if applying:
        closest = applying[0]
        detail = (
            f"The closest layout is {closest.layout.name}; the lines it could not place "
            f"(first {min(REFUSAL_LINES, len(closest.unplaced))} of {len(closest.unplaced)}):\n"
            + _listing(closest.unplaced)
        )
    else:
        detail = (
            "No layout recognises where its post ends. Lines no layout could place "
            f"(first {min(REFUSAL_LINES, len(signals))} of {len(signals)}):\n" + _listing(signals)
        )
    raise DumpError(
        f"this looks like a platform's post page ({len(signals)} lines look like its chrome or "
        "comment headers), but no layout places every line, so nothing was imported.\n"
        f"{detail}\n{_how_to_proceed(layouts)}"
    )


# --- language and title -----------------------------------------------------------------------

_FRENCH_HINTS = re.compile(r"\b(le|la|les|des|est|une|que|qui|pour|dans|pas|sur|aux|du)\b", re.I)
_ENGLISH_HINTS = re.compile(r"\b(the|and|is|of|to|that|for|with|not|on|are|this)\b", re.I)


def guess_language(text: str) -> str:
    sample = text[:5000]
    return (
        "fr" if len(_FRENCH_HINTS.findall(sample)) > len(_ENGLISH_HINTS.findall(sample)) else "en"
    )


def title_from_body(body: str, *, limit: int = 120) -> str:
    first = body.split("\n", 1)[0].strip()
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:—-") + "…"


# --- what an import would store ---------------------------------------------------------------


@dataclass(frozen=True)
class PlannedComment:
    handle: str | None  # as found; None when the dump has no handle line
    posted_raw: str
    posted_at: dt.datetime | None
    body: str
    like_count: int | None
    line: int

    @property
    def author(self) -> str:
        """What the comment is stored under."""
        return self.handle or MISSING_HANDLE


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import of one file would store, and what it would leave out."""

    fingerprint: str
    title: str
    body: str
    language: str
    language_guessed: bool
    source_url: str
    source_name: str
    original_author: str
    published_at: dt.datetime | None
    layout: str  # "" for a plain article
    layout_description: str
    comments: tuple[PlannedComment, ...]  # in file order
    newest_first: bool
    chrome_lines: tuple[str, ...]
    repeated_post: bool
    truncated: str | None
    unplaced: tuple[DumpLine, ...]
    front_matter: tuple[str, ...]  # the keys the file's front matter set

    def comments_in_storage_order(self) -> list[PlannedComment]:
        """Oldest first where the page lists newest first, so ids follow time."""
        return list(reversed(self.comments)) if self.newest_first else list(self.comments)

    def as_dict(self, *, body_lines: int = 5) -> dict[str, Any]:
        """A JSON-ready summary: the same facts the text preview and the admin show."""
        paragraphs = self.body.split("\n")
        return {
            "layout": self.layout or "plain text",
            "layout_description": self.layout_description,
            "title": self.title,
            "language": self.language,
            "language_guessed": self.language_guessed,
            "source_url": self.source_url,
            "source_name": self.source_name,
            "original_author": self.original_author,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "front_matter": list(self.front_matter),
            "body_length": len(self.body),
            "body_first_lines": [p for p in paragraphs if p][:body_lines],
            "body": self.body,
            "comments": [
                {
                    "handle": c.handle,
                    "stored_as": c.author,
                    "posted_raw": c.posted_raw,
                    "posted_at": c.posted_at.isoformat() if c.posted_at else None,
                    "like_count": c.like_count,
                    "line": c.line,
                    "body": c.body,
                }
                for c in self.comments
            ],
            "chrome_lines": list(self.chrome_lines),
            "repeated_post": self.repeated_post,
            "truncated": self.truncated,
            "unplaced": [{"line": u.number, "text": u.text} for u in self.unplaced],
            "fingerprint": self.fingerprint,
        }


def plan_post_import(
    raw: bytes,
    *,
    language: str | None = None,
    source_url: str = "",
    source_name: str = "",
    original_author: str = "",
    title: str = "",
    captured_at: dt.datetime | None = None,
    timezone: str | None = None,
    layout: str | None = None,
    as_plain_text: bool = False,
    languages: tuple[str, ...] = ("fr", "en"),
) -> ImportPlan:
    """What importing `raw` would store, without storing anything.

    Values given here win over the file's front matter, which wins over what the page shows
    (a title line) and what is derived (the first sentence, the guessed language).
    """
    try:
        tz = zoneinfo.ZoneInfo(timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise DumpError(f"unknown time zone {timezone!r}") from None
    if language and language not in languages:
        raise DumpError(f"unknown language {language!r}; use one of {', '.join(languages)}")
    text = decode_dump(raw)
    try:
        front, rest = split_front_matter(text, languages=languages, tz=tz)
    except FrontMatterError as exc:
        raise DumpError(str(exc)) from None
    try:
        known_layouts()
    except LayoutError as exc:
        raise DumpError(f"the layout files are broken, so no page can be read: {exc}") from None
    parsed = parse_post_dump(
        rest, layout=layout, as_plain_text=as_plain_text, first_line=front.line_count + 1
    )
    if captured_at is not None and timezone is None and captured_at.utcoffset() is not None:
        # no zone given: the page's dates and "yesterday at 18:02" are read in the capture's
        # own offset, where the reader who saved the page saw them
        tz = captured_at.tzinfo  # type: ignore[assignment]
    return _plan(
        parsed,
        front,
        fingerprint=dump_fingerprint(raw),
        language=language,
        source_url=source_url,
        source_name=source_name,
        original_author=original_author,
        title=title,
        captured_at=captured_at,
        tz=tz,
    )


def _plan(
    parsed: ParsedPost,
    front: FrontMatter,
    *,
    fingerprint: str,
    language: str | None,
    source_url: str,
    source_name: str,
    original_author: str,
    title: str,
    captured_at: dt.datetime | None,
    tz: zoneinfo.ZoneInfo,
) -> ImportPlan:
    chosen = known_layouts().layouts.get(parsed.layout) if parsed.layout else None
    lang = language or front.language
    comments = tuple(
        PlannedComment(
            handle=c.handle,
            posted_raw=c.posted_raw,
            posted_at=resolve_time(c.time, captured_at=captured_at, tz=tz)
            if c.time is not None
            else resolve_posted_at(c.posted_raw, captured_at=captured_at, tz=tz, layout=chosen),
            body=c.body,
            like_count=c.like_count,
            line=c.line,
        )
        for c in parsed.comments
    )
    return ImportPlan(
        fingerprint=fingerprint,
        title=(title or front.title or parsed.title or title_from_body(parsed.body)).strip(),
        body=parsed.body,
        language=lang or guess_language(parsed.body),
        language_guessed=not lang,
        source_url=source_url or front.source_url,
        source_name=source_name or parsed.source_name,
        original_author=original_author or front.author,
        published_at=front.published_at,
        layout=parsed.layout,
        layout_description=chosen.description if chosen is not None else "",
        comments=comments,
        newest_first=parsed.newest_first,
        chrome_lines=tuple(parsed.chrome_lines),
        repeated_post=parsed.repeated_post,
        truncated=parsed.truncated,
        unplaced=tuple(parsed.unplaced),
        front_matter=front.keys,
    )

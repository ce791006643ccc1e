"""Parsing of post page dumps: the text a reader copies from a social platform's post page.

A dump holds the post, then the platform's chrome (a "see original" link, a third-party
disclaimer, counters and buttons), then the reader comments, each as a handle line, a
"· <time>" line, the comment text and a "see original / reply <likes>" line; some platforms
repeat the post after the comments. A file without that chrome is a plain article.

Parsing is pure: it takes text and returns what it found; writing is articles.services.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field

# Lines that end the post body and start the platform's chrome.
_SEE_ORIGINAL = re.compile(r"^(Voir l['’]original|View original|See original|Show original)$", re.I)
# A comment's footer: "see original", then "reply", then the comment's like count.
_COMMENT_FOOTER = re.compile(
    r"^(?:Voir l['’]original|View original|See original|Show original)?\s*"
    r"(?:Répondre|Reply)\s*(?P<likes>\d+)?$",
    re.I,
)
_COMMENT_TIME = re.compile(r"^·\s*(?P<raw>.+)$")
_DISCLAIMER = re.compile(r"^(Cette page peut inclure|This page may (?:include|contain))", re.I)
_DISCLAIMER_PUBLISHER = re.compile(
    r"(?:tiers|third[- ]part(?:y|ies))[^.]*\.\s*(?P<name>[A-Z][\w.&-]{1,40}) "
    r"(?:ne garantit|does not|makes no)",
    re.I,
)
_POST_LIKES = re.compile(r"^(?P<n>\d+)\s+(?:J['’]aime|Likes?)$", re.I)
_CHAR_COUNTER = re.compile(r"^0/(?P<limit>\d+)$")
_CHROME_WORDS = {
    "récompense",
    "reward",
    "reposter",
    "repost",
    "partager",
    "share",
    "commentaire",
    "comment",
    "comments",
    "commentaires",
}
_HANDLE = re.compile(r"^[\w.\-]{2,64}$", re.UNICODE)

# "12-08 11:46": month-day and time, the year left out by the platform.
_MONTH_DAY_TIME = re.compile(r"^(?P<m>\d{1,2})-(?P<d>\d{1,2})\s+(?P<H>\d{1,2}):(?P<M>\d{2})$")
_FULL_DATE_TIME = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\s+(?P<H>\d{1,2}):(?P<M>\d{2})$"
)
# "Il y a 14h", "14h ago", "Il y a 5 min"
_RELATIVE = re.compile(r"^(?:il y a\s*)?(?P<n>\d+)\s*(?P<unit>min|mn|m|h|j|d)\b(?:\s*ago)?$", re.I)


class DumpError(ValueError):
    """The file cannot be imported; the message says why."""


@dataclass(frozen=True)
class ParsedComment:
    handle: str
    posted_raw: str
    body: str
    like_count: int | None


@dataclass
class ParsedPost:
    body: str
    comments: list[ParsedComment] = field(default_factory=list)
    source_name: str = ""
    post_like_count: int | None = None
    comment_length_limit: int | None = None
    had_chrome: bool = False
    repeated_body_dropped: bool = False


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


def _paragraphs(lines: list[str]) -> str:
    return "\n\n".join(line.strip() for line in lines if line.strip())


def parse_post_dump(text: str) -> ParsedPost:
    lines = [line.rstrip() for line in text.split("\n")]
    marker = next((i for i, line in enumerate(lines) if _SEE_ORIGINAL.match(line.strip())), None)
    if marker is None:
        body = _paragraphs(lines)
        if not body:
            raise DumpError("the file holds no article text")
        return ParsedPost(body=body)

    body_lines = [line for line in lines[:marker] if line.strip()]
    if not body_lines:
        raise DumpError("the post body before the platform's 'see original' line is empty")
    post = ParsedPost(body=_paragraphs(body_lines), had_chrome=True)
    rest = [line.strip() for line in lines[marker + 1 :]]

    i = 0
    # The chrome: disclaimer, counters and buttons, up to the first comment header.
    while i < len(rest) and not _is_comment_header(rest, i):
        line = rest[i]
        if _DISCLAIMER.match(line):
            found = _DISCLAIMER_PUBLISHER.search(line)
            if found:
                post.source_name = found.group("name")
        elif m := _POST_LIKES.match(line):
            post.post_like_count = int(m.group("n"))
        elif m := _CHAR_COUNTER.match(line):
            post.comment_length_limit = int(m.group("limit"))
        i += 1

    first_body_line = body_lines[0].strip()
    while i < len(rest):
        if not _is_comment_header(rest, i):
            i += 1
            continue
        handle, posted_raw = rest[i], _COMMENT_TIME.match(rest[i + 1]).group("raw").strip()  # type: ignore[union-attr]
        i += 2
        text_lines: list[str] = []
        like_count: int | None = None
        while i < len(rest):
            line = rest[i]
            if footer := _COMMENT_FOOTER.match(line):
                likes = footer.group("likes")
                like_count = int(likes) if likes is not None else None
                i += 1
                break
            if _is_comment_header(rest, i):
                break
            if line == first_body_line:
                # The post starts again after the last comment: the dump repeats it.
                post.repeated_body_dropped = True
                i = len(rest)
                break
            if line:
                text_lines.append(line)
            i += 1
        comment_body = "\n".join(text_lines).strip()
        if comment_body:
            post.comments.append(
                ParsedComment(
                    handle=handle, posted_raw=posted_raw, body=comment_body, like_count=like_count
                )
            )
    return post


def _is_comment_header(lines: list[str], i: int) -> bool:
    return (
        i + 1 < len(lines)
        and bool(_HANDLE.match(lines[i]))
        and lines[i].lower() not in _CHROME_WORDS
        and not lines[i].isdigit()
        and bool(_COMMENT_TIME.match(lines[i + 1]))
    )


def resolve_posted_at(
    raw: str, *, captured_at: dt.datetime | None, tz: zoneinfo.ZoneInfo
) -> dt.datetime | None:
    """The timestamp a platform's displayed time stands for, where it can be known.

    - "2025-12-08 11:46": that moment in `tz`.
    - "12-08 11:46" (month-day, no year): the latest such moment not after the capture time
      (or now, when the capture time is unknown), in `tz`.
    - "Il y a 14h" / "14h ago": only with a known capture time; otherwise unknown (None).
    """
    raw = raw.strip()
    reference = captured_at or dt.datetime.now(tz)
    if m := _FULL_DATE_TIME.match(raw):
        try:
            return dt.datetime(
                int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"]), int(m["M"]), tzinfo=tz
            )
        except ValueError:
            return None
    if m := _MONTH_DAY_TIME.match(raw):
        for year in (reference.year, reference.year - 1):
            try:
                candidate = dt.datetime(
                    year, int(m["m"]), int(m["d"]), int(m["H"]), int(m["M"]), tzinfo=tz
                )
            except ValueError:
                continue
            if candidate <= reference:
                return candidate
        return None
    if (m := _RELATIVE.match(raw)) and captured_at is not None:
        n, unit = int(m["n"]), m["unit"].lower()
        delta = {
            "min": dt.timedelta(minutes=n),
            "mn": dt.timedelta(minutes=n),
            "m": dt.timedelta(minutes=n),
            "h": dt.timedelta(hours=n),
            "j": dt.timedelta(days=n),
            "d": dt.timedelta(days=n),
        }[unit]
        return captured_at - delta
    return None


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

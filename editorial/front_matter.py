"""Front matter: `key: value` lines between two `---` lines at the very top of a text file.

    ---
    title: Ireland keeps its brake on new data centres
    source_url: https://example.org/ireland
    language: en
    author: Energy Desk
    published_at: 2025-03-03
    ---

Only flat `key: value` pairs with the keys below, read as text: a value may be quoted ("…" or
'…'), blank lines and `#` comment lines are allowed. This is deliberately not YAML: YAML would
read `title: no` as false and `published_at` as a date object, and accept nesting no field can
hold. An unknown key, a repeated key, a line that is not `key: value`, a missing closing `---`, a
bad date, language or URL stop the import with the line number.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

KEYS = ("title", "source_url", "language", "author", "published_at")
DELIMITER = "---"
_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)$")
_MAX_LENGTH = {"title": 300, "author": 200, "source_url": 2000}


class FrontMatterError(ValueError):
    """The front matter cannot be read; the message names the line."""


@dataclass(frozen=True)
class FrontMatter:
    title: str = ""
    source_url: str = ""
    language: str = ""
    author: str = ""
    published_at: dt.datetime | None = None
    # the keys the file set, in file order, and how many lines the block took
    keys: tuple[str, ...] = ()
    line_count: int = 0


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _published_at(value: str, *, tz: zoneinfo.ZoneInfo, line: int) -> dt.datetime:
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime(day.year, day.month, day.day, tzinfo=tz)
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise FrontMatterError(
            f"front matter, line {line}: published_at {value!r} is not a date; write "
            "2025-03-05 or 2025-03-05T09:15:00+01:00"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def split_front_matter(
    text: str, *, languages: tuple[str, ...], tz: zoneinfo.ZoneInfo
) -> tuple[FrontMatter, str]:
    """The front matter at the top of `text` (empty when there is none) and the rest.

    `text` has LF line ends. Naive dates are read in `tz`; `language` must be one of
    `languages`.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != DELIMITER:
        return FrontMatter(), text
    closing = next(
        (number for number, line in enumerate(lines[1:], start=2) if line.strip() == DELIMITER),
        None,
    )
    if closing is None:
        raise FrontMatterError(
            f"front matter opened on line 1 is never closed: add a '{DELIMITER}' line after it"
        )
    values: dict[str, str] = {}
    keys: list[str] = []
    published_at: dt.datetime | None = None
    for index, line in enumerate(lines[1 : closing - 1], start=2):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        found = _LINE.match(stripped)
        if found is None:
            raise FrontMatterError(
                f"front matter, line {index}: {stripped[:60]!r} is not 'key: value'; the front "
                f"matter is the block between the first two '{DELIMITER}' lines"
            )
        key, value = found["key"], _unquote(found["value"].strip())
        if key not in KEYS:
            raise FrontMatterError(
                f"front matter, line {index}: unknown key {key!r}; known keys: {', '.join(KEYS)}"
            )
        if key in values:
            raise FrontMatterError(f"front matter, line {index}: {key!r} is set twice")
        limit = _MAX_LENGTH.get(key)
        if limit is not None and len(value) > limit:
            raise FrontMatterError(
                f"front matter, line {index}: {key} is longer than {limit} characters"
            )
        if key == "language" and value and value not in languages:
            raise FrontMatterError(
                f"front matter, line {index}: language {value!r} is not one of "
                + ", ".join(languages)
            )
        if key == "source_url" and value and not re.match(r"^https?://\S+$", value):
            raise FrontMatterError(
                f"front matter, line {index}: source_url {value!r} is not an http(s) URL"
            )
        if key == "published_at" and value:
            published_at = _published_at(value, tz=tz, line=index)
        values[key] = value
        keys.append(key)
    front = FrontMatter(
        title=values.get("title", ""),
        source_url=values.get("source_url", ""),
        language=values.get("language", ""),
        author=values.get("author", ""),
        published_at=published_at,
        keys=tuple(keys),
        line_count=closing,
    )
    return front, "\n".join(lines[closing:])

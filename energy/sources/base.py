"""What every energy-data source shares: the payload, the errors, and the value parsers.

A source turns a group of catalogue series that one download serves (every OWID series
comes from the same file) into one `Payload` (`fetch`), then reads each series' points out
of it (`parse`). Nothing here writes to the database: a bad payload can only produce errors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from energy.models import Series

Point = tuple[dt.date, float]
Points = list[Point]
# parse() answers, per series id, either its points or why that series cannot be read.
ParseResult = Mapping[int, "Points | SourceError"]

_SPOOL_IN_MEMORY_BYTES = 1024 * 1024


class SourceError(Exception):
    """A refresh failed for a reason worth showing to an editor as is."""

    temporary = False

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TemporarySourceError(SourceError):
    """Timeouts, refused connections, 429 and 5xx: trying again later may work."""

    temporary = True


class PayloadError(SourceError):
    """The source answered, but not with data we can trust (HTML, wrong columns, bad values)."""


class ConfigurationError(SourceError):
    """Assay is not set up for this source (a missing API key, a bad source key)."""


@dataclass
class Payload:
    """One downloaded body, spooled to disk past 1 MiB, with what identifies its version."""

    url: str
    body: IO[bytes] = field(
        # Closed by Payload.close(), which every caller reaches through try/finally.
        default_factory=lambda: tempfile.SpooledTemporaryFile(_SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    )
    sha256: str = ""
    size: int = 0
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    not_modified: bool = False

    @classmethod
    def from_bytes(cls, url: str, data: bytes, *, content_type: str = "") -> Payload:
        payload = cls(url=url, content_type=content_type)
        payload.body.write(data)
        payload.body.seek(0)
        payload.size = len(data)
        payload.sha256 = hashlib.sha256(data).hexdigest()
        return payload

    @property
    def version(self) -> str:
        """The data version recorded on each series: the sha256 of the bytes received."""
        return f"sha256:{self.sha256}" if self.sha256 else ""

    def head(self, size: int = 512) -> bytes:
        self.body.seek(0)
        data = self.body.read(size)
        self.body.seek(0)
        return data

    def text(self) -> io.TextIOWrapper:
        """The body as UTF-8 text, streamed (csv needs newline='')."""
        self.body.seek(0)
        return io.TextIOWrapper(self.body, encoding="utf-8-sig", newline="")

    def json(self) -> Any:
        self.refuse_html()
        self.body.seek(0)
        try:
            return json.load(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise PayloadError(
                f"{self.url} did not return valid JSON ({exc}); starts with {self.excerpt()!r}"
            ) from None

    def excerpt(self, size: int = 120) -> str:
        return self.head(size).decode("utf-8", "replace").strip()

    def refuse_html(self) -> None:
        """Servers and proxies answer errors with an HTML page and status 200 all too often."""
        start = self.head(256).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        # Neither CSV nor JSON starts with "<"; every HTML or XML error page does.
        if start.startswith(b"<") or "html" in self.content_type.lower():
            raise PayloadError(
                f"{self.url} returned an HTML page instead of data "
                f"(content-type {self.content_type or 'unknown'}): {self.excerpt()!r}"
            )

    def close(self) -> None:
        self.body.close()


class Source(Protocol):
    """The interface every source module implements."""

    name: str

    def group_key(self, series: Series) -> str:
        """Series with the same key are served by one download."""
        ...

    def fetch(self, group: Sequence[Series], *, etag: str = "", last_modified: str = "") -> Payload:
        """Download the payload for the group; raise SourceError when it cannot."""
        ...

    def parse(self, payload: Payload, group: Sequence[Series]) -> ParseResult:
        """Read each series' points; raise SourceError when the payload as a whole is bad."""
        ...


_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-?Q([1-4]))?$")


def parse_period(raw: object, where: str) -> dt.date:
    """A year, a year-month, an ISO date or a quarter (2023, 2023-03, 2023-03-05, 2023-Q2)."""
    text = str(raw).strip()
    match = _PERIOD.match(text)
    if match is None:
        raise PayloadError(f"{where}: {text!r} is not a year or a date")
    year, month, day, quarter = match.groups()
    try:
        if quarter:
            return dt.date(int(year), 3 * int(quarter) - 2, 1)
        return dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise PayloadError(f"{where}: {text!r} is not a valid date") from None


def parse_value(raw: object, where: str) -> float | None:
    """A finite number, or None for a missing value (empty cell, JSON null)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise PayloadError(f"{where}: {raw!r} is not a number")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip()
        if text == "":
            return None
        try:
            value = float(text)
        except ValueError:
            raise PayloadError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise PayloadError(f"{where}: {raw!r} is not a finite number")
    return value


def collect_points(
    rows: Iterator[tuple[object, object]], where: str, *, skip_missing: bool = True
) -> Points:
    """Parse (period, value) pairs; refuse a period given twice (ambiguous source key)."""
    seen: dict[dt.date, float] = {}
    for raw_period, raw_value in rows:
        period = parse_period(raw_period, where)
        value = parse_value(raw_value, f"{where}, {raw_period}")
        if value is None:
            if skip_missing:
                continue
            raise PayloadError(f"{where}, {raw_period}: value is missing")
        if period in seen:
            raise PayloadError(
                f"{where}: several values for {raw_period}; narrow the source key to one series"
            )
        seen[period] = value
    if not seen:
        raise PayloadError(f"{where}: no observations in the payload (empty result)")
    return sorted(seen.items())

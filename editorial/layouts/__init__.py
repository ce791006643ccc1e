"""Post page layouts as data: one TOML file per platform and interface language.

A post page dump has one shape whatever the platform (see `base.toml`, which every entry starts
from): the post, the platform's chrome (a "see original" link, a disclaimer, counters and
buttons), the reader comments (a header with the handle and the time, the text, a footer with
"reply" and the like count), and on some platforms the post again. A layout entry says how one
platform in one language writes each part; `editorial.importers` reads any entry with one parser.

- `extends = "NAME"` starts an entry from another one (`gate-fr` from `gate`): tables merge key
  by key, lists add to the parent's, other values replace it. `abstract = true` marks an entry
  that only exists to be extended.
- Markers are `exact` lines or regular expression `patterns`; both are matched against the
  stripped line, ignoring case, with typographic apostrophes (’) read as straight ones (') and
  non-breaking spaces as spaces, so a layout only ever writes ' and a space. Patterns are
  searched in the line: anchor them with ^ and $. `%COUNT%` in a pattern stands for a
  displayed count ("9", "12 345", "1,2 k", "1.2K").
- An unknown key, a value of the wrong type or a pattern that does not compile stops the load
  with the file and the key: a broken entry never half-works.

Loading is pure (files in, frozen objects out) and cached; `load_layouts(folder)` reads another
folder, which is how tests show that a new locale needs data and no code.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

LAYOUTS_DIR = Path(__file__).resolve().parent
BASE = "base"

HeaderKind = Literal["handle-then-time", "one-line"]
TimeUnit = Literal["minute", "hour", "day", "week"]
TIME_UNITS: tuple[TimeUnit, ...] = ("minute", "hour", "day", "week")


class LayoutError(ValueError):
    """A layout file is not valid; the message names the file and the key."""


_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " "})


def fold(line: str) -> str:
    """The form markers are matched against: stripped, typographic apostrophes made straight,
    non-breaking and thin spaces (French pages write "27\u202fJ'aime", "12\u00a0345") plain."""
    if not line.isascii():
        line = line.translate(_SPACES)
    return line.strip().replace("’", "'").replace("ʼ", "'")


# `%COUNT%` in a pattern: a displayed count, "9", "12 345", "12,345", "1,2 k", "1.2K", "3M"
# (parse_count reads it)
COUNT = r"(?:\d+(?:[.,]\d+)?\s?[kKmM]\b|\d{1,3}(?:[ ,.]\d{3})+(?!\d)|\d+)"


def parse_count(text: str) -> int:
    """The number a displayed count stands for: "1,2 k" is 1200, "12 345" is 12345."""
    value = fold(text).replace(" ", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(value[-1:].lower())
    if scale:
        return round(float(value[:-1].replace(",", ".")) * scale)
    return int(value.replace(",", "").replace(".", ""))


def _combined(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One alternation for all patterns: a dump has a hundred thousand lines and each is tried
    against every marker set of every layout. None when two patterns share a group name."""
    if not patterns:
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)
    except re.error:
        return None


@dataclass(frozen=True)
class Markers:
    """Lines recognised as exact text (case-insensitive) or by a pattern."""

    exact: frozenset[str] = frozenset()
    patterns: tuple[re.Pattern[str], ...] = ()
    # the exact lines as the layout writes them, for messages
    shown: tuple[str, ...] = ()
    _any: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    # The same markers over a whole text, one line each (re.MULTILINE): `exact_lines` for the
    # casefolded text, `pattern_lines` for the folded one. They find candidates fast; each
    # candidate is confirmed with `match`, since a pattern may reach across a line break.
    exact_lines: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    pattern_lines: re.Pattern[str] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        combined = _combined(self.patterns)
        object.__setattr__(self, "_any", combined)
        if self.exact:
            words = "|".join(re.escape(word) for word in sorted(self.exact))
            object.__setattr__(self, "exact_lines", re.compile(f"^(?:{words})$", re.MULTILINE))
        if combined is not None:
            object.__setattr__(
                self, "pattern_lines", re.compile(combined.pattern, re.IGNORECASE | re.MULTILINE)
            )

    @property
    def searchable(self) -> bool:
        """Whether `exact_lines` and `pattern_lines` cover every marker."""
        return not self.patterns or self.pattern_lines is not None

    def match(self, folded: str, lowered: str | None = None) -> bool:
        """Whether the line (`fold`ed; `lowered` is its casefold, when already computed) is
        one of these markers."""
        if (folded.casefold() if lowered is None else lowered) in self.exact:
            return True
        if self._any is not None:
            return self._any.search(folded) is not None
        return any(p.search(folded) for p in self.patterns)

    def __or__(self, other: Markers) -> Markers:
        return Markers(
            self.exact | other.exact, self.patterns + other.patterns, self.shown + other.shown
        )

    def examples(self) -> list[str]:
        return [*self.shown, *(p.pattern for p in self.patterns)]


@dataclass(frozen=True)
class TimeFormats:
    """How comment times are written: "now" words, relative times, "n days ago" words
    ("yesterday", "hier à 18:02"), absolute dates with the groups they hold."""

    now: frozenset[str] = frozenset()
    relative: tuple[re.Pattern[str], ...] = ()
    units: Mapping[str, TimeUnit] = field(default_factory=dict)
    days_ago: tuple[tuple[re.Pattern[str], int], ...] = ()
    absolute: tuple[re.Pattern[str], ...] = ()
    month_names: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    name: str
    platform: str
    language: str
    description: str
    # the post
    title_line: bool
    byline: tuple[re.Pattern[str], ...]
    post_ends_at: Markers
    post_drop: Markers
    # the chrome between the post and the first comment
    chrome: Markers
    source_name: re.Pattern[str] | None
    post_likes: re.Pattern[str] | None
    # comment blocks
    header: HeaderKind
    handle: re.Pattern[str] | None
    time_line: re.Pattern[str] | None
    header_line: re.Pattern[str] | None
    handle_optional: bool
    footer: tuple[re.Pattern[str], ...]
    # lines inside a comment that are the platform's, not the reader's ("Edited")
    comment_drop: Markers
    # lines that must never end up inside a comment's text: one means the page was misread
    suspect: tuple[re.Pattern[str], ...]
    between: Markers
    newest_first: bool
    max_header_length: int
    # the post again after the comments
    repeated_post: bool
    times: TimeFormats
    path: Path

    @property
    def all_chrome(self) -> Markers:
        """Every line this layout drops as chrome outside comment text."""
        return self.chrome | self.post_ends_at | self.post_drop


@dataclass(frozen=True)
class LayoutSet:
    layouts: Mapping[str, Layout]
    # Signs that a text is a platform page even when no layout knows its words.
    page_hints: tuple[re.Pattern[str], ...]
    page_hint_min_lines: int

    @property
    def names(self) -> list[str]:
        return sorted(self.layouts)

    def get(self, name: str) -> Layout:
        try:
            return self.layouts[name]
        except KeyError:
            raise LayoutError(
                f"unknown layout {name!r}; known layouts: {', '.join(self.names)}"
            ) from None


# --- the schema -------------------------------------------------------------------------------

# Every key an entry may hold, with its type; base.toml gives each one its default.
_MARKERS = {"exact": list, "patterns": list}
_SCHEMA: dict[str, Any] = {
    "name": str,
    "platform": str,
    "language": str,
    "description": str,
    "extends": str,
    "abstract": bool,
    "post": {
        "title_line": bool,
        "byline": list,
        "ends_at": _MARKERS,
        "drop": _MARKERS,
    },
    "chrome": {"exact": list, "patterns": list, "source_name": str, "post_likes": str},
    "comments": {
        "header": str,
        "handle": str,
        "time_line": str,
        "line": str,
        "handle_optional": bool,
        "footer": list,
        "drop": _MARKERS,
        "suspect": list,
        "between": _MARKERS,
        "order": str,
        "max_header_length": int,
        "repeated_post": bool,
    },
    "times": {
        "now": list,
        "relative": list,
        "units": dict,
        "days_ago": list,
        "absolute": list,
        "month_names": dict,
    },
    "page_hints": {"patterns": list, "min_lines": int},
}


def _check(data: Mapping[str, Any], schema: Mapping[str, Any], where: str, prefix: str) -> None:
    for key, value in data.items():
        path = f"{prefix}{key}"
        if key not in schema:
            known = ", ".join(sorted(schema))
            raise LayoutError(f"{where}: unknown key {path!r} (known here: {known})")
        expected = schema[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                raise LayoutError(f"{where}: {path!r} must be a table")
            _check(value, expected, where, f"{path}.")
        elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise LayoutError(f"{where}: {path!r} must be a {expected.__name__}")


def _merge(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = [*merged[key], *value]
        else:
            merged[key] = value
    return merged


class _Compiler:
    """Turns one merged entry into a Layout, naming the file and key of any bad value."""

    def __init__(self, data: Mapping[str, Any], where: str) -> None:
        self.data = data
        self.where = where

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            node = node[part]
        return node

    def pattern(self, dotted: str, value: str, groups: Iterable[str] = ()) -> re.Pattern[str]:
        try:
            compiled = re.compile(value.replace("%COUNT%", COUNT), re.IGNORECASE)
        except re.error as exc:
            raise LayoutError(
                f"{self.where}: {dotted}: {value!r} is not a valid pattern ({exc})"
            ) from None
        missing = [g for g in groups if g not in compiled.groupindex]
        if missing:
            raise LayoutError(
                f"{self.where}: {dotted}: {value!r} needs the named group(s) "
                + ", ".join(f"(?P<{g}>…)" for g in missing)
            )
        return compiled

    def patterns(self, dotted: str, groups: Iterable[str] = ()) -> tuple[re.Pattern[str], ...]:
        values = self.get(dotted)
        for value in values:
            if not isinstance(value, str):
                raise LayoutError(f"{self.where}: {dotted} must hold strings")
        return tuple(self.pattern(dotted, value, groups) for value in values)

    def optional_pattern(self, dotted: str, groups: Iterable[str] = ()) -> re.Pattern[str] | None:
        value = self.get(dotted)
        return self.pattern(dotted, value, groups) if value else None

    def words(self, dotted: str) -> frozenset[str]:
        values = self.get(dotted)
        for value in values:
            if not isinstance(value, str):
                raise LayoutError(f"{self.where}: {dotted} must hold strings")
        return frozenset(fold(v).casefold() for v in values)

    def markers(self, dotted: str) -> Markers:
        return Markers(
            self.words(f"{dotted}.exact"),
            self.patterns(f"{dotted}.patterns"),
            tuple(self.get(f"{dotted}.exact")),
        )

    def times(self) -> TimeFormats:
        units: dict[str, TimeUnit] = {}
        for word, unit in self.get("times.units").items():
            if unit not in TIME_UNITS:
                raise LayoutError(
                    f"{self.where}: times.units.{word} = {unit!r}: use one of "
                    + ", ".join(TIME_UNITS)
                )
            units[fold(word).casefold()] = unit
        days_ago: list[tuple[re.Pattern[str], int]] = []
        for entry in self.get("times.days_ago"):
            if (
                not isinstance(entry, dict)
                or set(entry) != {"pattern", "days"}
                or not isinstance(entry["pattern"], str)
                or not isinstance(entry["days"], int)
            ):
                raise LayoutError(
                    f"{self.where}: times.days_ago entries are {{ pattern = '…', days = N }}"
                )
            days_ago.append((self.pattern("times.days_ago", entry["pattern"]), entry["days"]))
        months: dict[str, int] = {}
        for word, number in self.get("times.month_names").items():
            if not isinstance(number, int) or not 1 <= number <= 12:
                raise LayoutError(f"{self.where}: times.month_names.{word} must be 1 to 12")
            months[fold(word).casefold()] = number
        absolute = self.patterns("times.absolute", groups=("day",))
        for compiled in absolute:
            if not {"month", "month_name"} & set(compiled.groupindex):
                raise LayoutError(
                    f"{self.where}: times.absolute: {compiled.pattern!r} needs (?P<month>…) "
                    "or (?P<month_name>…)"
                )
        return TimeFormats(
            now=self.words("times.now"),
            relative=self.patterns("times.relative", groups=("n", "unit")),
            units=units,
            days_ago=tuple(days_ago),
            absolute=absolute,
            month_names=months,
        )

    def layout(self, path: Path) -> Layout:
        for key in ("name", "platform", "language"):
            if not self.data.get(key):
                raise LayoutError(f"{self.where}: {key!r} is required")
        header = self.get("comments.header")
        if header not in ("handle-then-time", "one-line"):
            raise LayoutError(
                f"{self.where}: comments.header must be 'handle-then-time' or 'one-line'"
            )
        order = self.get("comments.order")
        if order not in ("newest-first", "as-shown"):
            raise LayoutError(f"{self.where}: comments.order must be 'newest-first' or 'as-shown'")
        two_lines = header == "handle-then-time"
        header_line = None if two_lines else self.optional_pattern("comments.line", ("time",))
        if not two_lines and header_line is None:
            raise LayoutError(f"{self.where}: a one-line header needs comments.line")
        return Layout(
            name=self.data["name"],
            platform=self.data["platform"],
            language=self.data["language"],
            description=self.data.get("description", ""),
            title_line=self.get("post.title_line"),
            byline=self.patterns("post.byline"),
            post_ends_at=self.markers("post.ends_at"),
            post_drop=self.markers("post.drop"),
            chrome=Markers(
                self.words("chrome.exact"),
                self.patterns("chrome.patterns"),
                tuple(self.get("chrome.exact")),
            ),
            source_name=self.optional_pattern("chrome.source_name", ("name",)),
            post_likes=self.optional_pattern("chrome.post_likes", ("n",)),
            header=header,
            handle=self.optional_pattern("comments.handle") if two_lines else None,
            time_line=self.optional_pattern("comments.time_line", ("time",)) if two_lines else None,
            header_line=header_line,
            handle_optional=self.get("comments.handle_optional"),
            footer=self.patterns("comments.footer"),
            comment_drop=self.markers("comments.drop"),
            suspect=self.patterns("comments.suspect"),
            between=self.markers("comments.between"),
            newest_first=order == "newest-first",
            max_header_length=self.get("comments.max_header_length"),
            repeated_post=self.get("comments.repeated_post"),
            times=self.times(),
            path=path,
        )


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"{path.name}: not valid TOML ({exc})") from None
    _check(data, _SCHEMA, path.name, "")
    return data


def load_layouts(folder: Path = LAYOUTS_DIR) -> LayoutSet:
    """Every layout entry in `folder` (one `*.toml` each), merged with `base.toml`."""
    raw = {path.stem: _read(path) for path in sorted(folder.glob("*.toml"))}
    if BASE not in raw:
        raise LayoutError(f"{folder}: {BASE}.toml (the shape every layout starts from) is missing")
    base = raw[BASE]
    for stem, data in raw.items():
        if stem != BASE and "page_hints" in data:
            raise LayoutError(f"{stem}.toml: page_hints belong in {BASE}.toml only")
        if stem != BASE and data.get("name", stem) != stem:
            raise LayoutError(f"{stem}.toml: name {data['name']!r} must be the file's name")

    def resolved(stem: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
        if stem in seen:
            raise LayoutError(f"{stem}.toml: 'extends' loops: {' → '.join((*seen, stem))}")
        data = raw[stem]
        parent_name = data.get("extends")
        if parent_name is None:
            parent = base
        elif parent_name not in raw or parent_name == BASE:
            raise LayoutError(f"{stem}.toml: extends unknown layout {parent_name!r}")
        else:
            parent = resolved(parent_name, (*seen, stem))
        merged = _merge(parent, {k: v for k, v in data.items() if k not in ("abstract", "name")})
        merged["abstract"] = data.get("abstract", False)
        merged["name"] = stem
        return merged

    layouts: dict[str, Layout] = {}
    for stem in raw:
        if stem == BASE:
            continue
        data = resolved(stem)
        if data["abstract"]:
            continue
        layouts[stem] = _Compiler(data, f"{stem}.toml").layout(folder / f"{stem}.toml")
    hints = _Compiler(base, f"{BASE}.toml")
    return LayoutSet(
        layouts=layouts,
        page_hints=hints.patterns("page_hints.patterns"),
        page_hint_min_lines=base["page_hints"]["min_lines"],
    )


@functools.cache
def known_layouts() -> LayoutSet:
    """The layouts shipped with Assay (this folder), loaded once."""
    return load_layouts(LAYOUTS_DIR)

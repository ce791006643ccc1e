"""The figures a French or English sentence states, normalised so that one figure written two
ways compares equal, and the rule that tells two claims apart by their figures.

Sentence embeddings barely see numbers: "nuclear made 65 % of French power in 2023" and the
same sentence with 70 % score higher than a genuine paraphrase. So a pair whose figures differ
is never the same claim, whatever its score. The rule reads:

- digits by language: "3 000" (French thousands space) = "3,000" (English) = 3000; "1,5" (fr)
  = "1.5" (en); a scale word after them ("52.7 billion", "584 milliards", "$650m");
- number words ("seventy-five thousand", "soixante-quinze mille"), fractions as a percentage
  ("two thirds" = 66.7 %, "trois quarts" = 75 %), "one in five" = 20 %, multipliers
  ("double", "tripler" = 2 x, 3 x), half and quarter points;
- units brought to one: % ("pour cent", "percent"), percentage points (basis points / 100),
  W and Wh with their prefixes (1,65 GW = 1 650 MW), years (a decade = 10 years).

Two figures are equal when their units agree (or one has none) and their values are equal; a
fraction in words matches a rounded percentage within 0.6 % ("two thirds" = 67 %, not 65 %).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from claims.similarity.text import plain


class Figure(NamedTuple):
    value: float
    unit: str | None  # "%", "pp", "W", "Wh", "yr", "x" or None


_UNITS_EN = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_UNITS_FR = {
    "zero": 0, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "soixante": 60, "quatrevingt": 80,
}  # fmt: skip
_SMALL = {**_UNITS_EN, **_UNITS_FR}
_HUNDREDS = frozenset({"hundred", "cent", "cents"})
_SCALES = {
    "thousand": 1e3, "mille": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9,
    "billions": 1e9, "milliard": 1e9, "milliards": 1e9, "bn": 1e9, "trillion": 1e12,
    "trillions": 1e12,
}  # fmt: skip
# "one", "un", "une" are also articles and pronouns: a number only inside a run of number words
_ONE = frozenset({"one", "un", "une"})
_NUMBER_WORDS = frozenset(_SMALL) | _HUNDREDS | _ONE | frozenset(_SCALES)

_FRACTIONS = {
    "half": 1 / 2, "halves": 1 / 2, "moitie": 1 / 2, "third": 1 / 3, "thirds": 1 / 3,
    "tiers": 1 / 3, "quarter": 1 / 4, "quarters": 1 / 4, "quart": 1 / 4, "quarts": 1 / 4,
    "fifth": 1 / 5, "fifths": 1 / 5, "cinquieme": 1 / 5, "cinquiemes": 1 / 5, "tenth": 1 / 10,
    "tenths": 1 / 10, "dixieme": 1 / 10, "dixiemes": 1 / 10,
}  # fmt: skip
_MULTIPLIERS = {
    "double": 2, "doubled": 2, "doubles": 2, "doubling": 2, "twice": 2, "doubler": 2,
    "doublement": 2, "triple": 3, "tripled": 3, "triples": 3, "tripler": 3, "threefold": 3,
    "quadruple": 4, "quadrupler": 4, "halve": 0.5, "halved": 0.5,
}  # fmt: skip
_PREFIX = {"": 1.0, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12}
_WORD_PREFIX = {"kilo": 1e3, "mega": 1e6, "giga": 1e9, "tera": 1e12}

_WORD_RUN = re.compile(r"[a-z]+|\d+(?:[.,]\d+)*|\s+|-|.", re.S)
_DIGITS = re.compile(r"(?<![\w.,])(\d{1,3}(?: \d{3})+(?![\d,.]\d)|\d+(?:[.,]\d+)*)")
_SCALE_AFTER = re.compile(
    r"^\s*(thousand|mille|millions?|billions?|milliards?|trillions?|bn)\b|^(m|k)\b"
)
_UNIT_AFTER = re.compile(
    r"^[\s-]*(?:(?:next|last|past|prochaines?|dernieres?) )?(?:"
    r"(?P<pct>%|percent\b|per cent\b|pour ?cent\b)"
    r"|(?P<pp>pp\b|percentage points?\b|points? de pourcentage\b)"
    r"|(?P<bp>basis points?\b|points? de base\b)"
    r"|(?P<energy>[kmgt]?wh)\b"
    r"|(?P<power>[kmgt]?w)\b"
    r"|(?P<energy_word>(?:kilo|mega|giga|tera)watt[- ]?(?:heures?|hours?))\b"
    r"|(?P<power_word>(?:kilo|mega|giga|tera)watts?)\b"
    r"|(?P<years>years?|ans?|annees?)\b"
    r"|(?P<decades>decades?|decennies?)\b"
    r"|(?P<times>x)\b"
    r")"
)


def _number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _run_value(words: Sequence[str]) -> float:
    total = current = 0.0
    for word in words:
        if word in _ONE:
            current += 1
        elif word in _SMALL:
            current += _SMALL[word]
        elif word in _HUNDREDS:
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
    return total + current


def _words_as_digits(text: str) -> str:
    """Runs of number words ("seventy-five thousand", "quatre-vingt-dix") become digits."""
    tokens = _WORD_RUN.findall(text)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] not in _NUMBER_WORDS:
            out.append(tokens[i])
            i += 1
            continue
        run: list[str] = []
        last = i
        j = i
        while j < len(tokens) and tokens[j] in _NUMBER_WORDS:
            run.append(tokens[j])
            last = j
            j += 1
            # words join by spaces, hyphens and "and"/"et" ("vingt et un", "one hundred and ten")
            while j < len(tokens) and (tokens[j].isspace() or tokens[j] == "-"):
                j += 1
            if j < len(tokens) and tokens[j] in ("and", "et"):
                k = j + 1
                while k < len(tokens) and tokens[k].isspace():
                    k += 1
                if k < len(tokens) and tokens[k] in _SMALL:
                    j = k
        lone_article = len(run) == 1 and run[0] in _ONE
        lone_scale = len(run) == 1 and run[0] in _SCALES
        if lone_article or lone_scale:
            out.append(tokens[i])
            i += 1
            continue
        out.append(_number(_run_value(run)))
        i = last + 1
    return "".join(out)


def _fraction_as_percent(match: re.Match[str]) -> str:
    count = match.group(1)
    numerator = float(count.replace(",", ".")) if count and count[0].isdigit() else 1.0
    return f"{_number(numerator * _FRACTIONS[match.group(2)] * 100)} %"


def _ratio_as_percent(match: re.Match[str]) -> str:
    part, whole = int(match.group(1)), int(match.group(2))
    if not 0 < part < whole <= 20:  # "unit 2 in 1979" is no ratio
        return match.group(0)
    return f"{_number(100 * part / whole)} %"


_FRACTION = re.compile(
    r"\b(?:(\d+(?:[.,]\d+)?|a|one|un|une|la|le|les) )?(" + "|".join(_FRACTIONS) + r")\b"
)
_MULTIPLIER = re.compile(r"\b(" + "|".join(_MULTIPLIERS) + r")\b")


def _rewrite(text: str) -> str:
    """The plain text with quantities in words rewritten as digits and units."""
    text = re.sub(r"quatre[- ]vingts?", "quatrevingt", text)
    text = re.sub(r"\b(?:pour ?cent|per ?cent)\b", "%", text)
    text = re.sub(r"\b(?:one|un|une) (?:and a half|et demie?)\b", "1.5", text)
    text = re.sub(r"\b(?:one|un|une) (in|sur|out of) ", r"1 \1 ", text)
    text = re.sub(r"\bdemi[- ]point\b", "0.5 pp", text)
    text = re.sub(r"\bquart de point\b", "0.25 pp", text)
    text = re.sub(r"\b(?:half|a half) (?:of )?a (?:percentage )?point\b", "0.5 pp", text)
    text = re.sub(r"\ba quarter(?: of a)? (?:percentage )?point\b", "0.25 pp", text)
    text = _words_as_digits(text)
    text = re.sub(
        r"(\d+) (?:and a half|et demie?)\b", lambda m: _number(int(m.group(1)) + 0.5), text
    )
    text = _FRACTION.sub(_fraction_as_percent, text)
    text = re.sub(r"\b(\d+) (?:in|out of|sur) (\d+)\b", _ratio_as_percent, text)
    return _MULTIPLIER.sub(lambda m: f"{_number(_MULTIPLIERS[m.group(1)])} x", text)


def _parse_digits(raw: str, language: str) -> float:
    """ "1,300" is 1300 in English and 1.3 in French; "1.300" the other way round."""
    digits = raw.replace(" ", "")
    if "," in digits and "." in digits:  # 1,234.5 (en) or 1.234,5 (fr)
        if digits.rfind(",") > digits.rfind("."):
            return float(digits.replace(".", "").replace(",", "."))
        return float(digits.replace(",", ""))
    for separator in (",", "."):
        if separator not in digits:
            continue
        parts = digits.split(separator)
        grouped = all(len(part) == 3 for part in parts[1:])
        thousands = (separator == "," and language == "en") or (
            separator == "." and language == "fr" and not digits.startswith("0")
        )
        if (grouped and thousands) or len(parts) > 2:
            return float("".join(parts))
        return float(f"{parts[0]}.{parts[1]}")
    return float(digits)


def _unit(rest: str, value: float) -> tuple[float, str | None]:
    match = _UNIT_AFTER.match(rest)
    if match is None:
        return value, None
    kind = match.lastgroup or ""
    word = match.group(kind).strip()
    if kind == "pct":
        return value, "%"
    if kind == "pp":
        return value, "pp"
    if kind == "bp":
        return value / 100, "pp"
    if kind == "energy":
        return value * _PREFIX[word[:-2]], "Wh"
    if kind == "power":
        return value * _PREFIX[word[:-1]], "W"
    if kind in ("energy_word", "power_word"):
        prefix = next(p for p in _WORD_PREFIX if word.startswith(p))
        return value * _WORD_PREFIX[prefix], "Wh" if kind == "energy_word" else "W"
    if kind == "years":
        return value, "yr"
    if kind == "decades":
        return value * 10, "yr"
    return value, "x"


def figures(text: str, language: str) -> tuple[Figure, ...]:
    """Every figure the text states, in the order it states them. `language` ("fr" or "en")
    decides how "1,300" reads."""
    rewritten = _rewrite(plain(text))
    found: list[Figure] = []
    for match in _DIGITS.finditer(rewritten):
        value = _parse_digits(match.group(1), language)
        rest = rewritten[match.end() :]
        scale = _SCALE_AFTER.match(rest)
        if scale is not None:
            word = scale.group(1) or scale.group(2)
            if word in ("m", "k"):
                value *= 1e6 if word == "m" else 1e3
            elif language == "fr" and word.startswith("billion"):
                value *= 1e12  # the French "billion" is a million million
            else:
                value *= _SCALES[word]
            rest = rest[scale.end() :]
        found.append(Figure(*_unit(rest, value)))
    return tuple(found)


def _as_written(value: float) -> bool:
    """A figure as a person writes it (at most two decimals at some scale), not one computed
    from a fraction in words (66.666…)."""
    for scale in (1.0, 1e3, 1e6, 1e9, 1e12):
        scaled = value / scale
        if scale > 1 and scaled < 1:
            break
        if abs(scaled * 100 - round(scaled * 100)) < 1e-6:
            return True
    return False


def same_figure(a: Figure, b: Figure) -> bool:
    if a.unit and b.unit and a.unit != b.unit:
        return False
    if _as_written(a.value) and _as_written(b.value):
        return math.isclose(a.value, b.value, rel_tol=1e-9, abs_tol=1e-9)
    return math.isclose(a.value, b.value, rel_tol=0.006, abs_tol=1e-9)


def figures_conflict(a: Iterable[Figure], b: Iterable[Figure]) -> bool:
    """Whether two texts state different figures: both state some, and each states one the
    other lacks. A figure merely left out on one side (the year, a detail) is no conflict."""
    left, right = list(a), list(b)
    if not left or not right:
        return False
    left_only = any(not any(same_figure(x, y) for y in right) for x in left)
    right_only = any(not any(same_figure(x, y) for x in left) for y in right)
    return left_only and right_only

"""Holding rules: whether a reader's new comment waits for a moderator instead of showing.

Three rules, checked in this order by `comment_hold_reason` (comment_post calls it):

1. the moderators' list of words and patterns (HoldRule, edited in admin);
2. pre-moderation of a new account's first COMMENT_PREMODERATE_FIRST comments (0: off);
3. a link in a new account's first comment (COMMENT_HOLD_FIRST_LINK).

Words match as whole words on a folded copy of the text: lower case (casefold), accents
removed (NFKD, combining marks dropped: "crétin" is "cretin"), look-alike digits and signs read
as letters ("1d10t" is "idiot"), and the letters of a word may be split by spaces, dots,
dashes ("i d i o t", "i.d.i.o.t") or repeated ("idiooot"); invisible characters and Cyrillic
or Greek look-alike letters are dropped or read as Latin ones. A rule never matches inside a
longer word ("connaissance" is not held by "con").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from discussions.models import Comment, HoldRule

# digits and signs people use for letters to dodge a filter
_LOOKALIKES = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
# what may separate the letters of an evaded word: spacing and punctuation, not letters
_SEPARATORS = r"[\s._\-*'’·,:;|/\\~+^\"]+"
# a rule is matched against every new comment: keep rules short and readable
MAX_PATTERN_LENGTH = 200


# Cyrillic and Greek letters that look like Latin ones ("іdiot" with a Cyrillic і)
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    }
)  # fmt: skip


def fold(text: str) -> str:
    """Lower case, without accents, ligatures (œ is oe, ß is ss), invisible characters (zero
    width spaces and joiners, soft hyphens) or Cyrillic and Greek look-alikes; full-width and
    other compatibility forms read as plain letters (NFKD)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    return stripped.replace("œ", "oe").replace("æ", "ae").translate(_HOMOGLYPHS)


def _fold_word(text: str) -> str:
    return fold(text).translate(_LOOKALIKES)


def _word_regex(phrase: str) -> str:
    """A whole word or phrase, each letter possibly repeated; a word may also be written
    with every letter set apart ("i d i o t", "i.d.i.o.t"), but not split in two words at
    random, which would catch innocent neighbours ("con trol" is not "control")."""
    words = re.findall(r"\w+", _fold_word(phrase))
    parts = []
    for word in words:
        letters = [f"{re.escape(letter)}+" for letter in word]
        compact = "".join(letters)
        spaced = _SEPARATORS.join(letters)
        parts.append(f"(?:{compact}|{spaced})" if len(letters) > 1 else compact)
    # between the words of a phrase: at least one non-word character (or the same separators)
    body = r"[\W_]+".join(parts)
    return rf"(?<![^\W_]){body}(?![^\W_])"


@functools.lru_cache(maxsize=1024)
def _compiled(kind: str, text: str) -> re.Pattern[str] | None:
    try:
        if kind == HoldRule.Kind.WORD:
            if not re.search(r"\w", text):
                return None
            return re.compile(_word_regex(text))
        return re.compile(text)
    except re.error:
        return None


def hold_rule_check(*, kind: str, text: str) -> str:
    """The rule's text, cleaned, or ValidationError (the admin form and the service share it)."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Give a word, phrase or pattern.")}, code="empty")
    if len(text) > MAX_PATTERN_LENGTH:
        raise ValidationError(
            {"text": _("At most %(n)d characters.") % {"n": MAX_PATTERN_LENGTH}}, code="too_long"
        )
    if kind == HoldRule.Kind.PATTERN:
        try:
            re.compile(text)
        except re.error as exc:
            raise ValidationError(
                {"text": _("This is not a valid regular expression: %(error)s") % {"error": exc}},
                code="bad_pattern",
            ) from None
    elif not re.search(r"\w", text):
        raise ValidationError({"text": _("A word needs letters or digits.")}, code="no_letters")
    return text


def rule_matches(rule: HoldRule, text: str) -> bool:
    pattern = _compiled(rule.kind, rule.text)
    if pattern is None:
        return False
    folded = fold(text)
    if pattern.search(folded) is not None:
        return True
    # once more with look-alikes read as letters ("1d10t"); not the only pass, since that
    # reading turns "idiot!" into "idioti"
    return rule.kind == HoldRule.Kind.WORD and pattern.search(_fold_word(text)) is not None


def matching_rule(text: str, *, language: str) -> HoldRule | None:
    """The first active rule (in the rule list's order) the text matches, for an article in
    `language`. One query for the rules, whatever the comment."""
    rules = HoldRule.objects.filter(Q(language="") | Q(language=language), active=True)
    for rule in rules:
        if rule_matches(rule, text):
            return rule
    return None


_LINK = re.compile(r"https?://|www\.|\]\(", re.IGNORECASE)


def has_link(text: str) -> bool:
    return _LINK.search(text) is not None


@dataclass(frozen=True)
class Hold:
    reason: str
    rule: HoldRule | None = None


def comment_hold_reason(*, author_id: int, body: str, language: str) -> Hold | None:
    """Why a reader's new comment must wait for a moderator, or None to publish it."""
    rule = matching_rule(body, language=language)
    if rule is not None:
        return Hold(reason=_("Holding rule: “%(text)s”") % {"text": rule.text}, rule=rule)
    first = settings.COMMENT_PREMODERATE_FIRST
    check_links = settings.COMMENT_HOLD_FIRST_LINK and has_link(body)
    if not first and not check_links:
        return None
    # comments of theirs a moderator let through or that showed at once; held, removed and
    # deleted ones do not make an account trusted
    published = Comment.objects.filter(author_id=author_id, status=Comment.Status.VISIBLE).count()
    if first and published < first:
        return Hold(reason=_("New account: its first %(n)d comments are reviewed") % {"n": first})
    if check_links and published == 0:
        return Hold(reason=_("Link in a new account's first comment"))
    return None


def hold_rule_save(*, rule: HoldRule, by: object | None) -> HoldRule:
    """Store a moderator's new or changed rule, its text checked (the one door: admin)."""
    from django.contrib.auth.models import User
    from django.db import IntegrityError, transaction

    rule.text = hold_rule_check(kind=rule.kind, text=rule.text)
    if rule.pk is None and isinstance(by, User):
        rule.created_by = by
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        raise ValidationError({"text": _("This rule exists already.")}, code="duplicate") from None
    return rule

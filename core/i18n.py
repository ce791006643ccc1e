"""Editorial text in the reader's language, and writing it in each language.

Models list their translated fields in their app's translation.py (django-modeltranslation
adds one column per language: `statement_en`, `statement_fr`). Reading `claim.statement`
gives the active language or silently the other; pages need to know which they got, to say
so, and services must not write whichever language happens to be active. These helpers read
and write the language columns by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname
from taggit.models import Tag

# a plain string is text in the default language; a mapping gives it per language
Texts = str | Mapping[str, str]


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def default_language() -> str:
    return str(settings.MODELTRANSLATION_DEFAULT_LANGUAGE)


def reader_language(language: str | None = None) -> str:
    """The language asked for if we have it, else the active one, else the default."""
    for candidate in (language, get_language()):
        if candidate:
            code = candidate.split("-")[0].lower()
            if code in languages():
                return code
    return default_language()


@dataclass(frozen=True)
class Localized:
    """A text and the language it is in; `fallback` when that is not the reader's language
    (there is no version in theirs yet)."""

    text: str
    language: str
    fallback: bool

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def localized(obj: Any, field: str, language: str | None = None) -> Localized:
    """`obj.<field>` in the reader's language, else in the first other language that has it."""
    wanted = reader_language(language)
    order = [wanted, *(code for code in languages() if code != wanted)]
    for code in order:
        text = getattr(obj, build_localized_fieldname(field, code), None) or ""
        if text.strip():
            return Localized(text, code, code != wanted)
    return Localized("", wanted, False)


def translations(obj: Any, field: str) -> dict[str, str]:
    """Every language's text of `obj.<field>` ("" where there is none)."""
    return {
        code: getattr(obj, build_localized_fieldname(field, code), None) or ""
        for code in languages()
    }


def texts_by_language(value: Texts) -> dict[str, str]:
    """A service's text argument as {language: text}; unknown languages are refused."""
    if isinstance(value, str):
        return {default_language(): value}
    unknown = set(value) - set(languages())
    if unknown:
        raise ValueError(f"unknown language(s): {', '.join(sorted(unknown))}")
    return dict(value)


def texts_set(obj: Any, field: str, value: Texts) -> list[str]:
    """Write the given languages of `obj.<field>` (stripped) on the instance, not saving it;
    returns the names of the columns that changed, for save(update_fields=...)."""
    changed: list[str] = []
    for code, text in texts_by_language(value).items():
        column = build_localized_fieldname(field, code)
        text = (text or "").strip()
        if (getattr(obj, column, None) or "") != text:
            setattr(obj, column, text)
            changed.append(column)
    return changed


def columns(field: str) -> list[str]:
    """The language columns of a translated field: statement -> [statement_en, statement_fr]."""
    return [build_localized_fieldname(field, code) for code in languages()]


def tags_of(obj: Model) -> list[Tag]:
    """One object's tags with their readers' labels, by name: one query (as many as
    prefetching its tags alone)."""
    meta = obj._meta
    return list(
        Tag.objects.filter(
            taggit_taggeditem_items__content_type__app_label=meta.app_label,
            taggit_taggeditem_items__content_type__model=meta.model_name,
            taggit_taggeditem_items__object_id=obj.pk,
        )
        .select_related("label")
        .order_by("name")
    )


# Add to every prefetch of tags that a page shows, next to "tags": their readers' labels in one
# query for all of them (taggit's prefetch takes no custom queryset to join them in).
TAG_LABELS = "tags__label"


def tag_label(tag: Tag, language: str | None = None) -> Localized:
    """A tag as readers read it: its label in their language, else in the other, else its
    name (written in the default language). Never queries: a label not prefetched
    (TAG_LABELS) or joined in (select_related("label")) counts as none."""
    label = tag._state.fields_cache.get("label")
    if label is not None:
        found = localized(label, "text", language)
        if found:
            return found
    wanted = reader_language(language)
    return Localized(tag.name, default_language(), wanted != default_language())

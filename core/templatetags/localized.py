"""Editorial text in the reader's language, marked when it is in the other one.

{% load localized %}
{% localized claim "statement" as statement %}   a Localized (text, language, fallback)
{% localized_text claim "statement" %}           the text in a <span lang>, with a note
                                                 when it is in the other language
{{ tag|tag_label }}                              a tag's label, marked the same way
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from taggit.models import Tag

from core.i18n import Localized, localized, tag_label

register = template.Library()


@register.simple_tag(name="localized")
def localized_tag(obj: Any, field: str) -> Localized:
    return localized(obj, field)


def marked(text: Localized) -> SafeString:
    """The text with its language; in the other language it says so, in words and not by
    style alone."""
    if not text.fallback:
        return format_html('<span lang="{}">{}</span>', text.language, text.text)
    name = get_language_info(text.language)["name_translated"]
    return format_html(
        '<span lang="{}" class="fallback">{}</span> <span class="fallback-note">({})</span>',
        text.language,
        text.text,
        _("in %(language)s: not translated yet") % {"language": name},
    )


@register.simple_tag
def localized_text(obj: Any, field: str) -> SafeString:
    return marked(localized(obj, field))


@register.filter
def tag_text(tag: Tag) -> str:
    """A tag's label as plain text (for attributes)."""
    return tag_label(tag).text


@register.filter(name="tag_label")
def tag_label_filter(tag: Tag) -> SafeString:
    label = tag_label(tag)
    if not label.fallback:
        return format_html("{}", label.text)
    return format_html('<span lang="{}">{}</span>', label.language, label.text)

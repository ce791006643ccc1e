from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.i18n import Localized
from core.templatetags.localized import marked
from reading.highlighting import verdict_icon

register = template.Library()


@register.filter
def data_value(value: float | None) -> str:
    """A series value as the reader's locale writes it, to at most two decimals and without
    trailing zeros (65 %, 62.5 %, 1,234.57 TWh in English; 62,5 in French)."""
    if value is None:
        return ""
    rounded = round(float(value), 2)
    if rounded.is_integer():
        return number_format(int(rounded), force_grouping=True)
    return number_format(rounded, force_grouping=True)


@register.filter(name="verdict_icon")
def verdict_icon_filter(verdict: str) -> str:
    return verdict_icon(verdict or "")


# What may not appear raw inside a <script> element (as Django's json_script escapes it).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data: dict[str, Any]) -> SafeString:
    """A JSON-LD data block. The browser never runs it (its type is not JavaScript), so the
    CSP's script-src 'self' stays as it is; < > & are escaped so no text can close it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 - escaped above


@register.filter(name="marked")
def marked_filter(text: Localized) -> SafeString:
    """A Localized text in its <span lang>, with a note when it is in the other language."""
    return marked(text)

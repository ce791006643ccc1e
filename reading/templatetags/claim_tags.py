from __future__ import annotations

from django import template
from django.utils.formats import number_format

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

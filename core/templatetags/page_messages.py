from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from core.anchored_messages import unanchored

register = template.Library()


@register.filter(name="unanchored")
def unanchored_filter(messages_: Iterable[Any]) -> list[Any]:
    """The messages for the top of the page: not those shown next to an item (anchored)."""
    return unanchored(messages_)

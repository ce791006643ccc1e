"""Messages shown where the reader acted, not at the top of the page.

After an action on one item of a long page (flagging a comment), the redirect lands on the
item's anchor and the browser scrolls there: a message at the top of the page would be off
screen. Such a message is "anchored" to the item's id; base.html leaves it out of the top
list and the page shows it next to the item (discussions.thread_html for comments)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

ANCHORED = "anchored"
_PREFIX = "anchor-"


def message_anchored(request: HttpRequest, level: int, text: str, *, anchor: str) -> None:
    """Add a message to be shown next to the element with id `anchor`."""
    messages.add_message(request, level, text, extra_tags=f"{ANCHORED} {_PREFIX}{anchor}")


def is_anchored(message: Any) -> bool:
    return ANCHORED in (getattr(message, "extra_tags", "") or "").split()


def messages_anchored(request: HttpRequest) -> dict[str, list[str]]:
    """{anchor: [texts]} of this request's anchored messages (reading them marks them shown)."""
    found: dict[str, list[str]] = {}
    for message in messages.get_messages(request):
        tags = (message.extra_tags or "").split()
        if ANCHORED not in tags:
            continue
        for tag in tags:
            if tag.startswith(_PREFIX):
                found.setdefault(tag.removeprefix(_PREFIX), []).append(str(message.message))
    return found


def unanchored(messages_: Iterable[Any]) -> list[Any]:
    return [message for message in messages_ if not is_anchored(message)]

"""The header's bell (the number of unread notifications) and the follow button of the page
(a view sets `request.follow_target`, e.g. "claim:12"): one query when a page shows them, none
for anonymous visitors."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.selectors import bell_state


def bell(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "bell": SimpleLazyObject(
            lambda: bell_state(user=user, target=getattr(request, "follow_target", None))
        )
    }

"""Reads of notifications shared by the page, the bell and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from notifications.models import DEFAULT_CHANNELS, Follow, Kind, Notification, Preference

if TYPE_CHECKING:
    from core.roles import AnyUser


def notifications_for(*, user: AnyUser) -> QuerySet[Notification]:
    """A user's own notifications, newest first, with who caused them (one query a page)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk).select_related("actor")


def unread_count(*, user: AnyUser) -> int:
    """The bell's number: one query."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


@dataclass(frozen=True)
class BellState:
    unread: int
    # whether the reader follows what the page is about (None: the page is about nothing
    # followable)
    following: bool | None


def bell_state(*, user: AnyUser, target: str | None) -> BellState:
    """The header's unread count and the page's follow button in one query."""
    if not user.is_authenticated:
        return BellState(0, None)
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            unread=Coalesce(Subquery(unread), 0),
            following=Exists(Follow.objects.filter(user=OuterRef("pk"), target=target or "")),
        )
        .values("unread", "following")
        .first()
    )
    if row is None:
        return BellState(0, None)
    return BellState(int(row["unread"]), bool(row["following"]) if target else None)


def preferences_for(*, user: AnyUser) -> dict[str, str]:
    """Each kind's mail channel for the user, defaults filled in."""
    if not user.is_authenticated:
        return dict(DEFAULT_CHANNELS)
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: chosen.get(kind, DEFAULT_CHANNELS[kind]) for kind in Kind.values}

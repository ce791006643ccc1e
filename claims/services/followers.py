"""Telling the readers who follow a claim (or its article), or who asked for it to be checked,
what happened to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from claims.models import Claim
from notifications.models import Kind
from notifications.services import followers, notify

if TYPE_CHECKING:
    from core.roles import AnyUser


def claim_followers_notify(
    *, claim: Claim, kind: str, key: str, params: dict[str, object], actor: AnyUser | None = None
) -> None:
    """Tell the readers who follow the claim, or its article (commenting on either follows
    it), that something happened to it."""
    recipients = followers(targets=[f"claim:{claim.pk}", f"article:{claim.article_id}"])
    if recipients:
        notify(
            recipients=recipients,
            kind=kind,
            actor=actor,
            target_url=claim.get_absolute_url(),
            object_key=key,
            params={"claim": str(claim), **params},
        )


def check_requesters_notify(*, claim: Claim, actor: AnyUser | None = None) -> None:
    """Tell the readers who asked "has this been checked?" of a sentence that became this
    claim that it is published, once readers can see it."""
    if not Claim.objects.public().filter(pk=claim.pk).exists():
        return
    recipients = get_user_model().objects.filter(check_requests__request__claim=claim)
    notify(
        recipients=recipients,
        kind=Kind.CHECK_REQUEST,
        actor=actor,
        target_url=claim.get_absolute_url(),
        object_key=f"check-request:{claim.pk}",
        params={"claim": str(claim)},
    )

"""Telling the readers who follow a claim (or its article) what happened to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claims.models import Claim
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

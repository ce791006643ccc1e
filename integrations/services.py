"""Writes on integrations: API tokens, webhook subscriptions, series refresh jobs."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import user_can_write
from core.tasks import enqueue_on_commit
from integrations.models import (
    ApiToken,
    Scope,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
    token_hash,
)
from integrations.outbound import OutboundURLError, check_outbound_url

if TYPE_CHECKING:
    from django.contrib.auth.models import User

TOKEN_PREFIX = "assay_"  # noqa: S105 - a public marker that makes leaked tokens greppable


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def grantable_scopes(user: User | AnonymousUser) -> set[str]:
    """Scopes a user may put on a token: read, plus each write they are allowed to do."""
    granted = {Scope.READ.value}
    for scope in Scope:
        if scope == Scope.READ:
            continue
        if user_can_write(user, scope.value):
            granted.add(scope.value)
    return granted


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    cleaned = sorted(set(scopes))
    unknown = [s for s in cleaned if s not in Scope.values]
    if unknown:
        raise ValidationError(
            {"scopes": _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)}},
            code="unknown_scope",
        )
    if not cleaned:
        raise ValidationError({"scopes": _("Choose at least one scope.")}, code="no_scope")
    return cleaned


def token_create(
    *,
    user: User,
    name: str,
    scopes: Iterable[str],
    expires_at: dt.datetime | None = None,
    parent: ApiToken | None = None,
) -> IssuedToken:
    """Issue a token; the secret is returned once and only its sha256 is stored.

    `parent`, the token a request to create this one was made with, bounds it, so a token can
    never mint a more powerful or longer-lived one: the child's scopes are within the
    parent's, it expires no later (without an expiry of its own it takes the parent's), and it
    is revoked with the parent.
    """
    chosen = _clean_scopes(scopes)
    allowed = grantable_scopes(user)
    if parent is not None:
        allowed &= set(parent.scopes)
        if parent.expires_at is not None:
            if expires_at is None:
                expires_at = parent.expires_at
            elif expires_at > parent.expires_at:
                raise ValidationError(
                    {
                        "expires_at": _(
                            "The expiry cannot be later than that of the token used to "
                            "create it (%(limit)s)."
                        )
                        % {"limit": parent.expires_at.isoformat()}
                    },
                    code="outlives_parent",
                )
    refused = [s for s in chosen if s not in allowed]
    if refused:
        raise ValidationError(
            {"scopes": _("You may not grant: %(scopes)s.") % {"scopes": ", ".join(refused)}},
            code="scope_not_allowed",
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")}, code="past")
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")}, code="no_name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        key_hash=token_hash(secret),
        scopes=chosen,
        expires_at=expires_at,
        parent=parent,
    )
    return IssuedToken(token=token, secret=secret)


def token_update(
    *, token: ApiToken, name: str | None = None, expires_at: dt.datetime | None = None
) -> ApiToken:
    """Rename a token or change its expiry (its scopes and secret never change)."""
    fields = []
    if name is not None:
        if not name.strip():
            raise ValidationError({"name": _("Give the token a name.")}, code="no_name")
        token.name = name.strip()
        fields.append("name")
    if expires_at != token.expires_at:
        if expires_at is not None and expires_at <= timezone.now():
            raise ValidationError(
                {"expires_at": _("The expiry must be in the future.")}, code="past"
            )
        token.expires_at = expires_at
        fields.append("expires_at")
    if fields:
        token.save(update_fields=fields)
    return token


def webhook_deliveries_redeliver(*, deliveries: Iterable[WebhookDelivery]) -> int:
    """Deliver failed deliveries again from their first attempt; returns how many."""
    ids = [d.pk for d in deliveries if d.status == WebhookDelivery.Status.FAILED]
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk__in=ids).update(
            status=WebhookDelivery.Status.PENDING, attempt_count=0, error=""
        )
        for delivery_id in ids:
            # kept in the outbox if the broker is down, instead of an error page
            enqueue_on_commit("integrations.tasks.deliver_webhook", delivery_id)
    return len(ids)


def tokens_revoke(*, token_ids: Iterable[int]) -> int:
    """Revoke these tokens and every token created with them (down the whole line); revoking
    twice keeps the first revocation time. Returns how many were revoked now."""
    now = timezone.now()
    revoked = 0
    level = set(token_ids)
    seen: set[int] = set()
    while level:
        seen |= level
        revoked += ApiToken.objects.filter(pk__in=level, revoked_at__isnull=True).update(
            revoked_at=now
        )
        level = set(ApiToken.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        level -= seen
    return revoked


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token and the tokens created with it."""
    tokens_revoke(token_ids=[token.pk])
    token.refresh_from_db(fields=["revoked_at"])
    return token


# A line of tokens each created with the one before is never this long in practice; a longer
# one is refused rather than walked.
MAX_TOKEN_LINE = 20


def _line_is_usable(token: ApiToken) -> bool:
    """Every token up the line (the one that created it, and so on) is still usable."""
    parent_id = token.parent_id
    for _step in range(MAX_TOKEN_LINE):
        if parent_id is None:
            return True
        parent = ApiToken.objects.usable().filter(pk=parent_id).values_list("parent_id").first()
        if parent is None:
            return False
        parent_id = parent[0]
    return False


def token_authenticate(*, secret: str) -> ApiToken | None:
    """The active token with this secret, its last use recorded; None when unknown, expired,
    revoked, or created with a token that no longer is usable."""
    token = (
        ApiToken.objects.usable().select_related("user").filter(key_hash=token_hash(secret)).first()
    )
    if token is None or not token.user.is_active or not _line_is_usable(token):
        return None
    now = timezone.now()
    # Recording every request would write on every read; a minute's precision is enough.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _clean_events(events: Iterable[str]) -> list[str]:
    cleaned = sorted(set(events))
    unknown = [e for e in cleaned if e not in WebhookEvent.values]
    if unknown:
        raise ValidationError(
            {"events": _("Unknown event: %(events)s.") % {"events": ", ".join(unknown)}},
            code="unknown_event",
        )
    if not cleaned:
        raise ValidationError({"events": _("Choose at least one event.")}, code="no_event")
    return cleaned


def _clean_target(url: str) -> str:
    try:
        check_outbound_url(url)
    except OutboundURLError as exc:
        raise ValidationError({"target_url": str(exc)}, code="target_refused") from None
    return url


def webhook_subscription_create(
    *,
    owner: User,
    target_url: str,
    events: Iterable[str],
    description: str = "",
) -> WebhookSubscription:
    return WebhookSubscription.objects.create(
        owner=owner,
        target_url=_clean_target(target_url),
        events=_clean_events(events),
        description=description,
        secret=secrets.token_urlsafe(32),
    )


def webhook_subscription_update(
    *,
    subscription: WebhookSubscription,
    target_url: str | None = None,
    events: Iterable[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> WebhookSubscription:
    fields = ["updated_at"]
    if target_url is not None:
        subscription.target_url = _clean_target(target_url)
        fields.append("target_url")
    if events is not None:
        subscription.events = _clean_events(events)
        fields.append("events")
    if description is not None:
        subscription.description = description
        fields.append("description")
    if is_active is not None:
        subscription.is_active = is_active
        fields.append("is_active")
    subscription.save(update_fields=fields)
    return subscription

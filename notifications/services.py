"""Writes on notifications: creating them (and queueing their e-mail), reading them, following
things, mail preferences and the mails themselves (at once, or in a digest)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.roles import signed_in
from core.tasks import enqueue_on_commit
from notifications.models import (
    DEFAULT_CHANNELS,
    Channel,
    Follow,
    Kind,
    Mailbox,
    Notification,
    Preference,
)
from notifications.texts import notification_text

if TYPE_CHECKING:
    from core.roles import AnyUser

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "assay.notifications.unsubscribe"
ALL_KINDS = "all"


def channel_for(user: User, kind: str) -> str:
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("channel", flat=True)
    return next(iter(chosen), DEFAULT_CHANNELS.get(kind, Channel.DIGEST))


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    target_url: str,
    object_key: str,
    actor: AnyUser | None = None,
    params: dict[str, Any] | None = None,
) -> list[Notification]:
    """Tell each recipient that `kind` happened. Never the actor themselves (nobody hears of
    their own actions), never an inactive account, never twice for the same object. E-mails
    follow each reader's preference for the kind, queued once the transaction commits."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    actor_pk = actor.pk if actor is not None and actor.is_authenticated else None
    created: list[Notification] = []
    seen: set[int] = set()
    with transaction.atomic():
        for user in recipients:
            if user.pk in seen or user.pk == actor_pk or not user.is_active:
                continue
            seen.add(user.pk)
            channel = channel_for(user, kind)
            mail = {
                Channel.IMMEDIATE: Notification.Mail.PENDING,
                Channel.DIGEST: Notification.Mail.DIGEST,
            }.get(Channel(channel), Notification.Mail.NONE)
            if not user.email:
                mail = Notification.Mail.NONE
            try:
                with transaction.atomic():
                    notification = Notification.objects.create(
                        recipient=user,
                        kind=kind,
                        actor_id=actor_pk,
                        params=params or {},
                        target_url=target_url[:500],
                        object_key=object_key[:100],
                        mail=mail,
                    )
            except IntegrityError:
                continue  # already told: the same event reached this point twice
            created.append(notification)
            if mail == Notification.Mail.PENDING:
                enqueue_on_commit("notifications.mail_pending", user.pk)
    return created


def followers(*, targets: Sequence[str]) -> list[User]:
    """The active accounts following any of `targets`."""
    return list(User.objects.filter(follows__target__in=list(targets), is_active=True).distinct())


def follow(*, user: AnyUser, target: str) -> bool:
    """Follow `target` ("claim:12", "article:3"); returns whether it is a new follow."""
    account = signed_in(user)
    _check_target(target)
    _follow, created = Follow.objects.get_or_create(user=account, target=target)
    return created


def unfollow(*, user: AnyUser, target: str) -> bool:
    deleted, _detail = Follow.objects.filter(user=signed_in(user), target=target).delete()
    return bool(deleted)


def _check_target(target: str) -> None:
    kind, _sep, pk = target.partition(":")
    if kind not in ("claim", "article") or not pk.isdigit() or len(pk) > 18:
        raise ValidationError(_("Only a claim or an article can be followed."), code="target")


def notifications_mark_read(*, user: AnyUser, ids: Sequence[int] | None = None) -> int:
    """Mark some of the user's notifications read (all their unread ones without `ids`)."""
    unread = Notification.objects.filter(recipient=signed_in(user), read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def preference_set(*, user: AnyUser, kind: str, channel: str) -> None:
    """How one kind (or every kind, with "all") is mailed to the user."""
    account = signed_in(user)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Unknown choice.")}, code="channel")
    kinds = Kind.values if kind == ALL_KINDS else [kind]
    if any(k not in Kind.values for k in kinds):
        raise ValidationError({"kind": _("Unknown kind of notification.")}, code="kind")
    with transaction.atomic():
        for k in kinds:
            Preference.objects.update_or_create(user=account, kind=k, defaults={"channel": channel})
        if channel == Channel.NEVER:
            # what was waiting to be mailed stays on the site only
            Notification.objects.filter(
                recipient=account,
                kind__in=kinds,
                mail__in=[Notification.Mail.PENDING, Notification.Mail.DIGEST],
            ).update(mail=Notification.Mail.NONE)


def mailbox_language(*, user: AnyUser, language: str) -> None:
    """Remember the language the reader uses on the site: their mails are written in it."""
    if not isinstance(user, User) or language not in dict(settings.LANGUAGES):
        return
    Mailbox.objects.update_or_create(user=user, defaults={"language": language})


def unsubscribe_token(*, user: User, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user: User, kind: str) -> str:
    token = unsubscribe_token(user=user, kind=kind)
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[token])


def unsubscribe_read(token: str) -> tuple[User, str]:
    """Whose and which mails a link is about; ValidationError for a forged or unknown one.
    The links do not expire: an old mail's link must still work."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=int(data["u"]))
        kind = str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist):
        raise ValidationError(_("This unsubscribe link is not valid."), code="token") from None
    if kind != ALL_KINDS and kind not in Kind.values:
        raise ValidationError(_("This unsubscribe link is not valid."), code="token")
    return user, kind


def unsubscribe(*, token: str) -> tuple[User, str]:
    """One click, no login: stop mailing that kind (or everything) to the link's owner."""
    user, kind = unsubscribe_read(token)
    preference_set(user=user, kind=kind, channel=Channel.NEVER)
    return user, kind


def _language_of(user: User) -> str:
    box = Mailbox.objects.filter(user=user).values_list("language", flat=True).first()
    return box or settings.LANGUAGE_CODE


def _send(user: User, notifications: list[Notification], *, digest: bool) -> None:
    """One mail for these notifications, in the user's language, with unsubscribe links and
    the List-Unsubscribe headers mail clients offer as a button."""
    kinds = {n.kind for n in notifications}
    scope = next(iter(kinds)) if len(kinds) == 1 else ALL_KINDS
    unsubscribe_link = unsubscribe_url(user=user, kind=scope)
    with translation.override(_language_of(user)):
        lines = [
            f"- {notification_text(n)}\n  {settings.SITE_URL}{n.target_url}" for n in notifications
        ]
        if digest:
            subject = _("Assay: what happened since your last digest")
        elif len(notifications) == 1:
            subject = "Assay: " + notification_text(notifications[0])
        else:
            subject = _("Assay: %(n)d new notifications") % {"n": len(notifications)}
        body = "\n".join(
            [
                _("Hello %(name)s,") % {"name": user.get_username()},
                "",
                *lines,
                "",
                _("All your notifications: %(url)s")
                % {"url": settings.SITE_URL + reverse("notifications:list")},
                _("Choose what we mail you: %(url)s")
                % {"url": settings.SITE_URL + reverse("notifications:settings")},
                _("Stop these e-mails with one click: %(url)s") % {"url": unsubscribe_link},
            ]
        )
    message = EmailMultiAlternatives(
        subject=subject[:200],
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


def mail_pending(*, user_id: int, now: dt.datetime | None = None) -> int:
    """Mail a reader what they want to hear of at once, in one mail. A burst (a mail already
    went out in the last NOTIFICATION_BURST_MINUTES) waits for the digest instead: fifty
    replies in a row make one mail and one digest, not fifty mails. Returns how many were
    mailed."""
    now = now or timezone.now()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    window = dt.timedelta(minutes=settings.NOTIFICATION_BURST_MINUTES)
    with transaction.atomic():
        box, _created = Mailbox.objects.select_for_update().get_or_create(user=user)
        pending = list(
            Notification.objects.select_for_update()
            .filter(recipient=user, mail=Notification.Mail.PENDING)
            .order_by("created_at", "id")
        )
        if not pending:
            return 0
        if box.last_immediate_at is not None and now - box.last_immediate_at < window:
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
                mail=Notification.Mail.DIGEST
            )
            return 0
        _send(user, pending, digest=False)
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            mail=Notification.Mail.SENT, mailed_at=now
        )
        box.last_immediate_at = now
        box.save(update_fields=["last_immediate_at"])
    return len(pending)


def digests_send(*, now: dt.datetime | None = None) -> int:
    """The daily digest: one mail per reader with what waits for it. Returns how many mails."""
    now = now or timezone.now()
    sent = 0
    waiting = (
        Notification.objects.filter(mail=Notification.Mail.DIGEST, recipient__is_active=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for user_id in list(waiting):
        with transaction.atomic():
            notifications = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(recipient_id=user_id, mail=Notification.Mail.DIGEST)
                .select_related("recipient")
                .order_by("created_at", "id")
            )
            if not notifications:
                continue
            _send(notifications[0].recipient, notifications, digest=True)
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                mail=Notification.Mail.SENT, mailed_at=now
            )
            sent += 1
    return sent

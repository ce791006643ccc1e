"""Moderators' sanctions on accounts: suspend until a date, ban, lift.

A sanctioned account still reads everything and keeps its data: its new comments are refused
with a message saying why and until when (comment_post and comment_edit ask
`account_posting_refusal`; the pages show it in place of their forms), its held comments stay
held, its public ones stay until a moderator removes them. The account is notified of a
sanction (reason and end) and of its lifting. The AccountSanction rows are the log (who, when,
why, lifted by whom); none is ever deleted. A suspension ends by itself at its date: nothing
needs to run (nor is anyone told).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.roles import user_is_moderator
from discussions.models import AccountSanction
from notifications.models import Kind as NotificationKind
from notifications.services import notify

if TYPE_CHECKING:
    from core.roles import AnyUser

Kind = AccountSanction.Kind


def _require_moderator(moderator: AnyUser) -> User:
    if not isinstance(moderator, User) or not user_is_moderator(moderator):
        raise PermissionDenied(_("Only moderators can sanction an account."))
    return moderator


def sanctions_in_force(*, now: dt.datetime | None = None) -> QuerySet[AccountSanction]:
    now = now or timezone.now()
    return AccountSanction.objects.filter(lifted_at__isnull=True).filter(
        Q(kind=Kind.BAN) | Q(kind=Kind.SUSPEND, ends_at__gt=now)
    )


def account_sanction_in_force(
    *, user_id: int, now: dt.datetime | None = None
) -> AccountSanction | None:
    """The sanction that stops the account posting now: a ban before any suspension, else the
    suspension that ends last."""
    return (
        sanctions_in_force(now=now)
        .filter(user_id=user_id)
        .order_by("kind", "-ends_at", "-id")  # "ban" sorts before "suspend"
        .first()
    )


def account_posting_sanction(*, user: AnyUser | None) -> AccountSanction | None:
    """The sanction that stops a signed-in reader posting now, for the pages to say so in
    place of their comment forms; None (and no query) for an anonymous visitor."""
    if user is None or not user.is_authenticated:
        return None
    return account_sanction_in_force(user_id=user.pk)


def account_posting_refusal(*, user_id: int) -> str | None:
    """What to tell a sanctioned author who tries to post, or None when they may post."""
    sanction = account_sanction_in_force(user_id=user_id)
    if sanction is None:
        return None
    if sanction.kind == Kind.BAN:
        return _(
            "Your account is banned from the discussion (%(reason)s). You can still read "
            "everything."
        ) % {"reason": sanction.reason}
    assert sanction.ends_at is not None
    until = formats.date_format(timezone.localtime(sanction.ends_at), "DATETIME_FORMAT")
    return _(
        "Your account is suspended until %(until)s (%(reason)s). You can still read "
        "everything meanwhile."
    ) % {"until": until, "reason": sanction.reason}


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason; the account is told.")}, code="reason")
    return reason


def account_sanction_check(
    *, user: User, kind: str, reason: str, ends_at: dt.datetime | None
) -> tuple[str, dt.datetime | None]:
    """The reason and end of a new sanction, checked (the admin form and the services share
    it), or ValidationError."""
    reason = _clean_reason(reason)
    if kind == Kind.SUSPEND:
        if ends_at is None:
            raise ValidationError({"ends_at": _("A suspension needs an end.")}, code="no_end")
        if timezone.is_naive(ends_at):
            ends_at = timezone.make_aware(ends_at)
        if ends_at <= timezone.now():
            raise ValidationError({"ends_at": _("A suspension ends in the future.")}, code="past")
    elif kind == Kind.BAN:
        ends_at = None
    else:
        raise ValidationError({"kind": _("Unknown sanction.")}, code="kind")
    if user_is_moderator(user):
        raise ValidationError(
            _("Moderators and editors cannot be sanctioned here; change their groups first."),
            code="moderator",
        )
    return reason, ends_at


def _sanction(
    *, user: User, moderator: AnyUser, kind: str, reason: str, ends_at: dt.datetime | None
) -> AccountSanction:
    by = _require_moderator(moderator)
    reason, ends_at = account_sanction_check(user=user, kind=kind, reason=reason, ends_at=ends_at)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot sanction your own account."), code="self")
    with transaction.atomic():
        sanction = AccountSanction.objects.create(
            user=user, kind=kind, ends_at=ends_at, reason=reason, moderator=by
        )
        _tell_account(
            user,
            object_key=f"sanction:{sanction.pk}",
            params={
                "sanction": kind,
                "reason": reason,
                "until": ends_at.isoformat() if ends_at is not None else "",
            },
        )
    return sanction


def _tell_account(user: User, *, object_key: str, params: dict[str, str]) -> None:
    """The account hears of its sanction, or of its lifting, in words rendered in its own
    language (notifications.texts). The moderator is not named to it (nor in the API's
    `actor`): an appeal goes to the moderators, not to one of them."""
    notify(
        recipients=[user],
        kind=NotificationKind.SANCTION,
        actor=None,
        # the notifications page shows the whole sentence, reason included
        target_url=reverse("notifications:list"),
        object_key=object_key,
        params=params,
    )


def account_suspend(
    *, user: User, moderator: AnyUser, until: dt.datetime, reason: str
) -> AccountSanction:
    """Stop the account posting until `until` (a moment in the future)."""
    return _sanction(
        user=user, moderator=moderator, kind=Kind.SUSPEND, reason=reason, ends_at=until
    )


def account_ban(*, user: User, moderator: AnyUser, reason: str) -> AccountSanction:
    """Stop the account posting until a moderator lifts the ban. Nothing is deleted."""
    return _sanction(user=user, moderator=moderator, kind=Kind.BAN, reason=reason, ends_at=None)


def account_sanctions_lift(*, user: User, moderator: AnyUser, reason: str) -> int:
    """Lift every sanction in force on the account, recording who and why. Returns how many."""
    by = _require_moderator(moderator)
    reason = _clean_reason(reason)
    now = timezone.now()
    with transaction.atomic():
        in_force = sanctions_in_force(now=now).filter(user=user)
        kinds = dict(in_force.values_list("pk", "kind"))
        lifted = in_force.filter(pk__in=list(kinds)).update(
            lifted_at=now, lifted_by=by, lift_reason=reason
        )
        if lifted:
            # the lift reason is written for the log, not for the account: it is not sent
            _tell_account(
                user,
                # two moderators lifting at once tell the account once
                object_key=f"sanction-lifted:{max(kinds)}",
                params={
                    "sanction": "lifted",
                    "lifted": Kind.BAN if Kind.BAN in kinds.values() else Kind.SUSPEND,
                },
            )
        return lifted

"""The words of a notification, rendered when it is shown or mailed, in the reader's language,
from its kind and the parts the app that caused it recorded (`params`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from notifications.models import Kind, Notification


def _p(notification: Notification, name: str) -> str:
    """A part of the sentence; one recorded in several languages ({"fr": …, "en": …}) reads
    in the reader's, else in the first one given."""
    value: Any = notification.params.get(name, "")
    if isinstance(value, dict):
        return str(value.get(get_language() or "", next(iter(value.values()), "")))
    return str(value)


def _one_line(notification: Notification, name: str) -> str:
    """A part a person typed (a moderator's reason) on one line: the text is a mail's subject,
    and a header with a line break is refused."""
    return " ".join(_p(notification, name).split())


def _moment(notification: Notification, name: str) -> str:
    """A recorded moment (ISO 8601) as the reader's language writes it, in the site's zone."""
    raw = _p(notification, name)
    moment = parse_datetime(raw) if raw else None
    if moment is None:
        return raw
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _verdict_label(key: str) -> str:
    for scale_key, label, _rating in settings.VERDICT_SCALE:
        if scale_key == key:
            return str(label)
    return key


def notification_text(notification: Notification) -> str:
    """One sentence saying what happened (plain text: templates escape it)."""
    actor = _p(notification, "actor") or _("Someone")
    title = _p(notification, "title")
    claim = _p(notification, "claim")
    kind = notification.kind
    if kind == Kind.REPLY:
        return _("%(actor)s replied to your comment on “%(title)s”.") % {
            "actor": actor,
            "title": title,
        }
    if kind == Kind.MENTION:
        return _("%(actor)s mentioned you in a comment on “%(title)s”.") % {
            "actor": actor,
            "title": title,
        }
    if kind == Kind.VERDICT:
        verdict = _verdict_label(_p(notification, "verdict"))
        if notification.params.get("changed"):
            return _("The verdict on “%(claim)s” changed: %(verdict)s.") % {
                "claim": claim,
                "verdict": verdict,
            }
        return _("“%(claim)s” has a published verdict: %(verdict)s.") % {
            "claim": claim,
            "verdict": verdict,
        }
    if kind == Kind.DATA_CHECK:
        if notification.params.get("holds"):
            return _("A data check on “%(claim)s” holds again with the new data.") % {
                "claim": claim
            }
        return _("A data check on “%(claim)s” no longer holds with the new data.") % {
            "claim": claim
        }
    if kind == Kind.FLAG_OUTCOME:
        outcome = _p(notification, "outcome")
        if outcome in ("hidden", "removed"):
            return _("A comment you flagged on “%(title)s” was taken down.") % {"title": title}
        return _("Moderators looked at a comment you flagged on “%(title)s” and kept it.") % {
            "title": title
        }
    if kind == Kind.CHECK_REQUEST:
        return _("A claim you asked us to check is published: “%(claim)s”.") % {"claim": claim}
    if kind == Kind.MODERATION:
        if notification.params.get("restored"):
            return _(
                "Your comment “%(excerpt)s” on “%(title)s” was restored and is shown again."
            ) % {
                "title": title,
                "excerpt": _one_line(notification, "excerpt"),
            }
        if notification.params.get("evidence"):
            return _("Your comment on “%(title)s” is now evidence on a claim.") % {"title": title}
        return _("Your comment on “%(title)s” was approved and is now shown.") % {"title": title}
    if kind == Kind.COMMENT_REJECTED:
        parts = {"title": title, "excerpt": _one_line(notification, "excerpt")}
        reason = _one_line(notification, "reason")
        if notification.params.get("shown"):
            return _(
                "Your comment “%(excerpt)s” on “%(title)s” was taken down by the moderators: "
                "%(reason)s"
            ) % {**parts, "reason": reason}  # taking down always needs a reason
        if reason:
            return _("Your comment “%(excerpt)s” on “%(title)s” was not published: %(reason)s") % {
                **parts,
                "reason": reason,
            }
        return _("Your comment “%(excerpt)s” on “%(title)s” was not published.") % parts
    if kind == Kind.SANCTION:
        return _sanction_text(notification)
    return title or claim or kind


def _sanction_text(notification: Notification) -> str:
    """A suspension or ban (with the reason and a suspension's end), or its lifting; the same
    words as the refusal a sanctioned author gets when posting."""
    sanction = _p(notification, "sanction")
    reason = _one_line(notification, "reason")
    if sanction == "ban":
        return _(
            "Your account is banned from the discussion (%(reason)s). You can still read "
            "everything."
        ) % {"reason": reason}
    if sanction == "suspend":
        return _(
            "Your account is suspended until %(until)s (%(reason)s). You can still read "
            "everything meanwhile."
        ) % {"until": _moment(notification, "until"), "reason": reason}
    if _p(notification, "lifted") == "ban":
        return _("The ban on your account was lifted: you can comment again.")
    return _("Your suspension was lifted early: you can comment again.")

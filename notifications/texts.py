"""The words of a notification, rendered when it is shown or mailed, in the reader's language,
from its kind and the parts the app that caused it recorded (`params`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
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
        if notification.params.get("evidence"):
            return _("Your comment on “%(title)s” is now evidence on a claim.") % {"title": title}
        return _("Your comment on “%(title)s” was approved and is now shown.") % {"title": title}
    return title or claim or kind

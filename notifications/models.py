"""Notifications, what each person wants to receive and how, and what they follow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPLY = "reply", _("A reply to my comment")
    MENTION = "mention", _("A comment that mentions me")
    VERDICT = "verdict", _("A verdict published or changed on a claim I follow")
    DATA_CHECK = "data_check", _("A data check that changed on a claim I follow")
    FLAG_OUTCOME = "flag_outcome", _("What moderators did with a comment I flagged")
    CHECK_REQUEST = "check_request", _("A claim I asked to check was published")
    MODERATION = "moderation", _("My comment approved, restored, or used as evidence")
    COMMENT_REJECTED = "comment_rejected", _("My comment not published or taken down, and why")
    SANCTION = "sanction", _("My account suspended or banned from commenting, or let back in")


class Channel(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail me at once")
    DIGEST = "digest", _("In a daily digest")
    NEVER = "never", _("No e-mail (only on the site)")


# What each kind is mailed as unless the reader chose otherwise.
DEFAULT_CHANNELS: dict[str, str] = {
    Kind.REPLY: Channel.IMMEDIATE,
    Kind.MENTION: Channel.IMMEDIATE,
    Kind.VERDICT: Channel.DIGEST,
    Kind.DATA_CHECK: Channel.DIGEST,
    Kind.FLAG_OUTCOME: Channel.DIGEST,
    Kind.CHECK_REQUEST: Channel.DIGEST,
    Kind.MODERATION: Channel.DIGEST,
    Kind.COMMENT_REJECTED: Channel.DIGEST,
    # at once: it changes what the reader can do now, and a short suspension could be over
    # before the next digest
    Kind.SANCTION: Channel.IMMEDIATE,
}


class Notification(models.Model):
    """One thing that happened, for one person. Its words are rendered when shown (in the
    reader's language) from the kind and `params`."""

    class Mail(models.TextChoices):
        PENDING = "pending", _("To be mailed")
        DIGEST = "digest", _("For the next digest")
        SENT = "sent", _("Mailed")
        NONE = "none", _("Not mailed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications_caused",
    )
    params = models.JSONField(_("details"), default=dict, blank=True)
    target_url = models.CharField(_("where"), max_length=500)
    # what it is about ("comment:12"), so the same event is never notified twice
    object_key = models.CharField(max_length=100)
    mail = models.CharField(max_length=8, choices=Mail.choices, default=Mail.NONE)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["mail", "recipient"], name="notification_mail_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_key"], name="notification_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} ({self.object_key})"


class Preference(models.Model):
    """How a reader wants one kind mailed; without a row, DEFAULT_CHANNELS applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channel}"


class Mailbox(models.Model):
    """Per reader: the language their mails are written in (the one they last used on the
    site) and when they were last mailed at once (a burst waits for the digest)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_mailbox"
    )
    language = models.CharField(max_length=8, blank=True)
    last_immediate_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"mailbox of {self.user_id}"


class Follow(models.Model):
    """A reader follows something (`target` is "claim:12" or "article:3"): they hear of its
    verdicts and data checks. Commenting on a claim or an article follows it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    target = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "target"], name="follow_once"),
        ]
        indexes = [models.Index(fields=["target"], name="follow_target")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.target}"

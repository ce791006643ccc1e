from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxJob(models.Model):
    """A job queued by a committed write while the broker could not be reached.

    `enqueue_on_commit` stores it here instead of losing it; `outbox_flush` (a beat task and a
    management command) sends it once the broker answers again, then deletes the row.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # retries the job already had: a retry deferred here (eager mode) keeps counting towards
    # its task's max_retries
    retries = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["next_attempt_at", "id"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)} (attempts: {self.attempts})"


class ContentVersion(models.Model):
    """A counter that moves in the same transaction as every change of what readers see.

    Database triggers on the content tables (core/migrations/0003) bump the `site` row, so no
    write can forget to: services, admin, jobs, raw upserts alike. Anonymous pages are cached
    under this version (core.page_cache): a write makes every cached page old at once, and the
    next request renders afresh, on any worker.
    """

    key = models.CharField(max_length=50, unique=True)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class TagLabel(models.Model):
    """How a tag reads to readers in each language (`text_en`, `text_fr`: translation.py).

    A tag's name is its identity (taggit's, matched by the suggester and typed by editors);
    its label is what readers see. A tag without a label shows its name."""

    tag = models.OneToOneField(
        "taggit.Tag", on_delete=models.CASCADE, primary_key=True, related_name="label"
    )
    text = models.CharField(_("label"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("tag label")
        verbose_name_plural = _("tag labels")
        ordering = ["tag__name"]

    def __str__(self) -> str:
        return str(self.tag_id)

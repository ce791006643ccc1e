from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from core.i18n import languages
from core.models import OutboxJob, TagLabel
from core.services import tag_label_set
from core.tasks import outbox_flush


@admin.register(OutboxJob)
class OutboxJobAdmin(admin.ModelAdmin[OutboxJob]):
    """Jobs waiting for the broker; rows disappear once sent. Read-only: the job is what was
    queued, and editing it would change what runs."""

    list_display = ["id", "task_name", "args", "attempts", "next_attempt_at", "created_at"]
    list_filter = ["task_name"]
    readonly_fields = [f.name for f in OutboxJob._meta.fields]
    actions = ["send_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxJob | None = None) -> bool:
        return False

    @admin.action(description="Send the selected jobs now")
    def send_now(self, request: HttpRequest, queryset: QuerySet[OutboxJob]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        OutboxJob.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now())
        sent, failed = outbox_flush(limit=len(ids), ids=ids)
        level = messages.SUCCESS if not failed else messages.WARNING
        self.message_user(request, f"Sent {sent}; {failed} still waiting for the broker.", level)


@admin.register(TagLabel)
class TagLabelAdmin(admin.ModelAdmin[TagLabel]):
    """How each tag reads to readers, both languages side by side (editable in the list)."""

    list_display = ["tag", "text_en", "text_fr"]
    list_editable = ["text_en", "text_fr"]
    search_fields = ["tag__name", "text_en", "text_fr"]
    fields = ["tag", ("text_en", "text_fr")]
    autocomplete_fields = ["tag"]
    list_select_related = ["tag"]

    def save_model(self, request: HttpRequest, obj: TagLabel, form: Any, change: bool) -> None:
        texts = {code: form.cleaned_data.get(f"text_{code}") or "" for code in languages()}
        tag_label_set(tag=form.cleaned_data.get("tag") or obj.tag, texts=texts)

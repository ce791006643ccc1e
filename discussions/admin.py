"""Admin for comments, reactions, flags and the moderation log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from discussions.models import (
    Comment,
    Flag,
    ModerationAction,
    ModerationQueueItem,
    Reaction,
)
from discussions.moderation import comments_moderate, moderation_queue


class ModerationActionForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Required to hide, remove or restore; kept in the moderation log."),
    )


class FlagInline(admin.TabularInline[Flag, Comment]):
    model = Flag
    fk_name = "comment"
    extra = 0
    fields = ("user", "reason", "details", "resolved", "resolved_by", "resolved_at", "created_at")
    # resolved by the moderation actions, which log who and why
    readonly_fields = (
        "user",
        "reason",
        "details",
        "resolved",
        "resolved_by",
        "resolved_at",
        "created_at",
    )
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Flag]:
        return super().get_queryset(request).select_related("user", "resolved_by")


class ModerationActionInline(admin.TabularInline[ModerationAction, Comment]):
    model = ModerationAction
    extra = 0
    fields = ("created_at", "moderator", "action", "previous_status", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ModerationAction]:
        return super().get_queryset(request).select_related("moderator")


class ImportedFilter(admin.SimpleListFilter):
    title = _("origin")
    parameter_name = "origin"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("imported", _("Imported from the original post")), ("local", _("Posted here"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        if self.value() == "imported":
            return queryset.exclude(external_author="")
        if self.value() == "local":
            return queryset.filter(external_author="")
        return queryset


class ModerationActionsMixin:
    """approve / hide / remove / restore, with the reason typed next to the action menu."""

    action_form = ModerationActionForm
    actions: Sequence[Any] | None = ("approve", "hide", "remove", "restore")

    def _moderate(self, request: HttpRequest, queryset: QuerySet[Comment], action: str) -> None:
        reason = request.POST.get("reason", "")
        try:
            result = comments_moderate(
                comments=queryset, action=action, moderator=request.user, reason=reason
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)  # type: ignore[attr-defined]
            return
        self.message_user(  # type: ignore[attr-defined]
            request,
            _("%(action)s: %(done)d comment(s) done, %(skipped)d skipped.")
            % {"action": action, "done": len(result.done), "skipped": len(result.skipped)},
            messages.SUCCESS if result.done else messages.WARNING,
        )

    @admin.action(description=_("Approve (show, resolve flags)"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, ModerationAction.Action.APPROVE)

    @admin.action(description=_("Hide (reason required)"), permissions=["change"])
    def hide(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, ModerationAction.Action.HIDE)

    @admin.action(description=_("Remove (reason required)"), permissions=["change"])
    def remove(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, ModerationAction.Action.REMOVE)

    @admin.action(description=_("Restore (reason required)"), permissions=["change"])
    def restore(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, ModerationAction.Action.RESTORE)


@admin.register(Comment)
class CommentAdmin(ModerationActionsMixin, admin.ModelAdmin[Comment]):
    list_display = (
        "short_body",
        "author_display",
        "article",
        "claim",
        "status",
        "depth",
        "like_count",
        "open_flags",
        "created_at",
    )
    list_filter = ("status", ImportedFilter, "article__language", "stance")
    list_select_related = ("author", "article", "claim")
    search_fields = ("body", "external_author", "author__username", "article__title")
    # Comments are written by readers (or imported); moderators act on them through the
    # actions, which log what they did, so the form is read-only.
    readonly_fields = (
        "article",
        "claim",
        "author",
        "external_author",
        "body",
        "stance",
        "parent",
        "root",
        "depth",
        "path",
        "body_html",
        "status",
        "like_count",
        "external_posted_at",
        "external_posted_raw",
        "external_like_count",
        "import_key",
        "edited_at",
        "created_at",
        "updated_at",
    )
    inlines = (FlagInline, ModerationActionInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        return (
            super()
            .get_queryset(request)
            .annotate(open_flag_total=Count("flags", filter=Q(flags__resolved=False)))
        )

    @admin.display(description=_("comment"))
    def short_body(self, obj: Comment) -> str:
        return obj.body if len(obj.body) <= 80 else obj.body[:77] + "..."

    @admin.display(description=_("author"), ordering="author__username")
    def author_display(self, obj: Comment) -> str:
        return obj.author_name

    @admin.display(description=_("open flags"), ordering="open_flag_total")
    def open_flags(self, obj: Comment) -> int:
        return int(getattr(obj, "open_flag_total", 0))


class QueueReasonFilter(admin.SimpleListFilter):
    title = _("why it is here")
    parameter_name = "why"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("pending", _("Awaiting approval")), ("flagged", _("Flagged by readers"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        if self.value() == "pending":
            return queryset.filter(status=Comment.Status.PENDING)
        if self.value() == "flagged":
            return queryset.filter(flags__resolved=False).distinct()
        return queryset


@admin.register(ModerationQueueItem)
class ModerationQueueAdmin(ModerationActionsMixin, admin.ModelAdmin[ModerationQueueItem]):
    """Pending comments and flagged visible ones, most flagged first."""

    list_display = (
        # what a moderator reads first, left, before the columns that may scroll off
        "short_body",
        "flag_reasons",
        "open_flags",
        "author_display",
        "article_title",
        "status",
        "created_at",
    )
    list_filter = (QueueReasonFilter,)
    list_select_related = ("author", "article")
    search_fields = ("body", "external_author", "author__username")
    fields = ("article", "claim", "author", "external_author", "status", "body", "created_at")
    readonly_fields = fields
    inlines = (FlagInline, ModerationActionInline)

    class Media:
        css = {"all": ("discussions/admin/moderation.css",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[ModerationQueueItem]:
        open_flags = Flag.objects.filter(resolved=False).order_by("id")
        queue = moderation_queue(super().get_queryset(request)).prefetch_related(
            models.Prefetch("flags", queryset=open_flags, to_attr="open_flag_list")
        )
        return queue  # type: ignore[return-value]  # the proxy's rows, annotated

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("comment"))
    def short_body(self, obj: Comment) -> str:
        return obj.body if len(obj.body) <= 120 else obj.body[:117] + "..."

    @admin.display(description=_("author"))
    def author_display(self, obj: Comment) -> str:
        return obj.author_name

    @admin.display(description=_("open flags"), ordering="open_flag_total")
    def open_flags(self, obj: Comment) -> int:
        return int(getattr(obj, "open_flag_total", 0))

    @admin.display(description=_("article"), ordering="article__title")
    def article_title(self, obj: Comment) -> str:
        return Truncator(obj.article.title).chars(60)

    @admin.display(description=_("reasons"))
    def flag_reasons(self, obj: Comment) -> str:
        """Each open flag's reason, with the flagger's words where they gave some."""
        flags = getattr(obj, "open_flag_list", [])
        return "; ".join(
            f"{flag.get_reason_display()}: {Truncator(flag.details).chars(80)}"
            if flag.details
            else str(flag.get_reason_display())
            for flag in flags
        )


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin[Flag]):
    list_display = ("comment", "user", "reason", "resolved", "resolved_by", "created_at")
    list_filter = ("resolved", "reason")
    list_select_related = ("comment", "comment__author", "user", "resolved_by")
    search_fields = ("details", "comment__body", "user__username")
    # Flags are raised by readers and resolved by the moderation actions (which log them).
    readonly_fields = (
        "comment",
        "user",
        "reason",
        "details",
        "resolved",
        "resolved_by",
        "resolved_at",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin[Reaction]):
    list_display = ("user", "comment", "created_at")
    list_select_related = ("user", "comment", "comment__author")
    search_fields = ("user__username", "comment__body")
    readonly_fields = ("user", "comment", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin[ModerationAction]):
    list_display = ("created_at", "action", "comment", "moderator", "previous_status", "reason")
    list_filter = ("action",)
    list_select_related = ("comment", "comment__author", "moderator")
    search_fields = ("reason", "comment__body", "moderator__username")
    readonly_fields = ("comment", "moderator", "action", "reason", "previous_status", "created_at")

    # The log is a record: written by the moderation actions, never edited by hand.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

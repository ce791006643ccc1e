"""Admin for comments, reactions, flags and the moderation log."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from discussions.models import Comment, Flag, ModerationAction, Reaction


class FlagInline(admin.TabularInline):
    model = Flag
    fk_name = "comment"
    extra = 0
    fields = ("user", "reason", "details", "resolved", "resolved_by", "resolved_at", "created_at")
    readonly_fields = ("user", "reason", "details", "resolved_by", "resolved_at", "created_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Flag]:
        return super().get_queryset(request).select_related("user", "resolved_by")


class ModerationActionInline(admin.TabularInline):
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

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        return [("imported", _("Imported from the original post")), ("local", _("Posted here"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        if self.value() == "imported":
            return queryset.exclude(external_author="")
        if self.value() == "local":
            return queryset.filter(external_author="")
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ("article", "claim", "author")
    raw_id_fields = ("parent", "root")
    readonly_fields = (
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


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("comment", "user", "reason", "resolved", "resolved_by", "created_at")
    list_filter = ("resolved", "reason")
    list_select_related = ("comment", "comment__author", "user", "resolved_by")
    search_fields = ("details", "comment__body", "user__username")
    autocomplete_fields = ("comment", "user", "resolved_by")
    readonly_fields = ("resolved_at", "created_at")


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin):
    list_display = ("user", "comment", "created_at")
    list_select_related = ("user", "comment", "comment__author")
    search_fields = ("user__username", "comment__body")
    autocomplete_fields = ("user", "comment")
    readonly_fields = ("created_at",)


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
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

"""Admin for articles and URL imports: the editors' daily desk."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleImport
from articles.suggest import article_suggest_claims
from claims.models import Claim

# Links typed without a scheme are taken as https (Django 6 default).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class ClaimInline(admin.TabularInline):
    formfield_overrides = URL_FIELD_OVERRIDES
    model = Claim
    extra = 0
    fields = ("quote", "start", "end", "status", "verdict", "assignee", "anchor_status")
    readonly_fields = ("quote", "start", "end", "anchor_status")
    autocomplete_fields = ("assignee",)
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # New claims come from the suggester or from a span marked in the body, both of which
        # check the quote against the text; a bare inline row could not.
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return super().get_queryset(request).select_related("assignee")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = (
        "title",
        "status",
        "language",
        "source_name",
        "claim_count",
        "tag_list",
        "published_at",
        "created_by",
        "updated_at",
    )
    list_filter = ("status", "language", "tags", "source_name")
    list_select_related = ("created_by",)
    search_fields = ("title", "slug", "source_name", "original_author")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("created_by",)
    readonly_fields = ("import_fingerprint", "created_at", "updated_at")
    date_hierarchy = "created_at"
    inlines = (ClaimInline,)
    actions = ("suggest_claims",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "status", "language", "tags")}),
        (_("Text"), {"fields": ("body",)}),
        (
            _("Provenance"),
            {"fields": ("source_url", "source_name", "original_author", "published_at")},
        ),
        (
            _("Record"),
            {
                "classes": ("collapse",),
                "fields": ("created_by", "import_fingerprint", "created_at", "updated_at"),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return (
            super()
            .get_queryset(request)
            .annotate(claim_total=Count("claims", distinct=True))
            .prefetch_related("tags")
        )

    @admin.action(description=_("Suggest claims (check-worthy sentences)"), permissions=["change"])
    def suggest_claims(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            result = article_suggest_claims(article=article, by=request.user)
            self.message_user(
                request,
                _("%(title)s: %(created)d claim(s) suggested, %(existing)d already claimed.")
                % {
                    "title": article.title,
                    "created": len(result.created),
                    "existing": result.existing,
                },
                messages.SUCCESS,
            )

    @admin.display(description=_("claims"), ordering="claim_total")
    def claim_count(self, obj: Article) -> int:
        return int(getattr(obj, "claim_total", 0))

    @admin.display(description=_("tags"))
    def tag_list(self, obj: Article) -> str:
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))


@admin.register(ArticleImport)
class ArticleImportAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ("url", "status", "language", "article", "requested_by", "created_at")
    list_filter = ("status", "language")
    list_select_related = ("article", "requested_by")
    search_fields = ("url", "error")
    autocomplete_fields = ("article", "requested_by")
    readonly_fields = ("status", "error", "article", "created_at", "finished_at")

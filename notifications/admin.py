"""Notifications in admin: to look at what readers were told and how it was mailed."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from notifications.models import Follow, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ("recipient", "kind", "actor", "mail", "created_at", "read_at", "mailed_at")
    list_filter = ("kind", "mail")
    list_select_related = ("recipient", "actor")
    search_fields = ("recipient__username", "object_key", "target_url")
    readonly_fields = (
        "recipient",
        "kind",
        "actor",
        "params",
        "target_url",
        "object_key",
        "mail",
        "created_at",
        "read_at",
        "mailed_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin[Preference]):
    list_display = ("user", "kind", "channel")
    list_filter = ("kind", "channel")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    readonly_fields = ("user", "kind", "channel")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin[Follow]):
    list_display = ("user", "target", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "target")
    readonly_fields = ("user", "target", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

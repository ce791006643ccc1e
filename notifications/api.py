"""Your notifications in the API: a session or a token with `read`. Only your own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from integrations.pagination import ApiCursorPagination
from integrations.permissions import request_has_scope
from notifications.models import Notification
from notifications.selectors import notifications_for
from notifications.services import notifications_mark_read
from notifications.texts import notification_text


class NewestFirstPagination(ApiCursorPagination):
    ordering = ("-created_at", "-id")  # type: ignore[assignment]  # a two-column cursor


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    actor = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()
    target_url = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "actor", "target_url", "text", "created_at", "read", "read_at"]
        read_only_fields = fields

    def get_actor(self, notification: Notification) -> str | None:
        return notification.actor.get_username() if notification.actor is not None else None

    def get_text(self, notification: Notification) -> str:
        return notification_text(notification)

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None

    def get_target_url(self, notification: Notification) -> str:
        request = self.context.get("request")
        url = notification.target_url
        return request.build_absolute_uri(url) if request is not None else url


class OwnNotifications(IsAuthenticated):
    """Signed in; a token needs `read` (marking read changes only your own list)."""

    message = "This token lacks the read scope needed here."

    def has_permission(self, request: Request, view: Any) -> bool:
        return super().has_permission(request, view) and request_has_scope(request, "read")


class NotificationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Your notifications, newest first: what happened (`text`, in the language you ask for),
    who caused it, where (`target_url`), and whether you read it."""

    serializer_class = NotificationSerializer
    permission_classes = [OwnNotifications]
    pagination_class = NewestFirstPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Notification]:
        return notifications_for(user=self.request.user)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark this notification read."""
        notification = self.get_object()
        notifications_mark_read(user=request.user, ids=[notification.pk])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses={200: inline_serializer("ReadAll", {"marked": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark all your notifications read."""
        return Response({"marked": notifications_mark_read(user=request.user)})

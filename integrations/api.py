"""The integrator's own resources: API tokens, webhook subscriptions, jobs; and the bulk export."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.roles import signed_in, user_is_editor
from integrations import services
from integrations.models import ApiToken, WebhookDelivery, WebhookSubscription
from integrations.pagination import ApiCursorPagination
from integrations.permissions import (
    IsOwner,
    request_token,
    require_allowed_method,
)
from integrations.serializers import (
    ApiTokenSerializer,
    IssuedTokenSerializer,
    NewWebhookSubscriptionSerializer,
    WebhookDeliverySerializer,
    WebhookSubscriptionSerializer,
)
from integrations.views_base import StrictBodyMixin, valid_body


class OwnResourcePermission(IsAuthenticated):
    """Managing one's own tokens and webhooks: signed in, and a token needs `read` to look and
    any write scope to change (it can only mint tokens within its own scopes)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        require_allowed_method(request, view)
        if not super().has_permission(request, view):
            return False
        token = request_token(request)
        if token is None:
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            if token.has_scope("read"):
                return True
            self.message = "This token lacks the read scope needed here."
            return False
        if any(scope.startswith("write:") for scope in token.scopes):
            return True
        self.message = (
            "This token lacks a write scope (write:articles, write:claims, write:evidence or "
            "write:comments) "
            "needed here."
        )
        return False


class TokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Your API tokens. Creating one returns its secret once; deleting one revokes it."""

    permission_classes = [OwnResourcePermission, IsOwner]
    serializer_class = ApiTokenSerializer
    pagination_class = ApiCursorPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ApiToken]:
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=signed_in(self.request.user))

    @extend_schema(request=ApiTokenSerializer, responses={201: IssuedTokenSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = valid_body(ApiTokenSerializer(data=request.data))
        token = request_token(request)
        issued = services.token_create(
            user=signed_in(request.user),
            name=body.validated_data["name"],
            scopes=body.validated_data["scopes"],
            expires_at=body.validated_data.get("expires_at"),
            parent=token,
        )
        data = IssuedTokenSerializer(issued.token).data
        data["secret"] = issued.secret
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ApiToken) -> None:
        services.token_revoke(token=instance)


class WebhookPermission(OwnResourcePermission):
    """Webhooks are for editors and integrators an administrator allowed to subscribe."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        user = request.user
        return user_is_editor(user) or user.has_perm("integrations.add_webhooksubscription")


class WebhookSubscriptionViewSet(StrictBodyMixin, viewsets.ModelViewSet):  # type: ignore[type-arg]
    """Your webhook subscriptions and their delivery log. The signing secret is shown once,
    when the subscription is created."""

    permission_classes = [WebhookPermission, IsOwner]
    owner_field = "owner_id"
    serializer_class = WebhookSubscriptionSerializer
    pagination_class = ApiCursorPagination
    filter_backends: list[Any] = []
    # PATCH edits; a PUT would have to carry the whole subscription and is not offered
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[WebhookSubscription]:
        if getattr(self, "swagger_fake_view", False):
            return WebhookSubscription.objects.none()
        return WebhookSubscription.objects.filter(owner=signed_in(self.request.user))

    @extend_schema(responses={201: NewWebhookSubscriptionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = valid_body(WebhookSubscriptionSerializer(data=request.data))
        subscription = services.webhook_subscription_create(
            owner=signed_in(request.user),
            target_url=body.validated_data["target_url"],
            events=body.validated_data["events"],
            description=body.validated_data.get("description", ""),
        )
        data = NewWebhookSubscriptionSerializer(subscription).data
        data["secret"] = subscription.secret
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: serializers.BaseSerializer[WebhookSubscription]) -> None:
        assert serializer.instance is not None
        data = serializer.validated_data
        services.webhook_subscription_update(
            subscription=serializer.instance,
            target_url=data.get("target_url"),
            events=data.get("events"),
            description=data.get("description"),
            is_active=data.get("is_active"),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "cursor", OpenApiTypes.STR, description=ApiCursorPagination.cursor_query_description
            ),
            OpenApiParameter(
                "page_size",
                OpenApiTypes.INT,
                description=ApiCursorPagination.page_size_query_description,
            ),
        ],
        responses={
            200: inline_serializer(
                "PaginatedWebhookDeliveryList",
                {
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": WebhookDeliverySerializer(many=True),
                },
            )
        },
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str | None = None) -> Response:
        """The latest deliveries of this subscription, each with its attempts."""
        subscription = self.get_object()
        deliveries = (
            WebhookDelivery.objects.filter(subscription=subscription)
            .prefetch_related("attempts")
            .order_by("-id")
        )
        page = self.paginate_queryset(deliveries)
        data = WebhookDeliverySerializer(page, many=True).data
        return self.get_paginated_response(data)

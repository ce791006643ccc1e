"""The integrator's own resources: API tokens, webhook subscriptions, jobs; and the bulk export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.selectors import article_list_for_api
from articles.serializers import ArticleDetailSerializer
from claims.selectors import claim_list_with_links
from claims.serializers import ClaimSerializer
from core.roles import user_is_editor
from energy.models import Observation
from energy.selectors import series_list
from energy.serializers import ObservationSerializer, SeriesSerializer
from integrations import services
from integrations.models import ApiToken, WebhookDelivery, WebhookSubscription
from integrations.pagination import ApiCursorPagination
from integrations.permissions import (
    IsOwner,
    ScopedPermission,
    request_token,
    require_allowed_method,
)
from integrations.renderers import JSONLinesRenderer
from integrations.serializers import (
    ApiTokenSerializer,
    IssuedTokenSerializer,
    NewWebhookSubscriptionSerializer,
    WebhookDeliverySerializer,
    WebhookSubscriptionSerializer,
)
from integrations.views_base import JSONErrorsMixin, StrictBodyMixin, valid_body

EXPORT_CHUNK = 500


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
            "This token lacks a write scope (write:claims, write:evidence or write:comments) "
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
        return ApiToken.objects.filter(user=self.request.user)

    @extend_schema(request=ApiTokenSerializer, responses={201: IssuedTokenSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = valid_body(ApiTokenSerializer(data=request.data))
        token = request_token(request)
        issued = services.token_create(
            user=request.user,
            name=body.validated_data["name"],
            scopes=body.validated_data["scopes"],
            expires_at=body.validated_data.get("expires_at"),
            within_scopes=token.scopes if token is not None else None,
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

    def get_queryset(self) -> QuerySet[WebhookSubscription]:
        if getattr(self, "swagger_fake_view", False):
            return WebhookSubscription.objects.none()
        return WebhookSubscription.objects.filter(owner=self.request.user)

    @extend_schema(responses={201: NewWebhookSubscriptionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = valid_body(WebhookSubscriptionSerializer(data=request.data))
        subscription = services.webhook_subscription_create(
            owner=request.user,
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


def _jsonl(kind: str, data: Any) -> str:
    return json.dumps({"type": kind, **data}, ensure_ascii=False, default=str) + "\n"


def export_lines(*, user: Any) -> Iterator[str]:
    """The knowledge base a user may read, one JSON object per line: articles, claims (with
    evidence and series links), series (with observations). Memory stays flat: rows come in
    chunks with their prefetches."""
    yield _jsonl("export", {"generated_at": timezone.now().isoformat(), "format": 1})
    for article in article_list_for_api(user=user).order_by("id").iterator(chunk_size=EXPORT_CHUNK):
        yield _jsonl("article", ArticleDetailSerializer(article).data)
    claims = claim_list_with_links(user=user).order_by("id")
    for claim in claims.iterator(chunk_size=EXPORT_CHUNK):
        yield _jsonl("claim", ClaimSerializer(claim).data)
    observations = Prefetch("observations", queryset=Observation.objects.order_by("period"))
    for series in (
        series_list()
        .prefetch_related(observations)
        .order_by("id")
        .iterator(chunk_size=EXPORT_CHUNK)
    ):
        row = SeriesSerializer(series).data
        row["observations"] = ObservationSerializer(series.observations.all(), many=True).data
        yield _jsonl("series", row)


class ExportView(JSONErrorsMixin, APIView):
    """The whole knowledge base you may read, as JSON Lines, streamed."""

    permission_classes = [ScopedPermission]
    renderer_classes = [JSONLinesRenderer, JSONRenderer]

    @extend_schema(
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(
                response=OpenApiTypes.STR,
                description='One JSON object per line, each with a "type": export, article, '
                "claim or series.",
            )
        }
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            export_lines(user=request.user), content_type="application/x-ndjson; charset=utf-8"
        )
        stamp = timezone.now().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="assay-export-{stamp}.jsonl"'
        return response

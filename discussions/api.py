"""Comments in the API: threaded, in display order; writes through discussions.services."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, Throttled, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.ratelimit import RateLimited
from core.roles import user_is_moderator
from discussions import services
from discussions.accounts import account_ban, account_sanctions_lift, account_suspend
from discussions.curation import comment_feature, comment_promote_to_evidence, comment_unfeature
from discussions.models import AccountSanction, Comment
from discussions.moderation import comments_moderate
from discussions.selectors import comment_list_for_api
from discussions.serializers import (
    AccountSanctionSerializer,
    CommentApproveSerializer,
    CommentFeatureSerializer,
    CommentFlagSerializer,
    CommentLikeSerializer,
    CommentModerateSerializer,
    CommentPromoteSerializer,
    CommentSerializer,
    CommentTakeDownSerializer,
    PromotedEvidenceSerializer,
    SanctionLiftedSerializer,
    SanctionLiftSerializer,
)
from integrations.filters import IdFilter, SinceFilter
from integrations.pagination import ApiCursorPagination
from integrations.permissions import IsAuthor, ScopedPermission
from integrations.views_base import ConditionalRetrieveMixin, StrictBodyMixin, valid_body


class CommentFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    article = IdFilter(field_name="article_id")
    claim = IdFilter(field_name="claim_id")
    root = IdFilter(field_name="root_id", help_text="Replies of one thread.")
    updated_since = SinceFilter()

    class Meta:
        model = Comment
        fields = ["article", "claim", "root", "updated_since"]


class ThreadOrderPagination(ApiCursorPagination):
    # (thread, path) is unique: the thread's root id, then the sort path inside the thread.
    ordering = ("thread", "path")  # type: ignore[assignment]  # a two-column cursor


class CommentViewSet(StrictBodyMixin, ConditionalRetrieveMixin, viewsets.ModelViewSet):  # type: ignore[type-arg]
    """Comments, oldest thread first and each thread depth-first (parent before replies).
    Readers post with `write:comments` and edit or delete only their own comments."""

    serializer_class = CommentSerializer
    filterset_class = CommentFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = ThreadOrderPagination
    permission_classes = [ScopedPermission, IsAuthor]
    write_scope = "write:comments"
    write_scopes = {"promote": "write:evidence"}
    # PATCH edits; a PUT would have to carry the whole comment and is not offered
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Comment]:
        return comment_list_for_api(user=self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer[Comment]) -> None:
        data = serializer.validated_data
        try:
            comment = services.comment_post(
                article=data["article"],
                claim=data.get("claim"),
                parent=data.get("parent"),
                body=data["body"],
                stance=data.get("stance", ""),
                author=self.request.user,
            )
        except RateLimited as limited:
            raise Throttled(wait=limited.retry_after, detail=str(limited)) from None
        except DjangoPermissionDenied as denied:
            # a suspended or banned account: say why and until when
            raise PermissionDenied(str(denied)) from None
        serializer.instance = self.get_queryset().get(pk=comment.pk)

    def perform_update(self, serializer: serializers.BaseSerializer[Comment]) -> None:
        assert serializer.instance is not None
        comment = serializer.instance
        if "body" in serializer.validated_data:
            try:
                services.comment_edit(
                    comment=comment,
                    user=self.request.user,
                    body=serializer.validated_data["body"],
                )
            except DjangoPermissionDenied as denied:
                raise PermissionDenied(str(denied)) from None
        serializer.instance = self.get_queryset().get(pk=comment.pk)

    def perform_destroy(self, instance: Comment) -> None:
        # Moderators hide or remove others' comments with `moderate`, giving a reason.
        services.comment_delete(comment=instance, user=self.request.user)

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="CommentModeration",
            serializers=[CommentApproveSerializer, CommentTakeDownSerializer],
            resource_type_field_name=None,
        ),
        responses={200: CommentSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[ScopedPermission])
    def moderate(self, request: Request, pk: str | None = None) -> Response:
        """Approve, hide, remove or restore a comment (moderators; hiding, removing and
        restoring need a reason, kept in the moderation log)."""
        if not user_is_moderator(request.user):
            raise PermissionDenied("Only moderators moderate comments.")
        comment = self.get_object()
        body = valid_body(CommentModerateSerializer(data=request.data))
        result = comments_moderate(
            comments=[comment],
            action=body.validated_data["action"],
            moderator=request.user,
            reason=body.validated_data.get("reason", ""),
        )
        if result.skipped:
            raise ValidationError(
                {"action": [f"A {comment.status} comment cannot take this action."]}
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=comment.pk)).data)

    @extend_schema(request=None, responses={200: CommentLikeSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ScopedPermission])
    def like(self, request: Request, pk: str | None = None) -> Response:
        """Like the comment, or take the like back."""
        liked, count = services.comment_like_toggle(comment=self.get_object(), user=request.user)
        return Response({"liked": liked, "like_count": count})

    @extend_schema(request=CommentFlagSerializer, responses={201: None})
    @action(detail=True, methods=["post"], permission_classes=[ScopedPermission])
    def flag(self, request: Request, pk: str | None = None) -> Response:
        """Report the comment to the moderators."""
        body = valid_body(CommentFlagSerializer(data=request.data))
        services.comment_flag(
            comment=self.get_object(),
            user=request.user,
            reason=body.validated_data["reason"],
            details=body.validated_data.get("details", ""),
        )
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["POST"], request=CommentFeatureSerializer, responses={200: CommentSerializer}
    )
    @extend_schema(methods=["DELETE"], request=None, responses={200: CommentSerializer})
    @action(detail=True, methods=["post", "delete"], permission_classes=[ScopedPermission])
    def feature(self, request: Request, pk: str | None = None) -> Response:
        """Pin the comment at the top of its discussion with a short label (POST), or put it
        back in its place (DELETE). Editors only."""
        comment = self.get_object()
        if request.method == "DELETE":
            comment_unfeature(comment=comment, by=request.user)
        else:
            body = valid_body(CommentFeatureSerializer(data=request.data))
            comment_feature(
                comment=comment, by=request.user, label=body.validated_data.get("label", "")
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=comment.pk)).data)

    @extend_schema(request=CommentPromoteSerializer, responses={201: PromotedEvidenceSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ScopedPermission])
    def promote(self, request: Request, pk: str | None = None) -> Response:
        """Turn the comment into evidence on a claim (editors; scope `write:evidence`): its
        link, or `url`, checked and archived like any evidence, with the comment and its author
        kept as provenance. Answers 201 with the evidence."""
        comment = self.get_object()
        body = valid_body(CommentPromoteSerializer(data=request.data, context={"request": request}))
        data = body.validated_data
        evidence = comment_promote_to_evidence(
            comment=comment,
            claim=data["claim"],
            stance=data["stance"],
            url=data.get("url", ""),
            excerpt=data.get("excerpt", ""),
            by=request.user,
        )
        return Response(
            PromotedEvidenceSerializer(evidence, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class AccountSanctionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Suspensions and bans of reader accounts (moderators only), newest first. Create one
    with `kind` "suspend" (and `ends_at`) or "ban" and a `reason`; lift what is in force on an
    account with `POST /sanctions/lift/`. Nothing is ever deleted."""

    serializer_class = AccountSanctionSerializer
    permission_classes = [ScopedPermission]
    write_scope = "write:comments"
    pagination_class = ApiCursorPagination
    filter_backends: list[Any] = []

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not user_is_moderator(request.user):
            raise PermissionDenied("Only moderators see and sanction accounts.")

    def get_queryset(self) -> QuerySet[AccountSanction]:
        return AccountSanction.objects.select_related("user", "moderator", "lifted_by").order_by(
            "-created_at", "-id"
        )

    def perform_create(self, serializer: serializers.BaseSerializer[AccountSanction]) -> None:
        data = serializer.validated_data
        if data["kind"] == AccountSanction.Kind.BAN:
            sanction = account_ban(
                user=data["user"], moderator=self.request.user, reason=data["reason"]
            )
        else:
            sanction = account_suspend(
                user=data["user"],
                moderator=self.request.user,
                until=data.get("ends_at") or _missing_end(),
                reason=data["reason"],
            )
        serializer.instance = self.get_queryset().get(pk=sanction.pk)

    @extend_schema(request=SanctionLiftSerializer, responses={200: SanctionLiftedSerializer})
    @action(detail=False, methods=["post"])
    def lift(self, request: Request) -> Response:
        """Lift every sanction in force on the account, with a reason; answers how many."""
        body = valid_body(SanctionLiftSerializer(data=request.data))
        lifted = account_sanctions_lift(
            user=body.validated_data["user"],
            moderator=request.user,
            reason=body.validated_data["reason"],
        )
        return Response({"lifted": lifted})


def _missing_end() -> Any:
    raise ValidationError({"ends_at": ["A suspension needs an end."]})

"""Claims and evidence in the API, and the ClaimReview export.

Viewsets are thin: reads come from claims.selectors, writes go through claims.services (the
same functions the admin and the pages call).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.validators import UniqueTogetherValidator

from articles.models import Language
from claims import services
from claims.models import Claim, Evidence, verdict_keys
from claims.selectors import (
    claim_for_review,
    claim_list_with_links,
    evidence_list,
    user_sees_unpublished_verdicts,
)
from claims.serializers import (
    ClaimPublishSerializer,
    ClaimSerializer,
    ClaimVerdictSerializer,
    EvidenceSerializer,
    claim_review_jsonld,
)
from core.roles import user_is_editor
from integrations.filters import IdFilter
from integrations.views_base import (
    ConditionalRetrieveMixin,
    StrictBodyMixin,
    conditional_response,
    valid_body,
)


class ClaimFilter(django_filters.FilterSet):
    tag = django_filters.CharFilter(field_name="tags__slug", help_text="A tag slug, e.g. energy.")
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices)
    verdict = django_filters.ChoiceFilter(
        choices=[(k, k) for k in verdict_keys()], method="filter_verdict"
    )
    language = django_filters.ChoiceFilter(field_name="article__language", choices=Language.choices)
    article = IdFilter(field_name="article_id")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Claim
        fields = ["tag", "status", "verdict", "language", "article", "updated_since"]

    def filter_verdict(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        # Readers do not see the verdict of a claim under review, so they cannot filter on it
        # either: that would tell them which unpublished claims carry it.
        queryset = queryset.filter(verdict=value)
        if user_sees_unpublished_verdicts(self.request.user if self.request else None):
            return queryset
        return queryset.filter(status=Claim.Status.PUBLISHED)


class ClaimViewSet(
    StrictBodyMixin,
    ConditionalRetrieveMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,  # type: ignore[type-arg]
):
    """Claims with their tags, evidence and data series. Writes need `write:claims`; setting a
    verdict and publishing need an editor as well."""

    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["id", "created_at", "updated_at"]
    ordering = ["-id"]
    write_scope = "write:claims"
    # PATCH edits (the span is fixed once created); a PUT of {} answered 200 and changed
    # nothing, so it is not offered
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Claim]:
        return claim_list_with_links(user=self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer[Claim]) -> None:
        data = serializer.validated_data
        claim = services.claim_create(
            article=data["article"],
            quote=data["quote"],
            start=data.get("start"),
            end=data.get("end"),
            statement=data.get("statement", ""),
            tags=data.get("tags", ()),
            by=self.request.user,
            reason="Created through the API",
        )
        serializer.instance = claim_list_with_links(user=self.request.user).get(pk=claim.pk)

    def perform_update(self, serializer: serializers.BaseSerializer[Claim]) -> None:
        data = serializer.validated_data
        assert serializer.instance is not None
        claim = services.claim_update(
            claim=serializer.instance,
            statement=data.get("statement"),
            tags=data.get("tags"),
            by=self.request.user,
            reason="Edited through the API",
        )
        serializer.instance = claim_list_with_links(user=self.request.user).get(pk=claim.pk)

    def _require_editor(self) -> None:
        if not user_is_editor(self.request.user):
            raise PermissionDenied("Only editors rate and publish claims.")

    @extend_schema(request=ClaimVerdictSerializer, responses={200: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def verdict(self, request: Request, pk: str | None = None) -> Response:
        """Set or change the verdict (kept in the claim's public changelog with the reason)."""
        self._require_editor()
        claim = self.get_object()
        body = valid_body(ClaimVerdictSerializer(data=request.data))
        services.claim_set_verdict(
            claim=claim,
            verdict=body.validated_data["verdict"],
            summary=body.validated_data["summary"],
            as_of=body.validated_data.get("as_of"),
            by=request.user,
            reason=body.validated_data["reason"],
        )
        claim = self.get_queryset().get(pk=claim.pk)
        return Response(self.get_serializer(claim).data)

    @extend_schema(request=ClaimPublishSerializer, responses={200: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish a rated claim."""
        self._require_editor()
        claim = self.get_object()
        body = valid_body(ClaimPublishSerializer(data=request.data))
        services.claim_publish(
            claim=claim, by=request.user, reason=body.validated_data.get("reason", "")
        )
        claim = self.get_queryset().get(pk=claim.pk)
        return Response(self.get_serializer(claim).data)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def claimreview(self, request: Request, pk: str | None = None) -> Response:
        """schema.org ClaimReview JSON-LD of a published claim."""
        claim = claim_for_review(pk=self.get_object().pk)
        if claim is None:
            raise Http404
        return conditional_response(request, claim_review_jsonld(claim))


class EvidenceFilter(django_filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    stance = django_filters.ChoiceFilter(choices=Evidence.Stance.choices)
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Evidence
        fields = ["claim", "stance", "updated_since"]


class EvidenceViewSet(
    StrictBodyMixin,
    ConditionalRetrieveMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,  # type: ignore[type-arg]
):
    """Evidence on claims. Adding evidence needs `write:evidence`; its link is checked and
    archived by a job."""

    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter
    ordering_fields = ["id", "created_at", "updated_at"]
    ordering = ["-id"]
    write_scope = "write:evidence"

    def get_queryset(self) -> QuerySet[Evidence]:
        return evidence_list(user=self.request.user)

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)
        # The (claim, url) uniqueness is answered by perform_create, on the url field and in
        # words a client can act on, rather than as "fields claim, url must make a unique set".
        serializer.validators = [
            v for v in serializer.validators if not isinstance(v, UniqueTogetherValidator)
        ]
        return serializer

    def perform_create(self, serializer: serializers.BaseSerializer[Evidence]) -> None:
        data = serializer.validated_data
        if Evidence.objects.filter(claim=data["claim"], url=data["url"]).exists():
            raise ValidationError(
                {"url": ["This claim already has evidence with that URL."]}, code="duplicate_url"
            )
        serializer.instance = services.evidence_add(
            claim=data["claim"],
            url=data["url"],
            stance=data["stance"],
            title=data.get("title", ""),
            publisher=data.get("publisher", ""),
            excerpt=data.get("excerpt", ""),
            language=data.get("language", ""),
            by=self.request.user,
        )

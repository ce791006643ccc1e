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
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.validators import UniqueTogetherValidator

from articles.models import Language
from claims import services
from claims.models import Claim, ClaimSeries, Evidence, verdict_keys
from claims.selectors import (
    claim_for_review,
    claim_list_with_links,
    evidence_list,
    similar_to_claim,
    similar_to_text,
)
from claims.serializers import (
    ClaimPublishSerializer,
    ClaimReasonSerializer,
    ClaimSerializer,
    ClaimVerdictSerializer,
    EvidenceSerializer,
    SeriesLinkSerializer,
    SeriesLinkWriteSerializer,
    SimilarClaimSerializer,
    SimilarLimitSerializer,
    SimilarTextQuerySerializer,
    claim_review_jsonld,
)
from claims.similarity.embedder import EmbedderUnavailable
from core.i18n import reader_language
from core.roles import user_sees_drafts
from integrations.filters import IdFilter, SinceFilter
from integrations.views_base import (
    ConditionalRetrieveMixin,
    StrictBodyMixin,
    conditional_response,
    valid_body,
)


class ServiceUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Similar-claim search cannot run right now; try again later."
    default_code = "service_unavailable"


class ClaimFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    tag = django_filters.CharFilter(field_name="tags__slug", help_text="A tag slug, e.g. energy.")
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices)
    verdict = django_filters.ChoiceFilter(
        choices=[(k, k) for k in verdict_keys()], method="filter_verdict"
    )
    language = django_filters.ChoiceFilter(field_name="article__language", choices=Language.choices)
    article = IdFilter(field_name="article_id")
    updated_since = SinceFilter()

    class Meta:
        model = Claim
        fields = ["tag", "status", "verdict", "language", "article", "updated_since"]

    def filter_verdict(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        # Readers do not see the verdict of a claim under review, so they cannot filter on it
        # either: that would tell them which unpublished claims carry it.
        queryset = queryset.filter(verdict=value)
        if user_sees_drafts(self.request.user if self.request else None):
            return queryset
        return queryset.filter(status=Claim.Status.PUBLISHED)


class ClaimViewSet(
    StrictBodyMixin,
    ConditionalRetrieveMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,  # type: ignore[type-arg]
):
    """Claims with their tags, evidence and data series. Writes need `write:claims`; accepting,
    rejecting, rating, publishing, deleting and linking data series need an editor as well.
    Every write goes through claims.services, like the admin."""

    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["id", "created_at", "updated_at"]
    ordering = ["-id"]
    write_scope = "write:claims"
    # PATCH edits (the span is fixed once created); a PUT of {} answered 200 and changed
    # nothing, so it is not offered
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Claim]:
        if self.action == "similar":
            # the claim and its stored vectors, none of what its detail shows
            return Claim.objects.visible_to(self.request.user).select_related(
                "article", "embedding"
            )
        return claim_list_with_links(user=self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer[Claim]) -> None:
        data = serializer.validated_data
        claim = services.claim_create(
            article=data["article"],
            quote=data["quote"],
            start=data.get("start"),
            end=data.get("end"),
            # written in the language the client reads (?lang= or Accept-Language)
            statement={reader_language(): data.get("statement", "")},
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
            statement=({reader_language(): data["statement"]} if "statement" in data else None),
            tags=data.get("tags"),
            by=self.request.user,
            reason="Edited through the API",
        )
        serializer.instance = claim_list_with_links(user=self.request.user).get(pk=claim.pk)

    def perform_destroy(self, instance: Claim) -> None:
        """Delete a claim never published nor discussed (else: reject it)."""
        services.claim_delete(
            claim=instance, by=self.request.user, reason="Deleted through the API"
        )

    def _refreshed(self, claim: Claim) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=claim.pk)).data)

    @extend_schema(request=ClaimReasonSerializer, responses={200: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Accept a suggested (or rejected) claim; the matcher then looks for data series."""
        claim = self.get_object()
        reason = valid_body(ClaimReasonSerializer(data=request.data)).validated_data["reason"]
        services.claim_set_status(
            claim=claim, status=Claim.Status.ACCEPTED, by=request.user, reason=reason
        )
        return self._refreshed(claim)

    @extend_schema(request=ClaimReasonSerializer, responses={200: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject a claim not yet published (it stays, so it is never suggested again)."""
        claim = self.get_object()
        reason = valid_body(ClaimReasonSerializer(data=request.data)).validated_data["reason"]
        services.claim_set_status(
            claim=claim, status=Claim.Status.REJECTED, by=request.user, reason=reason
        )
        return self._refreshed(claim)

    @extend_schema(request=SeriesLinkWriteSerializer, responses={200: SeriesLinkSerializer})
    @action(detail=True, methods=["post"], url_path="series")
    def link_series(self, request: Request, pk: str | None = None) -> Response:
        """Link a series to the claim (confirmed, by you), with an optional data check
        evaluated at once; a link the matcher suggested becomes this one."""
        claim = self.get_object()
        body = valid_body(SeriesLinkWriteSerializer(data=request.data)).validated_data
        if "series" not in body:
            raise ValidationError({"series": ["This field is required."]})
        link = services.claim_series_add(
            claim=claim,
            series=body["series"],
            by=request.user,
            note=body.get("note", ""),
            assertion=body.get("assertion"),
        )
        return Response(SeriesLinkSerializer(link, context={"request": request}).data)

    @extend_schema(
        methods=["PATCH"], request=SeriesLinkWriteSerializer, responses={200: SeriesLinkSerializer}
    )
    @extend_schema(methods=["DELETE"], request=None, responses={204: None})
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"series/(?P<series_id>\d{1,18})",
    )
    def series_link(self, request: Request, pk: str | None = None, series_id: str = "") -> Response:
        """Change a series link: confirm or reject it (`status`), its note, or its data check
        (`assertion`, null to remove it; a new check is evaluated at once). DELETE removes a
        link added by mistake."""
        claim = self.get_object()
        link = ClaimSeries.objects.filter(claim=claim, series_id=int(series_id)).first()
        if link is None:
            raise Http404
        if request.method == "DELETE":
            services.claim_series_delete(link=link, by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = SeriesLinkWriteSerializer(data=request.data, partial=True)
        body = valid_body(serializer).validated_data
        if "series" in body:
            raise ValidationError({"series": ["A link's series cannot change."]})
        services.claim_series_update(
            link=link,
            by=request.user,
            status=body.get("status"),
            note=body.get("note"),
            assertion=body.get("assertion", services.UNCHANGED_ASSERTION),
        )
        link.refresh_from_db()
        return Response(SeriesLinkSerializer(link, context={"request": request}).data)

    @extend_schema(request=ClaimVerdictSerializer, responses={200: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def verdict(self, request: Request, pk: str | None = None) -> Response:
        """Set or change the verdict (kept in the claim's public changelog with the reason)."""
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
        claim = self.get_object()
        body = valid_body(ClaimPublishSerializer(data=request.data))
        services.claim_publish(
            claim=claim, by=request.user, reason=body.validated_data.get("reason", "")
        )
        claim = self.get_queryset().get(pk=claim.pk)
        return Response(self.get_serializer(claim).data)

    @extend_schema(
        parameters=[SimilarLimitSerializer], responses={200: SimilarClaimSerializer(many=True)}
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def similar(self, request: Request, pk: str | None = None) -> Response:
        """Claims like this one, best first: `same` (probably the same claim, e.g. a
        translation) before `related` (same subject), each by score. Published claims only,
        unless you are an editor. A claim not embedded yet has none."""
        params = SimilarLimitSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        claim = self.get_object()
        found = similar_to_claim(
            claim=claim, user=request.user, limit=params.validated_data["limit"]
        )
        return Response(SimilarClaimSerializer(found, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="claims_similar_to_text",
        parameters=[SimilarTextQuerySerializer],
        responses={200: SimilarClaimSerializer(many=True)},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="similar",
        url_name="similar-text",
        pagination_class=None,
        filterset_class=None,
    )
    def similar_text(self, request: Request) -> Response:
        """ "Has this been checked?": the claims that say what `text` says, in any supported
        language, best first (published claims only, unless you are an editor)."""
        params = SimilarTextQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        try:
            found = similar_to_text(
                text=params.validated_data["text"],
                user=request.user,
                limit=params.validated_data["limit"],
            )
        except EmbedderUnavailable as exc:
            raise ServiceUnavailable() from exc
        return Response(SimilarClaimSerializer(found, many=True, context={"request": request}).data)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def claimreview(self, request: Request, pk: str | None = None) -> Response:
        """schema.org ClaimReview JSON-LD of a published claim."""
        claim = claim_for_review(pk=self.get_object().pk)
        if claim is None:
            raise Http404
        return conditional_response(request, claim_review_jsonld(claim))


class EvidenceFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    claim = IdFilter(field_name="claim_id")
    stance = django_filters.ChoiceFilter(choices=Evidence.Stance.choices)
    updated_since = SinceFilter()

    class Meta:
        model = Evidence
        fields = ["claim", "stance", "updated_since"]


class EvidenceViewSet(
    StrictBodyMixin,
    ConditionalRetrieveMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,  # type: ignore[type-arg]
):
    """Evidence on claims. Adding, correcting and removing evidence needs `write:evidence`;
    a new link is checked and archived by a job (a changed link again)."""

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
        serializer.instance = services.evidence_add(
            claim=data["claim"],
            url=data["url"],
            stance=data["stance"],
            title={reader_language(): data.get("title", "")},
            publisher=data.get("publisher", ""),
            excerpt=data.get("excerpt", ""),
            language=data.get("language", ""),
            by=self.request.user,
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Evidence]) -> None:
        assert serializer.instance is not None
        data = serializer.validated_data
        if "claim" in data and data["claim"].pk != serializer.instance.claim_id:
            raise ValidationError({"claim": ["Evidence stays on its claim; add it to the other."]})
        names = ("url", "stance", "publisher", "excerpt", "language")
        fields: dict[str, Any] = {name: data[name] for name in names if name in data}
        if "title" in data:
            fields["title"] = {reader_language(): data["title"]}
        serializer.instance = services.evidence_update(
            evidence=serializer.instance, by=self.request.user, **fields
        )

    def perform_destroy(self, instance: Evidence) -> None:
        services.evidence_delete(evidence=instance, by=self.request.user)

"""The series catalogue in the API: series, their observations as JSON or CSV, and refresh
jobs (ask for a refresh, then poll the job)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from core.roles import user_is_editor
from energy.models import Series, SeriesRefreshJob
from energy.selectors import series_list, series_observations
from energy.serializers import (
    SeriesObservationsSerializer,
    SeriesRefreshJobSerializer,
    SeriesSerializer,
)
from energy.services import series_refresh_request
from integrations.filters import SinceFilter
from integrations.pagination import ApiCursorPagination
from integrations.permissions import ScopedPermission
from integrations.renderers import ObservationsCSVRenderer
from integrations.views_base import ConditionalRetrieveMixin, JSONErrorsMixin, conditional_response


class SeriesFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    tag = django_filters.CharFilter(field_name="tags__slug", help_text="A tag slug, e.g. energy.")
    source = django_filters.ChoiceFilter(choices=Series.Source.choices)
    region = django_filters.CharFilter()
    updated_since = SinceFilter()

    class Meta:
        model = Series
        fields = ["tag", "source", "region", "updated_since"]


class SeriesViewSet(JSONErrorsMixin, ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The energy-data series catalogue; observations as JSON or CSV."""

    serializer_class = SeriesSerializer
    filterset_class = SeriesFilter
    ordering_fields = ["id", "updated_at"]
    ordering = ["id"]
    write_scopes = {"refresh": "write:claims"}

    def get_queryset(self) -> QuerySet[Series]:
        return series_list()

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE, description="First period included."),
            OpenApiParameter("until", OpenApiTypes.DATE, description="Last period included."),
        ],
        responses={
            (200, "application/json"): SeriesObservationsSerializer,
            (200, "text/csv"): OpenApiResponse(
                response=OpenApiTypes.STR,
                description="period,value,unit,series_id,series,attribution,license",
            ),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONRenderer, ObservationsCSVRenderer, BrowsableAPIRenderer],
        filter_backends=[],
        pagination_class=None,
    )
    def observations(self, request: Request, pk: str | None = None) -> Response:
        """Every observation of the series in period order, with its unit and attribution.
        `?format=csv` (or `Accept: text/csv`) gives CSV."""
        series = self.get_object()
        bounds = _PeriodBounds(data=request.query_params)
        bounds.is_valid(raise_exception=True)
        rows = series_observations(series=series)
        if bounds.validated_data.get("since"):
            rows = rows.filter(period__gte=bounds.validated_data["since"])
        if bounds.validated_data.get("until"):
            rows = rows.filter(period__lte=bounds.validated_data["until"])
        data = SeriesObservationsSerializer({"series": series, "observations": rows}).data
        response = conditional_response(request, data)
        if getattr(request.accepted_renderer, "format", "") == "csv":
            response["Content-Disposition"] = f'attachment; filename="series-{series.pk}.csv"'
        return response

    @extend_schema(request=None, responses={202: SeriesRefreshJobSerializer})
    @action(detail=True, methods=["post"])
    def refresh(self, request: Request, pk: str | None = None) -> Response:
        """Queue a refresh of the series from its source; poll the returned job URL."""
        if not user_is_editor(request.user):
            raise PermissionDenied("Only editors ask for a refresh.")
        (job,) = series_refresh_request(
            series_ids=[self.get_object().pk], requested_by=request.user
        )
        data = SeriesRefreshJobSerializer(job, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class _PeriodBounds(serializers.Serializer[Any]):
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)


class JobViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Jobs you queued (series refreshes), newest first, each with its state: queued, running,
    succeeded, failed. Editors see everyone's."""

    permission_classes = [ScopedPermission, IsAuthenticated]
    serializer_class = SeriesRefreshJobSerializer
    pagination_class = ApiCursorPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[SeriesRefreshJob]:
        if getattr(self, "swagger_fake_view", False):
            return SeriesRefreshJob.objects.none()
        jobs = SeriesRefreshJob.objects.all()
        if not user_is_editor(self.request.user):
            jobs = jobs.filter(requested_by_id=self.request.user.pk)
        return jobs

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        job = self.get_object()
        if job.requested_by_id != request.user.pk and not user_is_editor(request.user):
            raise PermissionDenied
        return Response(self.get_serializer(job).data)

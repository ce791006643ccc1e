"""Admin for the energy-data catalogue: series with their provenance and status, their
observations, refresh jobs, and an action to refresh series now."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from energy.models import Observation, Series, SeriesRefreshJob
from energy.services import series_refresh_request

RECENT_OBSERVATIONS = 12


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin[Series]):
    # Links typed without a scheme are taken as https (the Django 6 default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = (
        "title",
        "source",
        "entity",
        "metric",
        "unit",
        "status",
        "observation_count",
        "retrieved_at",
    )
    list_filter = ("source", "status", "frequency", "region", "tags")
    search_fields = ("title_en", "title_fr", "entity", "metric", "dataset", "keywords", "region")
    readonly_fields = (
        "status",
        "last_error",
        "last_attempt_at",
        "retrieved_at",
        "data_version",
        "http_etag",
        "http_last_modified",
        "catalogue_key",
        "recent_observations",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        # the title in each language, side by side (energy/translation.py)
        (
            None,
            {
                "fields": (
                    ("title_en", "title_fr"),
                    "unit",
                    "frequency",
                    "region",
                    "tags",
                    "keywords",
                )
            },
        ),
        (
            _("Source key"),
            {
                "fields": ("source", "dataset", "entity", "metric", "params"),
                "description": _(
                    "OWID: entity = OWID country name, metric = column. EIA: dataset = route, "
                    "metric = data column, params = frequency and facets. Ember: dataset = "
                    "'<dataset>/<yearly|monthly>', entity = ISO3 code, metric = series name. "
                    "CSV: dataset = the file's URL (or params.url_setting = the name of a "
                    "*_CSV_URL setting that holds it, read at each refresh); params may name "
                    "date_column, value_column and a 'where' filter."
                ),
            },
        ),
        (_("Licence and attribution"), {"fields": ("license", "attribution", "source_url")}),
        (
            _("Provenance and status"),
            {
                "fields": (
                    "status",
                    "last_error",
                    "last_attempt_at",
                    "retrieved_at",
                    "data_version",
                    "http_etag",
                    "http_last_modified",
                    "catalogue_key",
                    "recent_observations",
                )
            },
        ),
    )
    actions: Sequence[Any] | None = ("refresh_now",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Series]:
        return super().get_queryset(request).annotate(n_observations=Count("observations"))

    @admin.display(description=_("observations"), ordering="n_observations")
    def observation_count(self, obj: Series) -> int:
        return getattr(obj, "n_observations", 0)

    @admin.display(description=_("latest observations"))
    def recent_observations(self, obj: Series) -> str:
        rows = obj.observations.order_by("-period")[:RECENT_OBSERVATIONS]
        return (
            format_html_join(
                ", ", "{}: {} {}", ((o.period.isoformat(), o.value, obj.unit) for o in rows)
            )
            or "—"
        )

    @admin.action(description=_("Refresh now from the source"), permissions=["change"])
    def refresh_now(self, request: HttpRequest, queryset: QuerySet[Series]) -> None:
        jobs = series_refresh_request(
            series_ids=list(queryset.values_list("pk", flat=True)), requested_by=request.user
        )
        self.message_user(
            request,
            _(
                "Refresh queued for %(n)d series; follow it under Series refresh jobs, and on "
                "each series' status and last error."
            )
            % {"n": len(jobs)},
            messages.SUCCESS,
        )


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin[Observation]):
    list_display = ("series", "period", "value")
    list_filter = ("series__source",)
    list_select_related = ("series",)
    search_fields = ("series__title_en", "series__title_fr")
    raw_id_fields = ("series",)
    date_hierarchy = "period"


@admin.register(SeriesRefreshJob)
class SeriesRefreshJobAdmin(admin.ModelAdmin[SeriesRefreshJob]):
    list_display = ["series", "status", "requested_by", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["series", "requested_by"]
    readonly_fields = [
        "series",
        "requested_by",
        "status",
        "error",
        "task_id",
        "created_at",
        "started_at",
        "finished_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

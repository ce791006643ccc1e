"""The energy-data catalogue: series pulled from public sources and their observations.

This app knows nothing of claims: when a series' data changes it sends
`energy.signals.series_data_changed`, and whoever cares (the claims' data checks) listens.
The tables keep the names they had when the catalogue lived in the claims app, so moving
the code moved no data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager


class Series(models.Model):
    class Source(models.TextChoices):
        OWID = "owid", _("Our World in Data")
        EIA = "eia", _("US EIA API v2")
        EMBER = "ember", _("Ember")
        CSV = "csv", _("CSV from a URL")

    class Frequency(models.TextChoices):
        ANNUAL = "annual", _("Annual")
        QUARTERLY = "quarterly", _("Quarterly")
        MONTHLY = "monthly", _("Monthly")
        DAILY = "daily", _("Daily")

    class Status(models.TextChoices):
        NEW = "new", _("Never refreshed")
        SNAPSHOT = "snapshot", _("Snapshot shipped with Assay")
        OK = "ok", _("Up to date")
        FAILED = "failed", _("Last refresh failed")

    source = models.CharField(_("source"), max_length=16, choices=Source.choices, db_index=True)
    # The source key: what to ask the source for. OWID: dataset="owid-energy-data",
    # entity="France", metric="nuclear_share_elec". EIA: dataset=route, metric=data column,
    # params={"facets": {...}, "frequency": "annual"}.
    # Ember: dataset="electricity-generation/yearly", entity=ISO3, metric=series name.
    # CSV: dataset=the CSV URL, or params["url_setting"] names the setting that holds it.
    dataset = models.CharField(_("dataset"), max_length=500)
    entity = models.CharField(_("entity"), max_length=200, blank=True)
    metric = models.CharField(_("metric"), max_length=200, blank=True)
    params = models.JSONField(_("extra parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=300)
    unit = models.CharField(_("unit"), max_length=64)
    frequency = models.CharField(
        _("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    region = models.CharField(_("region"), max_length=200, blank=True)
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_("One per line, French and English, used for matching."),
    )
    tags = TaggableManager(blank=True)
    license = models.CharField(_("licence"), max_length=200, blank=True)
    attribution = models.TextField(_("attribution"), blank=True)
    source_url = models.URLField(_("source URL"), max_length=2000, blank=True)
    retrieved_at = models.DateTimeField(_("retrieved at"), null=True, blank=True)
    data_version = models.CharField(
        _("data version"), max_length=200, blank=True, help_text=_("ETag, Last-Modified or sha256.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # HTTP validators of the last payload, sent back as If-None-Match / If-Modified-Since.
    http_etag = models.CharField(_("ETag"), max_length=200, blank=True)
    http_last_modified = models.CharField(_("Last-Modified"), max_length=64, blank=True)
    # Stable identity of a series the demo catalogue seeds, so re-seeding finds it again even
    # after an editor changed its source key (e.g. moved the CSV to another URL).
    catalogue_key = models.SlugField(
        _("catalogue key"), max_length=100, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "claims_series"
        verbose_name_plural = "series"
        ordering = ["source", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "dataset", "entity", "metric"], name="series_unique_source_key"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["owid", "eia", "ember", "csv"]),
                name="series_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.unit})"

    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]


class Observation(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="observations")
    period = models.DateField()
    value = models.FloatField()

    class Meta:
        db_table = "claims_observation"
        ordering = ["series_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["series", "period"], name="observation_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.period}: {self.value}"


class SeriesRefreshJob(models.Model):
    """A refresh of one series requested through the API; clients poll its state."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="refresh_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    error = models.TextField(blank=True)
    # the Celery task that runs it (kept across a redelivery: see core.tasks.rows_claim)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "integrations_seriesrefreshjob"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"refresh of series {self.series_id} ({self.status})"

"""API representations of the series catalogue, observations and refresh jobs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from energy.models import Observation, Series, SeriesRefreshJob
from integrations.serializers import TagListField, absolute


class SeriesSerializer(serializers.ModelSerializer[Series]):
    tags = TagListField(read_only=True)
    source_url = serializers.CharField(read_only=True)
    observations_url = serializers.SerializerMethodField()

    class Meta:
        model = Series
        fields = [
            "id",
            "title",
            "source",
            "dataset",
            "entity",
            "metric",
            "unit",
            "frequency",
            "region",
            "tags",
            "license",
            "attribution",
            "source_url",
            "retrieved_at",
            "data_version",
            "status",
            "updated_at",
            "observations_url",
        ]
        read_only_fields = fields

    def get_observations_url(self, series: Series) -> str:
        path = reverse("api:series-observations", args=[series.pk])
        return absolute(self.context.get("request"), path)


class ObservationSerializer(serializers.ModelSerializer[Observation]):
    class Meta:
        model = Observation
        fields = ["period", "value"]
        read_only_fields = fields


class SeriesHeaderSerializer(serializers.ModelSerializer[Series]):
    source_url = serializers.CharField(read_only=True)

    class Meta:
        model = Series
        fields = ["id", "title", "unit", "frequency", "license", "attribution", "source_url"]
        read_only_fields = fields


class SeriesObservationsSerializer(serializers.Serializer[Any]):
    """The observations of one series with what is needed to cite them."""

    series = SeriesHeaderSerializer()
    observations = ObservationSerializer(many=True)


class SeriesRefreshJobSerializer(serializers.ModelSerializer[SeriesRefreshJob]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = SeriesRefreshJob
        fields = [
            "id",
            "url",
            "series",
            "status",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, job: SeriesRefreshJob) -> str:
        return absolute(self.context.get("request"), reverse("api:job-detail", args=[job.pk]))

"""Serializers for tokens, webhooks and jobs, and the fields the other apps' serializers share."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from integrations.models import (
    ApiToken,
    Scope,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)

TAG_LIST_ATTR = "tag_list"
# Ids are 64-bit: a larger number names no row (and would overflow the database driver).
MAX_ID = 2**63 - 1


class IdRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A row by its id, where the id is a whole number: `1.5`, `true` or `"1.0"` is refused
    (DRF's field would read 1.5 as 1), and so is an id no row could have."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str):
            if not data.strip().isdigit():
                self.fail("incorrect_type", data_type="str")
            data = int(data.strip())
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class TagListField(serializers.ListField):
    """Tags as a list of names, read from the prefetched tags: one query for a whole page.

    Selectors prefetch them into a plain list (`Prefetch("tags", to_attr=TAG_LIST_ATTR)`):
    prefetching into taggit's manager builds a throw-away queryset per row, which costs more
    than the rest of the serialisation on a page of 1,000.
    """

    child = serializers.CharField(max_length=100)

    def get_attribute(self, instance: Any) -> Any:
        if hasattr(instance, TAG_LIST_ATTR):
            return getattr(instance, TAG_LIST_ATTR)
        return instance.tags.all()

    def to_representation(self, data: Any) -> list[str]:
        return sorted(tag.name for tag in data)


class ErrorSerializer(serializers.Serializer[Any]):
    """The one shape of every API error."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(required=False)  # type: ignore[assignment]  # a field named like Serializer.errors, as the error shape says
    request_id = serializers.CharField()


def absolute(request: Request | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=Scope.choices), allow_empty=False
    )
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "scopes",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "is_active",
        ]
        read_only_fields = ["id", "prefix", "created_at", "revoked_at", "last_used_at"]


class IssuedTokenSerializer(ApiTokenSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="The token itself. Shown once: store it now."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "secret"]


class WebhookSubscriptionSerializer(serializers.ModelSerializer[WebhookSubscription]):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), allow_empty=False
    )

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "target_url",
            "events",
            "description",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class NewWebhookSubscriptionSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="The HMAC-SHA256 signing key. Shown once: store it now."
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]


class WebhookAttemptSerializer(serializers.ModelSerializer[WebhookAttempt]):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "started_at", "duration_ms", "status_code", "error"]
        read_only_fields = fields


class WebhookDeliverySerializer(serializers.ModelSerializer[WebhookDelivery]):
    attempts = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event",
            "payload",
            "status",
            "attempt_count",
            "last_status_code",
            "error",
            "created_at",
            "delivered_at",
            "attempts",
        ]
        read_only_fields = fields

"""Admin for tokens (created and revoked here, secret shown once), webhooks and their log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from integrations import services
from integrations.models import (
    ApiToken,
    Scope,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)


class ApiTokenForm(forms.ModelForm[ApiToken]):
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple, initial=[Scope.READ]
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scopes", "expires_at"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user, scopes = data.get("user"), data.get("scopes")
        if self.instance.pk is None and user is not None and scopes:
            refused = set(scopes) - services.grantable_scopes(user)
            if refused:
                raise forms.ValidationError(
                    f"{user} may not hold: {', '.join(sorted(refused))} "
                    "(give them the matching permission or the Editor group first)."
                )
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    form = ApiTokenForm
    list_display = [
        "name",
        "user",
        "prefix",
        "scope_list",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["revoked_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is None:
            return ["user", "name", "scopes", "expires_at"]
        return [
            "user",
            "name",
            "prefix",
            "scopes",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        if obj is None:
            return []
        # A token's powers are fixed when it is issued: issue a new one instead.
        return ["user", "prefix", "scopes", "created_at", "revoked_at", "last_used_at"]

    @admin.display(description="scopes")
    def scope_list(self, token: ApiToken) -> str:
        return ", ".join(token.scopes)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            services.token_update(
                token=ApiToken.objects.get(pk=obj.pk),
                name=form.cleaned_data["name"],
                expires_at=form.cleaned_data.get("expires_at"),
            )
            return
        issued = services.token_create(
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data.get("expires_at"),
        )
        obj.pk = issued.token.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            f"Token created. Copy it now, it will not be shown again: {issued.secret}",
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = services.tokens_revoke(token_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} token(s) revoked (with those created with them).")


class WebhookSubscriptionForm(forms.ModelForm[WebhookSubscription]):
    target_url = forms.URLField(max_length=2000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ["owner", "target_url", "events", "description", "is_active"]

    def clean_target_url(self) -> str:
        from integrations.outbound import OutboundURLError, check_outbound_url

        url = self.cleaned_data["target_url"]
        try:
            check_outbound_url(url)
        except OutboundURLError as exc:
            raise forms.ValidationError(str(exc)) from None
        return str(url)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin[WebhookSubscription]):
    form = WebhookSubscriptionForm
    list_display = ["target_url", "owner", "event_list", "is_active", "created_at"]
    list_filter = ["is_active"]
    list_select_related = ["owner"]
    search_fields = ["target_url", "owner__username", "description"]
    autocomplete_fields = ["owner"]

    @admin.display(description="events")
    def event_list(self, subscription: WebhookSubscription) -> str:
        return ", ".join(subscription.events)

    def save_model(
        self, request: HttpRequest, obj: WebhookSubscription, form: Any, change: bool
    ) -> None:
        if change:
            services.webhook_subscription_update(
                subscription=obj,
                target_url=form.cleaned_data["target_url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
                is_active=form.cleaned_data["is_active"],
            )
            return
        created = services.webhook_subscription_create(
            owner=form.cleaned_data["owner"],
            target_url=form.cleaned_data["target_url"],
            events=form.cleaned_data["events"],
            description=form.cleaned_data["description"],
        )
        obj.pk = created.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            f"Subscription created. Its signing secret (shown once): {created.secret}",
        )


class WebhookAttemptInline(admin.TabularInline[WebhookAttempt, WebhookDelivery]):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("number", "started_at", "duration_ms", "status_code", "error", "response_excerpt")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = [
        "event",
        "subscription",
        "status",
        "attempt_count",
        "last_status_code",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["status", "event"]
    list_select_related = ["subscription"]
    readonly_fields = [
        "subscription",
        "event_id",
        "event",
        "payload",
        "status",
        "attempt_count",
        "last_status_code",
        "created_at",
        "delivered_at",
    ]
    inlines = [WebhookAttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Deliver again (failed deliveries)")
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        n = services.webhook_deliveries_redeliver(deliveries=queryset)
        self.message_user(request, f"{n} delivery(ies) queued again.")

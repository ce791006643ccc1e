"""Admin for claims, evidence, series links and the topic lexicon."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.models import Claim, ClaimSeries, Evidence, Topic, verdict_choices
from energy.admin import SeriesAdmin
from energy.models import Series

VERDICT_FIELDS = ("verdict", "verdict_summary", "verdict_as_of")


def _tag_names(obj: Any) -> str:
    return ", ".join(sorted(tag.name for tag in obj.tags.all()))


# Links typed without a scheme are taken as https (Django 6 default).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class LinkHealthFilter(admin.SimpleListFilter):
    title = _("link health")
    parameter_name = "link"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("broken", _("Broken")),
            ("ok", _("OK")),
            ("unchecked", _("Not checked yet")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        prefix = "" if queryset.model is Evidence else "evidence__"
        value = self.value()
        if value == "broken":
            return queryset.filter(**{f"{prefix}ok": False}).distinct()
        if value == "ok":
            return queryset.filter(**{f"{prefix}ok": True}).distinct()
        if value == "unchecked":
            return queryset.filter(**{f"{prefix}ok__isnull": True}).distinct()
        return queryset


def _add_evidence_through_service(request: HttpRequest, evidence: Evidence) -> Evidence:
    """New evidence from an admin form goes through evidence_add, which queues the link check
    (and tells subscribers); the form has already validated the fields and uniqueness."""
    return services.evidence_add(
        claim=evidence.claim,
        url=evidence.url,
        stance=evidence.stance,
        title=evidence.title,
        publisher=evidence.publisher,
        excerpt=evidence.excerpt,
        language=evidence.language,
        by=request.user,
    )


class VerdictFilter(admin.SimpleListFilter):
    title = _("verdict")
    parameter_name = "verdict"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("none", _("Not rated yet")), *verdict_choices()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "none":
            return queryset.filter(verdict="")
        if value:
            return queryset.filter(verdict=value)
        return queryset


class EvidenceInline(admin.StackedInline):
    formfield_overrides = URL_FIELD_OVERRIDES
    model = Evidence
    extra = 0
    fields = (
        ("url", "stance", "language"),
        ("title", "publisher"),
        "excerpt",
        ("link_health", "last_checked_at", "http_status", "check_error"),
        ("archived_at", "archived_sha256"),
    )
    readonly_fields = (
        "link_health",
        "last_checked_at",
        "http_status",
        "check_error",
        "archived_at",
        "archived_sha256",
    )

    @admin.display(description=_("link"))
    def link_health(self, obj: Evidence) -> str:
        return _link_health_label(obj)


class ClaimSeriesInline(admin.TabularInline):
    formfield_overrides = URL_FIELD_OVERRIDES
    model = ClaimSeries
    extra = 0
    fields = (
        "series",
        "origin",
        "status",
        "match_score",
        "match_reasons",
        "confirmed_by",
        "assertion_operator",
        "assertion_threshold",
        "assertion_period_start",
        "assertion_period_end",
        "assertion_result",
        "assertion_drifted",
        "note",
    )
    readonly_fields = (
        "origin",
        "match_score",
        "match_reasons",
        "confirmed_by",
        "assertion_result",
        "assertion_drifted",
    )
    autocomplete_fields = ("series",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClaimSeries]:
        return super().get_queryset(request).select_related("series", "confirmed_by")


def _link_health_label(obj: Evidence) -> str:
    if obj.ok is None:
        return str(_("not checked"))
    if obj.ok:
        return f"OK ({obj.http_status})" if obj.http_status else "OK"
    detail = obj.http_status or obj.check_error or ""
    return f"{_('BROKEN')} {detail}".strip()


class VerdictForm(forms.ModelForm):
    verdict = forms.ChoiceField(
        label=_("Verdict"), required=False, choices=lambda: [("", "---------"), *verdict_choices()]
    )
    change_reason = forms.CharField(
        label=_("Why (shown in the public changelog)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Claim
        fields = (
            "article",
            "status",
            "assignee",
            "tags",
            "quote",
            "start",
            "end",
            "statement",
            "verdict",
            "verdict_as_of",
            "verdict_summary",
            "reviewer",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        instance = self.instance
        verdict_changed = instance.pk is not None and any(
            field in self.changed_data for field in VERDICT_FIELDS
        )
        if data.get("status") == Claim.Status.PUBLISHED and not (
            data.get("verdict") and data.get("verdict_summary") and data.get("verdict_as_of")
        ):
            self.add_error(
                "status", _("Set a verdict with a summary and a date before publishing.")
            )
        if verdict_changed and data.get("verdict") and data.get("status") == Claim.Status.REJECTED:
            self.add_error("verdict", _("A rejected claim cannot be rated; accept it first."))
        if verdict_changed and data.get("verdict") and not data.get("change_reason", "").strip():
            self.add_error("change_reason", _("Say why the verdict is set or changed."))
        if verdict_changed and data.get("verdict") and not data.get("verdict_summary", "").strip():
            self.add_error("verdict_summary", _("A verdict needs a summary."))
        return data


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    form = VerdictForm
    list_display = (
        "short_quote",
        "article_title",
        "status",
        "verdict_display",
        "assignee",
        "anchor_status",
        "check_worthiness",
        "tag_list",
        "evidence_count",
        "broken_links",
        "updated_at",
    )
    list_filter = (
        "status",
        VerdictFilter,
        "anchor_status",
        "tags",
        ("assignee", admin.RelatedOnlyFieldListFilter),
        "article__language",
        LinkHealthFilter,
    )
    list_select_related = ("article", "assignee")
    search_fields = ("quote", "statement", "article__title", "verdict_summary")
    autocomplete_fields = ("article",)
    readonly_fields = (
        "anchor_status",
        "check_worthiness",
        "published_at",
        "created_by",
        "created_at",
        "updated_at",
    )
    inlines = (EvidenceInline, ClaimSeriesInline)
    actions = (
        "accept_claims",
        "reject_claims",
        "publish_claims",
        "confirm_series",
        "attach_series",
    )
    fieldsets = (
        (None, {"fields": ("article", ("status", "assignee"), "tags")}),
        (
            _("Span"),
            {"fields": ("quote", ("start", "end"), "anchor_status", "check_worthiness")},
        ),
        (_("Statement"), {"fields": ("statement",)}),
        (
            _("Verdict"),
            {
                "fields": (
                    ("verdict", "verdict_as_of"),
                    "verdict_summary",
                    "change_reason",
                    "reviewer",
                )
            },
        ),
        (
            _("Record"),
            {
                "classes": ("collapse",),
                "fields": ("created_by", "published_at", "created_at", "updated_at"),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                evidence_total=Count("evidence", distinct=True),
                broken_total=Count("evidence", filter=Q(evidence__ok=False), distinct=True),
            )
            .prefetch_related("tags")
        )

    def save_model(self, request: HttpRequest, obj: Claim, form: Any, change: bool) -> None:
        reason = form.cleaned_data.get("change_reason", "").strip()
        verdict_changed = bool(set(VERDICT_FIELDS) & set(form.changed_data))
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        if obj.status == Claim.Status.PUBLISHED and obj.published_at is None:
            obj.published_at = timezone.now()
        if not (change and verdict_changed and obj.verdict):
            obj._change_reason = reason or (  # type: ignore[attr-defined]
                "Edited in admin" if change else "Created in admin"
            )
            super().save_model(request, obj, form, change)
            return
        # A new verdict goes through the same service as everywhere else, so the history row
        # that records it carries the editor's reason; other edits are saved first.
        rated = {name: getattr(obj, name) for name in VERDICT_FIELDS}
        for name in VERDICT_FIELDS:
            setattr(obj, name, form.initial.get(name) or ("" if name != "verdict_as_of" else None))
        other_changes = set(form.changed_data) - {*VERDICT_FIELDS, "change_reason", "reviewer"}
        if other_changes:
            obj._change_reason = "Edited in admin"  # type: ignore[attr-defined]
            super().save_model(request, obj, form, change)
        services.claim_set_verdict(
            claim=obj,
            verdict=rated["verdict"],
            summary=rated["verdict_summary"],
            as_of=rated["verdict_as_of"],
            by=request.user,
            reason=reason,
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in ("assignee", "reviewer") and field is not None:
            # Claims are handed to staff; a plain list of them needs no permission to browse
            # user accounts (which an autocomplete would).
            field.queryset = field.queryset.filter(is_staff=True, is_active=True).order_by(
                "username"
            )
        return field

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Evidence:
            super().save_formset(request, form, formset, change)
            return
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for evidence in instances:
            if evidence.pk is None:
                _add_evidence_through_service(request, evidence)
            else:
                evidence.save()

    @admin.display(description=_("article"), ordering="article__title")
    def article_title(self, obj: Claim) -> str:
        title = obj.article.title
        return title if len(title) <= 40 else title[:37] + "..."

    @admin.display(description=_("verdict"), ordering="verdict")
    def verdict_display(self, obj: Claim) -> str:
        return str(obj.verdict_label) if obj.verdict else "-"

    @admin.display(description=_("quote"), ordering="start")
    def short_quote(self, obj: Claim) -> str:
        return str(obj)

    @admin.display(description=_("tags"))
    def tag_list(self, obj: Claim) -> str:
        return _tag_names(obj)

    @admin.display(description=_("evidence"), ordering="evidence_total")
    def evidence_count(self, obj: Claim) -> int:
        return int(getattr(obj, "evidence_total", 0))

    @admin.display(description=_("broken links"), ordering="broken_total")
    def broken_links(self, obj: Claim) -> str:
        broken = int(getattr(obj, "broken_total", 0))
        return format_html("<strong>{}</strong>", broken) if broken else "0"

    def _report(self, request: HttpRequest, done: int, skipped: int, verb: str) -> None:
        self.message_user(
            request,
            ngettext("%(n)d claim %(verb)s.", "%(n)d claims %(verb)s.", done)
            % {"n": done, "verb": verb},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d claim skipped: its status does not allow it.",
                    "%(n)d claims skipped: their status does not allow it.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )

    @admin.action(
        description=_("Suggest data series for the selected claims"), permissions=["change"]
    )
    def attach_series(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        n = services.claims_attach_queue(claim_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request, _("Matching queued for %(n)d claim(s).") % {"n": n}, messages.SUCCESS
        )

    @admin.action(description=_("Accept selected claims"), permissions=["change"])
    def accept_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        done, skipped = services.claims_accept(claims=queryset, by=request.user)
        self._report(request, len(done), len(skipped), str(_("accepted")))

    @admin.action(description=_("Reject selected claims"), permissions=["change"])
    def reject_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        done, skipped = services.claims_reject(claims=queryset, by=request.user)
        self._report(request, len(done), len(skipped), str(_("rejected")))

    @admin.action(description=_("Confirm the suggested series links"), permissions=["change"])
    def confirm_series(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        links = ClaimSeries.objects.filter(
            claim__in=queryset, status=ClaimSeries.Status.SUGGESTED
        ).select_related("claim")
        n = services.claim_series_confirm(links=links, by=request.user)
        self.message_user(
            request, _("%(n)d series link(s) confirmed.") % {"n": n}, messages.SUCCESS
        )

    @admin.action(description=_("Publish selected claims (rated ones)"), permissions=["change"])
    def publish_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        published = 0
        for claim in queryset:
            try:
                services.claim_publish(claim=claim, by=request.user)
                published += 1
            except ValidationError as exc:
                self.message_user(request, f"{claim}: {' '.join(exc.messages)}", messages.WARNING)
        self._report(request, published, 0, str(_("published")))


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = (
        "__str__",
        "claim",
        "stance",
        "publisher",
        "link_health",
        "http_status",
        "last_checked_at",
        "archived_at",
    )
    list_filter = (LinkHealthFilter, "stance", "language")
    list_select_related = ("claim",)
    search_fields = ("url", "title", "publisher", "excerpt")
    autocomplete_fields = ("claim",)
    readonly_fields = (
        "added_by",
        "last_checked_at",
        "http_status",
        "ok",
        "check_error",
        "archived_text",
        "archived_sha256",
        "archived_at",
        "created_at",
        "updated_at",
    )

    actions = ("check_links",)

    def save_model(self, request: HttpRequest, obj: Evidence, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.pk = _add_evidence_through_service(request, obj).pk

    @admin.action(description=_("Check the selected links now"), permissions=["change"])
    def check_links(self, request: HttpRequest, queryset: QuerySet[Evidence]) -> None:
        n = services.evidence_checks_queue(evidence_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(n)d link check(s) queued.") % {"n": n})

    @admin.display(description=_("link"), ordering="ok")
    def link_health(self, obj: Evidence) -> str:
        label = _link_health_label(obj)
        if obj.ok is False:
            return format_html('<strong class="errornote">{}</strong>', label)
        return label


@admin.register(ClaimSeries)
class ClaimSeriesAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = (
        "claim",
        "series",
        "origin",
        "status",
        "match_score",
        "assertion_result",
        "assertion_drifted",
        "confirmed_by",
    )
    list_filter = ("status", "origin", "assertion_result", "assertion_drifted")
    list_select_related = ("claim", "series", "confirmed_by")
    search_fields = ("claim__quote", "series__title", "note")
    autocomplete_fields = ("claim", "series")
    readonly_fields = (
        "confirmed_by",
        "match_score",
        "match_reasons",
        "assertion_result",
        "assertion_value",
        "assertion_checked_at",
        "confirmed_at",
        "created_at",
        "updated_at",
    )
    actions = ("confirm_links", "reject_links")

    @admin.action(description=_("Confirm selected series links"), permissions=["change"])
    def confirm_links(self, request: HttpRequest, queryset: QuerySet[ClaimSeries]) -> None:
        n = services.claim_series_confirm(links=queryset, by=request.user)
        self.message_user(request, _("%(n)d link(s) confirmed.") % {"n": n}, messages.SUCCESS)

    @admin.action(description=_("Reject selected series links"), permissions=["change"])
    def reject_links(self, request: HttpRequest, queryset: QuerySet[ClaimSeries]) -> None:
        n = services.claim_series_reject(links=queryset, by=request.user)
        self.message_user(request, _("%(n)d link(s) rejected.") % {"n": n}, messages.SUCCESS)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ("name", "slug", "keyword_count")
    search_fields = ("name", "slug", "keywords")
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description=_("keywords"))
    def keyword_count(self, obj: Topic) -> int:
        return len(obj.keyword_list())


class SeriesWithClaimsAdmin(SeriesAdmin):
    """The catalogue's admin, with what only the claims app knows: matching claims to series.
    (The energy app knows nothing of claims; this app extends its admin instead.)"""

    actions = (*SeriesAdmin.actions, "suggest_for_claims")

    @admin.action(description=_("Suggest series for all claims now"), permissions=["change"])
    def suggest_for_claims(self, request: HttpRequest, queryset: QuerySet[Series]) -> None:
        """After adding or editing series: run the matcher over every claim still in play."""
        services.claims_attach_all_queue()
        self.message_user(
            request,
            _("Matching queued for every claim; new suggestions appear on the claims."),
            messages.SUCCESS,
        )


admin.site.unregister(Series)
admin.site.register(Series, SeriesWithClaimsAdmin)

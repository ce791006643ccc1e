"""Admin for claims, evidence, series links and the topic lexicon."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.models import (
    Claim,
    ClaimEmbedding,
    ClaimLink,
    ClaimSeries,
    Evidence,
    Topic,
    verdict_choices,
)
from claims.selectors import evidence_attention_reasons, evidence_needing_attention
from claims.services.similarity import text_hash
from claims.similarity.embedder import get_embedder
from claims.topics import read_keyword_lines
from core.i18n import columns, languages
from energy.admin import SeriesAdmin
from energy.models import Series

# the summary in each language (verdict_summary_en, _fr) counts as a change of the verdict
VERDICT_FIELDS = ("verdict", *columns("verdict_summary"), "verdict_as_of")


def _texts(data: dict[str, Any], field: str, changed: set[str] | None = None) -> dict[str, str]:
    """{language: text} of a translated field from a form's cleaned data (only the languages
    that changed, when `changed` is given)."""
    return {
        code: data.get(column) or ""
        for code, column in zip(languages(), columns(field), strict=True)
        if column in data and (changed is None or column in changed)
    }


def _tag_names(obj: Any) -> str:
    return ", ".join(sorted(tag.name for tag in obj.tags.all()))


# Links typed without a scheme are taken as https (Django 6 default).
URL_FIELD_OVERRIDES: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class LinkHealthFilter(admin.SimpleListFilter):
    title = _("link health")
    parameter_name = "link"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
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


class NeedsAttentionFilter(admin.SimpleListFilter):
    """Evidence to fix before readers see it: untitled, or its last link check broken."""

    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("yes", _("Untitled or broken link")), ("no", _("Nothing to fix"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(evidence_needing_attention())
        if self.value() == "no":
            return queryset.exclude(evidence_needing_attention())
        return queryset


def _evidence_fields(form: Any) -> dict[str, Any]:
    """The evidence fields an editor changed in a form, for evidence_update."""
    names = ("url", "stance", "publisher", "excerpt", "language")
    fields: dict[str, Any] = {
        name: form.cleaned_data[name] for name in names if name in form.changed_data
    }
    titles = _texts(form.cleaned_data, "title", set(form.changed_data))
    if titles:
        fields["title"] = titles
    return fields


def _evidence_save(request: HttpRequest, form: Any, evidence: Evidence) -> Evidence:
    """An evidence row saved in admin (its own page or a claim's inline) goes through the
    services: evidence_add queues the link check and tells subscribers; evidence_update checks
    a changed link again."""
    if evidence.pk is None:
        return services.evidence_add(
            claim=evidence.claim,
            url=evidence.url,
            stance=evidence.stance,
            title=_texts(form.cleaned_data, "title"),
            publisher=evidence.publisher,
            excerpt=evidence.excerpt,
            language=evidence.language,
            by=request.user,
        )
    current = Evidence.objects.get(pk=evidence.pk)
    return services.evidence_update(evidence=current, by=request.user, **_evidence_fields(form))


def _evidence_attention_warn(request: HttpRequest, evidence: Evidence) -> None:
    """Tell the editor at once when the evidence just saved would reach readers untitled or
    with a broken link (as the link check last found it)."""
    evidence.refresh_from_db()
    reasons = evidence_attention_reasons(evidence)
    if reasons:
        messages.warning(
            request,
            _("Evidence “%(url)s” needs attention before readers see it: %(reasons)s.")
            % {"url": evidence.url, "reasons": "; ".join(reasons)},
        )


def _series_link_save(request: HttpRequest, claim: Claim, form: Any) -> ClaimSeries:
    """A series link saved in the claim's inline or on its own page: added by an editor
    (confirmed, with its data check evaluated at once) or changed through the services that
    record who confirmed it and when."""
    data, changed = form.cleaned_data, set(form.changed_data)
    assertion = form.assertion()
    if form.instance.pk is None:
        return services.claim_series_add(
            claim=claim,
            series=data["series"],
            by=request.user,
            note=data.get("note") or "",
            assertion=assertion,
        )
    link = ClaimSeries.objects.get(pk=form.instance.pk)
    assertion_fields = {f for f in changed if f.startswith("assertion_")}
    return services.claim_series_update(
        link=link,
        by=request.user,
        status=data.get("status") if "status" in changed else None,
        note=data.get("note") if "note" in changed else None,
        assertion=assertion if assertion_fields else services.UNCHANGED_ASSERTION,
    )


class VerdictFilter(admin.SimpleListFilter):
    title = _("verdict")
    parameter_name = "verdict"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("none", _("Not rated yet")), *verdict_choices()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "none":
            return queryset.filter(verdict="")
        if value:
            return queryset.filter(verdict=value)
        return queryset


def _pending_links() -> QuerySet[ClaimLink]:
    """Suggested same-claim links an editor has yet to confirm or reject (a rejected claim is
    never matched: its links wait for nobody)."""
    return (
        ClaimLink.objects.filter(status=ClaimLink.Status.SUGGESTED)
        .exclude(claim__status=Claim.Status.REJECTED)
        .exclude(other__status=Claim.Status.REJECTED)
    )


class UnreviewedMatchFilter(admin.SimpleListFilter):
    title = _("same-claim matches")
    parameter_name = "matches"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("unreviewed", _("Has unreviewed matches")), ("family", _("In a family"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "unreviewed":
            pending = _pending_links()
            return queryset.filter(
                Q(pk__in=pending.values("claim_id")) | Q(pk__in=pending.values("other_id"))
            )
        if self.value() == "family":
            return queryset.exclude(family=None)
        return queryset


class EvidenceInline(admin.StackedInline[Evidence, Claim]):
    formfield_overrides = URL_FIELD_OVERRIDES
    model = Evidence
    extra = 0
    fields = (
        ("url", "stance", "language"),
        ("title_en", "title_fr"),
        "publisher",
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


class ClaimSeriesInlineForm(forms.ModelForm[ClaimSeries]):
    class Meta:
        model = ClaimSeries
        fields = (
            "series",
            "status",
            "note",
            "assertion_operator",
            "assertion_threshold",
            "assertion_period_start",
            "assertion_period_end",
        )

    def assertion(self) -> services.Assertion | None:
        data = self.cleaned_data
        if not data.get("assertion_operator"):
            return None
        return services.Assertion(
            operator=data["assertion_operator"],
            threshold=data["assertion_threshold"],
            period_start=data.get("assertion_period_start"),
            period_end=data.get("assertion_period_end"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("assertion_operator") and data.get("assertion_threshold") is None:
            self.add_error("assertion_threshold", _("A data check needs a threshold."))
            return data
        try:
            services.assertion_check(self.assertion())
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages_)
        return data

    def _post_clean(self) -> None:
        # The row is saved by the series-link services (ClaimAdmin.save_formset), which check it;
        # the model's own validation would run on values those services then change.
        pass


class ClaimSeriesInline(admin.StackedInline[ClaimSeries, Claim]):
    """Series links, one block each (a table of 13 columns made the page 2,600 px wide)."""

    form = ClaimSeriesInlineForm
    model = ClaimSeries
    extra = 0
    fieldsets = (
        (None, {"fields": (("series", "status"), ("origin_and_score", "confirmation"), "note")}),
        (
            _("Data check"),
            {
                "fields": (
                    ("assertion_operator", "assertion_threshold"),
                    ("assertion_period_start", "assertion_period_end"),
                    "assertion_state",
                )
            },
        ),
    )
    readonly_fields = ("origin_and_score", "confirmation", "assertion_state")
    autocomplete_fields = ("series",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClaimSeries]:
        return super().get_queryset(request).select_related("series", "confirmed_by")

    @admin.display(description=_("origin"))
    def origin_and_score(self, obj: ClaimSeries) -> str:
        if obj.pk is None:
            return "—"
        score = f" ({obj.match_score:.2f}: {obj.match_reasons})" if obj.match_score else ""
        return f"{obj.get_origin_display()}{score}"

    @admin.display(description=_("confirmed"))
    def confirmation(self, obj: ClaimSeries) -> str:
        if obj.confirmed_at is None:
            return "—"
        who = obj.confirmed_by.get_username() if obj.confirmed_by else "?"
        return f"{who}, {obj.confirmed_at:%Y-%m-%d %H:%M}"

    @admin.display(description=_("result"))
    def assertion_state(self, obj: ClaimSeries) -> str:
        if not obj.assertion_result:
            return "—"
        drift = f" — {_('drifted since confirmed')}" if obj.assertion_drifted else ""
        return f"{obj.get_assertion_result_display()}{drift}"


def _link_health_label(obj: Evidence) -> str:
    if obj.ok is None:
        return str(_("not checked"))
    if obj.ok:
        return f"OK ({obj.http_status})" if obj.http_status else "OK"
    detail = obj.http_status or obj.check_error or ""
    return f"{_('BROKEN')} {detail}".strip()


class VerdictForm(forms.ModelForm[Claim]):
    # a new claim's end follows from its start and quote; its start from the quote when the
    # quote occurs once (clean() fills both, or says which is missing)
    start = forms.IntegerField(label=_("start offset"), required=False, min_value=0)
    end = forms.IntegerField(label=_("end offset"), required=False, min_value=1)
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
            *columns("statement"),
            "verdict",
            "verdict_as_of",
            *columns("verdict_summary"),
            "reviewer",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        claim = self.instance  # still as stored: the form's values are applied after clean()
        if claim.pk is None:
            self._check_new_span(data)
        verdict_changed = (claim.pk is None and bool(data.get("verdict"))) or (
            claim.pk is not None and any(field in self.changed_data for field in VERDICT_FIELDS)
        )
        if verdict_changed and claim.pk is not None and not data.get("verdict"):
            self.add_error("verdict", _("A verdict can be changed but not removed."))
        if verdict_changed and data.get("verdict"):
            if not (data.get("change_reason") or "").strip():
                self.add_error("change_reason", _("Say why the verdict is set or changed."))
            if not any(text.strip() for text in _texts(data, "verdict_summary").values()):
                self.add_error(columns("verdict_summary")[0], _("A verdict needs a summary."))
            if data.get("status") == Claim.Status.REJECTED:
                self.add_error("verdict", _("A rejected claim cannot be rated; accept it first."))
        status = data.get("status")
        publishing = status == Claim.Status.PUBLISHED and (
            "status" in self.changed_data or verdict_changed
        )
        if publishing and not (
            data.get("verdict")
            and any(_texts(data, "verdict_summary").values())
            and data.get("verdict_as_of")
        ):
            self.add_error(
                "status", _("Set a verdict with a summary and a date before publishing.")
            )
        elif claim.pk is not None and status and "status" in self.changed_data:
            # a verdict set in the same save moves the claim to "in review" first
            before = claim.status
            if verdict_changed and before in services.claims.REVIEWABLE_FROM:
                before = Claim.Status.IN_REVIEW
            try:
                services.claim_status_check(claim=Claim(status=before), to=status)
            except ValidationError as error:
                self.add_error("status", error.message_dict["status"])
        return data

    def _check_new_span(self, data: dict[str, Any]) -> None:
        article, quote = data.get("article"), data.get("quote") or ""
        if article is None or not quote:
            return
        if data.get("start") is None:
            found = services.quote_occurrences(article.body, quote)
            if not found:
                self.add_error("quote", _("The quote does not occur in the article text."))
            elif len(found) > 1:
                self.add_error(
                    "start",
                    _(
                        "The quote occurs %(n)d times in the text (at %(offsets)s): give the "
                        "start offset of the one you mean."
                    )
                    % {"n": len(found), "offsets": ", ".join(map(str, found[:10]))},
                )
            else:
                data["start"] = found[0]
        if data.get("start") is not None and data.get("end") is None:
            data["end"] = data["start"] + len(quote)

    def _post_clean(self) -> None:
        # The claim is written by the services (ClaimAdmin.save_model), which check the span
        # against the text and every rule of the workflow; the model's own validation would
        # run on half-applied values first.
        pass


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple-history ships no types
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
        UnreviewedMatchFilter,
    )
    list_select_related = ("article", "assignee")
    search_fields = (
        "quote",
        *columns("statement"),
        "article__title",
        *columns("verdict_summary"),
    )
    autocomplete_fields = ("article",)
    readonly_fields = (
        "anchor_status",
        "check_worthiness",
        "similarity_index",
        "published_at",
        "created_by",
        "created_at",
        "updated_at",
    )
    inlines = (EvidenceInline, ClaimSeriesInline)
    change_form_template = "admin/claims/claim/change_form.html"
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
            {
                "fields": (
                    "quote",
                    ("start", "end"),
                    ("anchor_status", "check_worthiness"),
                    "similarity_index",
                )
            },
        ),
        # each language next to the other, so a translation is checked against its original
        (_("Statement"), {"fields": (tuple(columns("statement")),)}),
        (
            _("Verdict"),
            {
                "fields": (
                    ("verdict", "verdict_as_of"),
                    tuple(columns("verdict_summary")),
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
        claims: QuerySet[Claim] = Claim.objects.annotate(
            evidence_total=Count("evidence", distinct=True),
            broken_total=Count("evidence", filter=Q(evidence__ok=False), distinct=True),
        ).prefetch_related("tags")  # type: ignore[misc]  # taggit managers are prefetchable
        return claims

    @admin.display(description=_("similar-claim index"))
    def similarity_index(self, obj: Claim) -> str:
        if obj.pk is None:
            return "—"
        embedding = ClaimEmbedding.objects.filter(claim=obj).first()
        if embedding is None:
            return str(_("Not indexed yet: the embedding job has not run, or is retrying."))
        if embedding.text_hash != text_hash(quote=obj.quote, statement=obj.matching_statement()):
            return str(_("Not indexed yet: the text changed since; the job will embed it."))
        if embedding.model_version != get_embedder().version:
            return str(_("Not indexed yet: embedded by another model (run reindex_claims)."))
        return str(_("Indexed (%(model)s, %(when)s)")) % {
            "model": embedding.model_version,
            "when": f"{embedding.updated_at:%Y-%m-%d %H:%M}",
        }

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/matches/",
                wrap(self.match_view),
                name="claims_claim_match",
            ),
            path(
                "<path:object_id>/family-verdict/",
                wrap(self.family_verdict_view),
                name="claims_claim_family_verdict",
            ),
            *super().get_urls(),
        ]

    def _claim_for_post(self, request: HttpRequest, object_id: str) -> Claim:
        if request.method != "POST":
            raise Http404
        claim = get_object_or_404(Claim.objects.select_related("article"), pk=object_id)
        if not self.has_change_permission(request, claim):
            raise Http404
        return claim

    def match_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The confirm / reject buttons of a same-claim candidate (they post the change form
        here: `decision` is "confirm:<id>" or "reject:<id>")."""
        claim = self._claim_for_post(request, object_id)
        decision, _sep, other_id = request.POST.get("decision", "").partition(":")
        other = Claim.objects.filter(pk=other_id).first() if other_id.isdigit() else None
        if other is None or decision not in ("confirm", "reject"):
            self.message_user(request, _("Nothing to do: no such candidate."), messages.ERROR)
        else:
            try:
                if decision == "confirm":
                    services.claim_link_confirm(claim=claim, other=other, by=request.user)
                    done = _("Confirmed: claim %(id)d is the same claim.")
                else:
                    services.claim_link_reject(claim=claim, other=other, by=request.user)
                    done = _("Rejected: claim %(id)d is not the same claim.")
                self.message_user(request, done % {"id": other.pk}, messages.SUCCESS)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        return HttpResponseRedirect(
            reverse("admin:claims_claim_change", args=[claim.pk]) + "#same-claim"
        )

    def family_verdict_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Apply this claim's published verdict to the family members the editor ticked."""
        claim = self._claim_for_post(request, object_id)
        ids = [int(i) for i in request.POST.getlist("apply_to") if i.isdigit()]
        targets = list(Claim.objects.filter(pk__in=ids).select_related("article"))
        if not targets:
            self.message_user(request, _("Tick the claims to apply it to."), messages.WARNING)
        else:
            try:
                changed = services.family_verdict_apply(
                    source=claim,
                    targets=targets,
                    by=request.user,
                    reason=request.POST.get("apply_reason", ""),
                )
                self.message_user(
                    request,
                    _("Verdict applied to %(n)d claim(s).") % {"n": len(changed)},
                    messages.SUCCESS,
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        return HttpResponseRedirect(
            reverse("admin:claims_claim_change", args=[claim.pk]) + "#same-claim"
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        claim = Claim.objects.select_related("article").filter(pk=object_id).first()
        context = dict(extra_context or {})
        if claim is not None:
            context.update(_graph_context(claim))
        response: HttpResponse = super().change_view(
            request, object_id, form_url, extra_context=context
        )
        return response

    def get_readonly_fields(self, request: HttpRequest, obj: Claim | None = None) -> Any:
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None:
            # the span moves with the text (the article's edits re-anchor it), never by hand
            return (*readonly, "article", "quote", "start", "end")
        return readonly

    def save_model(self, request: HttpRequest, obj: Claim, form: Any, change: bool) -> None:
        """Every field goes through the claims services (claim_create, claim_change): the same
        checks, history, webhooks and jobs as the API and the list actions."""
        data, changed = form.cleaned_data, set(form.changed_data)
        reason = (data.get("change_reason") or "").strip()
        verdict = None
        if data.get("verdict") and (not change or changed & set(VERDICT_FIELDS)):
            verdict = (data["verdict"], _texts(data, "verdict_summary"), data["verdict_as_of"])
        if not change:
            wanted = data.get("status") or Claim.Status.ACCEPTED
            first = wanted if wanted in (Claim.Status.SUGGESTED, Claim.Status.ACCEPTED) else None
            claim = services.claim_create(
                article=data["article"],
                quote=data["quote"],
                start=data.get("start"),
                end=data.get("end"),
                statement=_texts(data, "statement"),
                tags=list(data.get("tags") or ()),
                status=first or Claim.Status.ACCEPTED,
                by=request.user,
                reason=reason or str(_("Created in admin")),
            )
            services.claim_change(
                claim=claim,
                by=request.user,
                reason=reason,
                assignee=data.get("assignee"),
                verdict=verdict,
                status=None if first else wanted,
            )
            obj.pk = obj.id = claim.pk
            return
        claim = Claim.objects.get(pk=obj.pk)
        services.claim_change(
            claim=claim,
            by=request.user,
            reason=reason,
            statement=_texts(data, "statement", changed) or None,
            tags=list(data.get("tags") or ()) if "tags" in changed else None,
            assignee=data.get("assignee") if "assignee" in changed else services.UNSET,
            verdict=verdict,
            status=data.get("status") if "status" in changed else None,
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The tags went through the service with the rest of the claim (form.save_m2m would
        # set them again, unrecorded); the inlines go through their own services.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for claim in objs:
            try:
                services.claims.claim_delete_check(claim=claim)
            except ValidationError as error:
                protected = [*protected, f"{claim}: {' '.join(error.messages)}"]
        return deleted, counts, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: Claim) -> None:
        services.claim_delete(claim=obj, by=request.user, reason=str(_("Deleted in admin")))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        for claim in queryset:
            self.delete_model(request, claim)

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
        claim = Claim.objects.get(pk=form.instance.pk)
        if formset.model is Evidence:
            formset.save(commit=False)
            for row in formset.deleted_objects:
                services.evidence_delete(evidence=row, by=request.user)
            for row_form in formset.forms:
                if row_form in formset.deleted_forms or not row_form.has_changed():
                    continue
                row_form.instance.claim = claim
                _evidence_attention_warn(
                    request, _evidence_save(request, row_form, row_form.instance)
                )
            return
        if formset.model is ClaimSeries:
            formset.save(commit=False)
            for link in formset.deleted_objects:
                services.claim_series_delete(link=link, by=request.user)
            for row_form in formset.forms:
                if row_form in formset.deleted_forms or not row_form.has_changed():
                    continue
                _series_link_save(request, claim, row_form)
            return
        super().save_formset(request, form, formset, change)

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


def _graph_context(claim: Claim) -> dict[str, Any]:
    """The claim change page's "Same claim elsewhere?" section: suggested candidates with their
    scores, the confirmed family, and whether this claim's verdict can be offered to it."""
    mine = Q(claim=claim) | Q(other=claim)
    candidates = []
    for link in (
        _pending_links()
        .filter(mine)
        .select_related("claim__article", "other__article")
        .order_by("-score", "id")
    ):
        other = link.other if link.claim_id == claim.pk else link.claim
        candidates.append({"link": link, "other": other})
    family = list(
        Claim.objects.filter(family_id=claim.family_id)
        .exclude(pk=claim.pk)
        .select_related("article")
        .order_by("id")
        if claim.family_id
        else []
    )
    can_apply = claim.status == Claim.Status.PUBLISHED and bool(claim.verdict)
    return {
        "graph_claim": claim,
        "graph_candidates": candidates,
        "graph_family": family,
        "graph_can_apply": can_apply
        and any(m.status != Claim.Status.REJECTED and m.verdict != claim.verdict for m in family),
    }


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin[Evidence]):
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
    list_filter = (NeedsAttentionFilter, LinkHealthFilter, "stance", "language")
    list_select_related = ("claim",)
    search_fields = ("url", *columns("title"), "publisher", "excerpt")
    # the title in each language (title_en, title_fr); the plain column follows them
    exclude = ("title",)
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
        saved = _evidence_save(request, form, obj)
        obj.pk = obj.id = saved.pk
        _evidence_attention_warn(request, saved)

    def delete_model(self, request: HttpRequest, obj: Evidence) -> None:
        services.evidence_delete(evidence=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Evidence]) -> None:
        for evidence in queryset:
            services.evidence_delete(evidence=evidence, by=request.user)

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


class ClaimSeriesForm(ClaimSeriesInlineForm):
    class Meta(ClaimSeriesInlineForm.Meta):
        fields = ("claim", *ClaimSeriesInlineForm.Meta.fields)  # type: ignore[assignment]


@admin.register(ClaimSeries)
class ClaimSeriesAdmin(admin.ModelAdmin[ClaimSeries]):
    form = ClaimSeriesForm
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
    search_fields = ("claim__quote", *(f"series__{c}" for c in columns("title")), "note")
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

    def get_readonly_fields(self, request: HttpRequest, obj: ClaimSeries | None = None) -> Any:
        readonly = (*self.readonly_fields, "origin", "assertion_drifted")
        return (*readonly, "claim", "series") if obj is not None else readonly

    def save_model(self, request: HttpRequest, obj: ClaimSeries, form: Any, change: bool) -> None:
        claim = obj.claim if not change else Claim.objects.get(pk=obj.claim_id)
        obj.pk = obj.id = _series_link_save(request, claim, form).pk

    def delete_model(self, request: HttpRequest, obj: ClaimSeries) -> None:
        services.claim_series_delete(link=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ClaimSeries]) -> None:
        for link in queryset:
            services.claim_series_delete(link=link, by=request.user)

    @admin.action(description=_("Confirm selected series links"), permissions=["change"])
    def confirm_links(self, request: HttpRequest, queryset: QuerySet[ClaimSeries]) -> None:
        n = services.claim_series_confirm(links=queryset, by=request.user)
        self.message_user(request, _("%(n)d link(s) confirmed.") % {"n": n}, messages.SUCCESS)

    @admin.action(description=_("Reject selected series links"), permissions=["change"])
    def reject_links(self, request: HttpRequest, queryset: QuerySet[ClaimSeries]) -> None:
        n = services.claim_series_reject(links=queryset, by=request.user)
        self.message_user(request, _("%(n)d link(s) rejected.") % {"n": n}, messages.SUCCESS)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ("name", "slug", "keyword_count")
    search_fields = ("name", "slug", "keywords")
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description=_("keywords"))
    def keyword_count(self, obj: Topic) -> int:
        return len(read_keyword_lines(obj.keywords).keywords)


class SeriesWithClaimsAdmin(SeriesAdmin):
    """The catalogue's admin, with what only the claims app knows: matching claims to series.
    (The energy app knows nothing of claims; this app extends its admin instead.)"""

    actions = (*(SeriesAdmin.actions or ()), "suggest_for_claims")

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

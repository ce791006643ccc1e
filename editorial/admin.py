"""Admin for articles, post dump imports and URL imports: the editors' daily desk."""

from __future__ import annotations

import itertools
import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import construct_instance
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleImport
from claims.anchoring import ReanchorReport
from claims.models import CheckRequest, CheckRequester, Claim
from claims.services import check_requests_dismiss, claim_create, claim_update
from claims.services.claims import quote_occurrences
from core.roles import user_is_editor
from discussions.models import Comment
from editorial.admin_post_dump import PostDumpForm
from editorial.importers import DumpError
from editorial.services.articles import (
    ARTICLE_FIELDS,
    PostImport,
    PostImportPreview,
    article_create,
    article_import_post,
    article_import_post_preview,
    article_update,
)
from editorial.services.check_requests import check_request_convert
from editorial.services.suggestion import article_suggest_claims
from editorial.services.url_imports import article_import_enqueue, article_import_request

# Links typed without a scheme are taken as https (Django 6 default).
URL_FIELD_OVERRIDES: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}
DISCUSSION_PREVIEW = 10


def render_marked_body(body: str, claims: list[Claim]) -> SafeString:
    """The body as plain text with each anchored claim wrapped in <mark>.

    The element holds exactly the body's characters (no numbers or links are inserted), so the
    marking script can turn a mouse selection into offsets by counting characters.
    """
    anchored = [c for c in claims if c.end <= len(body) and body[c.start : c.end] == c.quote]
    cuts = sorted({0, len(body), *(c.start for c in anchored), *(c.end for c in anchored)})
    parts: list[str] = []
    for start, end in itertools.pairwise(cuts):
        covering = [c for c in anchored if c.start <= start and end <= c.end]
        text = escape(body[start:end])
        if not covering:
            parts.append(text)
            continue
        claim = covering[-1]
        parts.append(
            format_html(
                '<mark class="assay-claim assay-claim--{}" title="{}">{}</mark>',
                claim.status,
                f"#{claim.pk} {claim.get_status_display()} / {claim.get_anchor_status_display()}",
                text,
            )
        )
    lost = [c for c in claims if c not in anchored]
    review = (
        format_html(
            '<p>{}</p><ul class="assay-lost-list">{}</ul>',
            _("Needs review (quote not found in the text):"),
            format_html_join(
                "", '<li class="assay-lost">#{}: {}</li>', ((c.pk, c.quote) for c in lost)
            ),
        )
        if lost
        else ""
    )
    return format_html(
        '<div id="assay-body" class="assay-body" data-length="{}">{}</div>'
        '<p id="assay-selection" class="help"></p>{}',
        len(body),
        format_html_join("", "{}", ((part,) for part in parts)),
        review,
    )


class ClaimInlineForm(forms.ModelForm[Claim]):
    class Meta:
        model = Claim
        fields = ("assignee",)

    def _post_clean(self) -> None:
        # Only the assignee is edited here. Claim.clean() would compare each quote with the
        # article text as submitted, before the edit re-anchors the claims; spans are checked
        # by the services that move them.
        self.instance = construct_instance(self, self.instance, fields=("assignee",))


class ClaimInline(admin.TabularInline[Claim, Article]):
    form = ClaimInlineForm
    formfield_overrides = URL_FIELD_OVERRIDES
    model = Claim
    extra = 0
    fields = ("quote", "start", "end", "status", "verdict_shown", "anchor_status", "assignee")
    # Spans move with the text and verdicts need a reason: both change elsewhere (the body
    # field and the claim's own page); here an editor only hands claims out.
    readonly_fields = ("quote", "start", "end", "status", "verdict_shown", "anchor_status")
    show_change_link = True
    can_delete = False

    @admin.display(description=_("verdict"))
    def verdict_shown(self, obj: Claim) -> str:
        # the scale's label ("Mostly accurate"), never its key: the field has no choices
        return str(obj.verdict_label) if obj.verdict else "-"

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "assignee" and isinstance(field, forms.ModelChoiceField):
            # Staff only, listed once per page: an autocomplete widget (or a queryset-backed
            # select) would query once per claim row.
            field.queryset = User.objects.filter(is_staff=True, is_active=True)
            field.choices = list(field.choices)  # type: ignore[arg-type]  # a model choice iterator
        return field

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # New claims come from the suggester or from a span marked in the body, both of which
        # check the quote against the text; a bare inline row could not.
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return super().get_queryset(request).select_related("assignee")


class ArticleForm(forms.ModelForm[Article]):
    source_url = forms.URLField(
        label=_("source URL"), required=False, max_length=2000, assume_scheme="https"
    )
    mark_quote = forms.CharField(
        label=_("quote"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
        help_text=_("Select text in the body above, or paste it here."),
    )
    mark_start = forms.IntegerField(label=_("start offset"), required=False, min_value=0)
    mark_tags = forms.CharField(
        label=_("tags"), required=False, help_text=_("Comma-separated, e.g. energy, nuclear.")
    )

    class Meta:
        model = Article
        fields = (
            "title",
            "slug",
            "status",
            "language",
            "tags",
            "body",
            "source_url",
            "source_name",
            "original_author",
            "published_at",
        )

    def clean_body(self) -> str:
        # Browsers send textarea line breaks as CRLF; the stored text (and every offset into it)
        # uses LF.
        return str(self.cleaned_data["body"]).replace("\r\n", "\n").replace("\r", "\n").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        quote = (data.get("mark_quote") or "").replace("\r\n", "\n")
        if not quote.strip():
            data["mark_quote"] = ""
            return data
        quote = quote.strip()
        body = data.get("body") or ""
        occurrences = [m.start() for m in re.finditer(re.escape(quote), body)]
        if not occurrences:
            self.add_error("mark_quote", _("This text does not occur in the body."))
            return data
        wanted = data.get("mark_start")
        start = (
            min(occurrences, key=lambda at: abs(at - wanted))
            if wanted is not None
            else occurrences[0]
        )
        if (
            self.instance.pk
            and Claim.objects.filter(
                article=self.instance, start=start, end=start + len(quote)
            ).exists()
        ):
            self.add_error("mark_quote", _("This span is already a claim."))
        data["mark_quote"], data["mark_start"] = quote, start
        return data


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    form = ArticleForm
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = (
        "title",
        "status",
        "language",
        "source_name",
        "claim_count",
        "comment_count",
        "tag_list",
        "published_at",
        "created_by",
        "updated_at",
    )
    list_filter = ("status", "language", "tags", "source_name")
    list_select_related = ("created_by",)
    search_fields = ("title", "slug", "source_name", "original_author")
    prepopulated_fields = {"slug": ("title",)}
    # Who created a row is recorded, not chosen; user pickers would also need editors to be
    # allowed to browse every account.
    readonly_fields = (
        "marked_body",
        "discussion",
        "created_by",
        "import_fingerprint",
        "created_at",
        "updated_at",
    )
    date_hierarchy = "created_at"
    inlines = (ClaimInline,)
    actions = ("suggest_claims",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "status", "language", "tags")}),
        (_("Text"), {"fields": ("body",)}),
        (
            _("Claims in the text"),
            {
                "fields": ("marked_body", "mark_quote", "mark_start", "mark_tags"),
                "description": _(
                    "Highlighted: the claims. Select a span with the mouse to mark a new claim."
                ),
            },
        ),
        (_("Discussion"), {"fields": ("discussion",)}),
        (
            _("Provenance"),
            {"fields": ("source_url", "source_name", "original_author", "published_at")},
        ),
        (
            _("Record"),
            {
                "classes": ("collapse",),
                "fields": ("created_by", "import_fingerprint", "created_at", "updated_at"),
            },
        ),
    )

    class Media:
        css = {"all": ("editorial/admin/claim-marking.css",)}
        js = ("editorial/admin/claim-marking.js",)

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # nothing to mark before the article exists
            return [fs for fs in fieldsets if "marked_body" not in fs[1]["fields"]]
        return fieldsets

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        """The article goes through editorial's services: article_create, or article_update,
        which re-anchors the claims when the text changed; a span marked in the text becomes a
        claim through claim_create."""
        data, changed = form.cleaned_data, set(form.changed_data)
        fields = {name: data[name] for name in ARTICLE_FIELDS if name in data}
        if not change:
            created = article_create(
                body=data["body"],
                tags=list(data.get("tags") or ()),
                created_by=request.user,
                **fields,
            )
            obj.pk = obj.id = created.pk
        else:
            article = Article.objects.get(pk=obj.pk)
            report = article_update(
                article=article,
                by=request.user,
                body=data["body"] if "body" in changed else None,
                tags=list(data.get("tags") or ()) if "tags" in changed else None,
                **{name: value for name, value in fields.items() if name in changed},
            )
            if report is not None:
                self._report_anchoring(request, report)
        quote = data.get("mark_quote")
        if quote:
            claim = claim_create(
                article=Article.objects.get(pk=obj.pk),
                quote=quote,
                start=data["mark_start"],
                tags=[t.strip() for t in data.get("mark_tags", "").split(",") if t.strip()],
                status=Claim.Status.ACCEPTED,
                by=request.user,
                reason="Marked in the article text",
            )
            self.message_user(request, _("Claim marked: %(claim)s") % {"claim": claim})

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # tags went through the service with the article (form.save_m2m would set them again)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Claim:
            super().save_formset(request, form, formset, change)
            return
        # The claim rows were loaded before the text changed; saving them whole would write
        # back their old spans. Only the assignee is theirs to change.
        for stale in formset.save(commit=False):
            claim = Claim.objects.get(pk=stale.pk)
            claim_update(claim=claim, assignee=stale.assignee, by=request.user, reason="Assigned")

    def _report_anchoring(self, request: HttpRequest, report: ReanchorReport) -> None:
        self.message_user(
            request,
            _(
                "Text changed: %(moved)d claim(s) moved with it, %(fuzzy)d re-anchored to a "
                "close match, %(unchanged)d unchanged."
            )
            % {
                "moved": len(report.moved),
                "fuzzy": len(report.fuzzy),
                "unchanged": report.unchanged,
            },
            messages.SUCCESS,
        )
        if report.lost:
            self.message_user(
                request,
                _("%(n)d claim(s) lost their text and need review: %(claims)s")
                % {"n": len(report.lost), "claims": "; ".join(str(c) for c in report.lost)},
                messages.WARNING,
            )

    # --- Import a post dump: the admin door to `import_post` ------------------------------

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "import-post/",
                self.admin_site.admin_view(self.import_post_view),
                name="articles_article_import_post",
            ),
            *super().get_urls(),
        ]

    def has_import_post_permission(self, request: HttpRequest) -> bool:
        # The permission first: the admin has loaded the user's permissions already, while the
        # role check would cost the changelist one more query.
        return request.user.has_perm("articles.add_article") or user_is_editor(request.user)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra = {"can_import_post": self.has_import_post_permission(request)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def import_post_view(self, request: HttpRequest) -> HttpResponse:
        """*Preview* runs the dry run, *Import* the import: the services `import_post` calls."""
        if not self.has_import_post_permission(request):
            raise PermissionDenied
        form = PostDumpForm(request.POST or None, request.FILES or None)
        preview: PostImportPreview | None = None
        carry_lost = False
        if request.method == "POST" and form.is_valid():
            options = form.import_options()
            try:
                if "_import" in request.POST:
                    result = article_import_post(**options, created_by=request.user)
                    self._report_post_import(request, result)
                    return HttpResponseRedirect(
                        reverse("admin:articles_article_change", args=[result.article.pk])
                    )
                preview = article_import_post_preview(**options)
                carry_lost = not form.carry_upload()
            except DumpError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                form.add_error(None, "; ".join(exc.messages))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a post dump"),
            "form": form,
            "preview": preview,
            "plan": preview.plan if preview is not None else None,
            "carry_lost": carry_lost,
            "media": forms.Media(css={"all": ("editorial/admin/import-post.css",)}),
        }
        return TemplateResponse(request, "admin/articles/article/import_post.html", context)

    def _report_post_import(self, request: HttpRequest, result: PostImport) -> None:
        plan = result.plan
        if not result.created or plan is None:
            self.message_user(
                request,
                _("This file was imported before, as this article; nothing changed."),
                messages.WARNING,
            )
            return
        self.message_user(
            request,
            _("Imported as a draft with %(n)d comment(s) (layout: %(layout)s).")
            % {"n": result.comments_created, "layout": plan.layout or _("plain text")},
            messages.SUCCESS,
        )
        if plan.truncated is not None:
            self.message_user(
                request,
                _("The copy stopped inside its last comment, which was not imported: %(text)s")
                % {"text": Truncator(plan.truncated).chars(120)},
                messages.WARNING,
            )
        if plan.unplaced:
            self.message_user(
                request,
                _("%(n)d line(s) the layout could not place were dropped.")
                % {"n": len(plan.unplaced)},
                messages.WARNING,
            )

    @admin.display(description=_("comments"), ordering="comment_total")
    def comment_count(self, obj: Article) -> str:
        return format_html(
            '<a href="{}?article__id__exact={}">{}</a>',
            reverse("admin:discussions_comment_changelist"),
            obj.pk,
            obj.comment_total,  # type: ignore[attr-defined]
        )

    @admin.display(description=_("latest comments"))
    def discussion(self, obj: Article) -> str:
        if obj.pk is None:
            return ""
        latest = list(
            Comment.objects.filter(article=obj)
            .select_related("author")
            .order_by("-id")[:DISCUSSION_PREVIEW]
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    c.author_name,
                    _("imported") if c.is_imported else "",
                    c.get_status_display(),
                    Truncator(c.body).chars(90),
                )
                for c in latest
            ),
        )
        return format_html(
            '<p><a href="{}?article__id__exact={}">{}</a></p><table>{}</table>',
            reverse("admin:discussions_comment_changelist"),
            obj.pk,
            _("All %(n)d comments of this article") % {"n": obj.comments.count()},
            rows,
        )

    @admin.display(description=_("text with its claims"))
    def marked_body(self, obj: Article) -> str:
        if obj.pk is None:
            return ""
        claims = list(Claim.objects.filter(article=obj).order_by("start", "id"))
        return render_marked_body(obj.body, claims)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                claim_total=Count("claims", distinct=True),
                # a subquery, not a second Count join, which would multiply the rows
                comment_total=Coalesce(
                    Subquery(
                        Comment.objects.filter(article=OuterRef("pk"))
                        .order_by()
                        .values("article")
                        .annotate(n=Count("pk"))
                        .values("n")
                    ),
                    0,
                ),
            )
            .prefetch_related("tags")  # type: ignore[misc]  # taggit managers are prefetchable
        )

    @admin.action(description=_("Suggest claims (check-worthy sentences)"), permissions=["change"])
    def suggest_claims(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            result = article_suggest_claims(article=article, by=request.user)
            self.message_user(
                request,
                _("%(title)s: %(created)d claim(s) suggested, %(existing)d already claimed.")
                % {
                    "title": article.title,
                    "created": len(result.created),
                    "existing": result.existing,
                },
                messages.SUCCESS,
            )

    @admin.display(description=_("claims"), ordering="claim_total")
    def claim_count(self, obj: Article) -> int:
        return int(getattr(obj, "claim_total", 0))

    @admin.display(description=_("tags"))
    def tag_list(self, obj: Article) -> str:
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))


@admin.register(ArticleImport)
class ArticleImportAdmin(admin.ModelAdmin[ArticleImport]):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ("url", "status", "language", "article", "requested_by", "created_at")
    list_filter = ("status", "language")
    list_select_related = ("article", "requested_by")
    search_fields = ("url", "error")
    readonly_fields = ("status", "error", "article", "requested_by", "created_at", "finished_at")
    actions = ("retry_imports",)

    def get_fields(self, request: HttpRequest, obj: ArticleImport | None = None) -> Any:
        if obj is None:
            return ("url", "language")
        return ("url", "language", *self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: ArticleImport | None = None) -> Any:
        if obj is None:
            return ()
        return ("url", "language", *self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: ArticleImport, form: Any, change: bool) -> None:
        if change:
            return
        created = article_import_request(
            url=form.cleaned_data["url"], language=form.cleaned_data["language"], by=request.user
        )
        obj.pk = obj.id = created.pk
        self.message_user(
            request,
            _("The page is being fetched; its draft article will appear here when it is done."),
        )

    @admin.action(description=_("Fetch again (failed imports)"), permissions=["add"])
    def retry_imports(self, request: HttpRequest, queryset: QuerySet[ArticleImport]) -> None:
        retried = 0
        for import_request in queryset.exclude(status=ArticleImport.Status.DONE):
            article_import_enqueue(import_request=import_request)
            retried += 1
        self.message_user(request, _("%(n)d import(s) queued again.") % {"n": retried})


class CheckRequesterInline(admin.TabularInline[CheckRequester, CheckRequest]):
    """Who asked, with what they sent: kept when the request becomes a claim."""

    model = CheckRequester
    extra = 0
    can_delete = False
    fields = ("user", "text", "url", "note", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CheckRequestForm(forms.ModelForm):  # type: ignore[type-arg]
    make_claim = forms.BooleanField(
        label=_("Make it a claim"),
        required=False,
        help_text=_(
            "On an article that holds the sentence, or (no article) as a standalone claim on a "
            "one-sentence article of its own, with the source link."
        ),
    )
    article = forms.ModelChoiceField(
        label=_("on the article"), queryset=Article.objects.all(), required=False
    )
    quote = forms.CharField(
        label=_("quote"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The exact text (by default the request's)."),
    )
    statement = forms.CharField(
        label=_("statement"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source_url = forms.URLField(
        label=_("source link (standalone claim)"), required=False, assume_scheme="https"
    )

    class Meta:
        model = CheckRequest
        fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("make_claim"):
            return data
        if self.instance.status != CheckRequest.Status.OPEN:
            raise forms.ValidationError(_("This request is closed already."))
        article = data.get("article")
        quote = (data.get("quote") or self.instance.text).strip()
        if article is not None:
            found = quote_occurrences(article.body, quote)
            if len(found) != 1:
                self.add_error(
                    "quote",
                    _("The quote must occur exactly once in the article (it occurs %(n)d times).")
                    % {"n": len(found)},
                )
        return data


@admin.register(CheckRequest)
class CheckRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The queue of readers' check requests: one row per thing asked, however many asked it."""

    form = CheckRequestForm
    list_display = ("__str__", "requester_count", "language", "status", "claim", "updated_at")
    list_filter = ("status", "language")
    search_fields = ("text", "requesters__text", "requesters__note", "requesters__url")
    readonly_fields = (
        "text",
        "language",
        "status",
        "requester_count",
        "claim",
        "resolved_by",
        "resolved_at",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("text", ("language", "status", "requester_count"))}),
        (
            _("Make it a claim"),
            {"fields": ("make_claim", "article", "quote", "statement", "source_url")},
        ),
        (_("Record"), {"fields": ("claim", ("resolved_by", "resolved_at"), "created_at")}),
    )
    autocomplete_fields = ()
    inlines = (CheckRequesterInline,)
    actions = ("dismiss",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # readers send them; editors answer them

    def save_model(self, request: HttpRequest, obj: CheckRequest, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not data.get("make_claim"):
            return
        claim = check_request_convert(
            request=CheckRequest.objects.get(pk=obj.pk),
            by=request.user,
            article=data.get("article"),
            quote=data.get("quote") or "",
            statement=data.get("statement") or "",
            source_url=data.get("source_url") or "",
        )
        self.message_user(
            request,
            format_html(
                'Claim <a href="{}">#{}</a> created; its requesters stay on this request.',
                reverse("admin:claims_claim_change", args=[claim.pk]),
                claim.pk,
            ),
            messages.SUCCESS,
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        formset.save(commit=False)  # the requesters are read-only: nothing is written

    @admin.action(description=_("Dismiss the selected requests"), permissions=["change"])
    def dismiss(self, request: HttpRequest, queryset: QuerySet[CheckRequest]) -> None:
        n = check_requests_dismiss(requests=list(queryset), by=request.user)
        self.message_user(request, _("%(n)d request(s) dismissed.") % {"n": n}, messages.SUCCESS)

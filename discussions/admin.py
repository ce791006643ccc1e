"""Admin for comments, reactions, flags and the moderation log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from claims.models import Claim, Evidence
from discussions.accounts import (
    account_ban,
    account_sanction_check,
    account_sanctions_lift,
    account_suspend,
)
from discussions.curation import (
    comment_feature,
    comment_promote_to_evidence,
    comment_unfeature,
)
from discussions.holding import hold_rule_check, hold_rule_save
from discussions.models import (
    AccountSanction,
    Comment,
    CommentEvidence,
    Flag,
    HoldRule,
    ModerationAction,
    ModerationQueueItem,
    Reaction,
)
from discussions.moderation import comments_moderate, moderation_queue


class ModerationActionForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_(
            "Required to hide, remove, restore or sanction an author; kept in the moderation "
            "log. Featuring: the label readers see."
        ),
    )
    days = forms.IntegerField(
        label=_("Days"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Suspending an author: for how many days."),
    )
    claim = forms.IntegerField(
        label=_("Claim id"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("Using a comment as evidence: the claim it weighs."),
    )
    stance = forms.ChoiceField(
        label=_("Stance"),
        required=False,
        choices=[("", "---------"), *Evidence.Stance.choices],
    )


class FlagInline(admin.TabularInline[Flag, Comment]):
    model = Flag
    fk_name = "comment"
    extra = 0
    fields = ("user", "reason", "details", "resolved", "resolved_by", "resolved_at", "created_at")
    # resolved by the moderation actions, which log who and why
    readonly_fields = (
        "user",
        "reason",
        "details",
        "resolved",
        "resolved_by",
        "resolved_at",
        "created_at",
    )
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Flag]:
        return super().get_queryset(request).select_related("user", "resolved_by")


class ModerationActionInline(admin.TabularInline[ModerationAction, Comment]):
    model = ModerationAction
    extra = 0
    fields = ("created_at", "moderator", "action", "previous_status", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ModerationAction]:
        return super().get_queryset(request).select_related("moderator")


class CommentEvidenceInline(admin.TabularInline[CommentEvidence, Comment]):
    model = CommentEvidence
    fk_name = "comment"
    extra = 0
    fields = ("evidence", "evidence_claim", "author_name", "promoted_by", "created_at")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("used as evidence")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[CommentEvidence]:
        return super().get_queryset(request).select_related("evidence", "promoted_by")

    @admin.display(description=_("claim"))
    def evidence_claim(self, obj: CommentEvidence) -> int:
        return obj.evidence.claim_id


class FeaturedFilter(admin.SimpleListFilter):
    title = _("featured")
    parameter_name = "featured"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("yes", _("Featured")), ("no", _("Not featured"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        if self.value() == "yes":
            return queryset.filter(featured_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(featured_at__isnull=True)
        return queryset


class ImportedFilter(admin.SimpleListFilter):
    title = _("origin")
    parameter_name = "origin"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("imported", _("Imported from the original post")), ("local", _("Posted here"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        if self.value() == "imported":
            return queryset.exclude(external_author="")
        if self.value() == "local":
            return queryset.filter(external_author="")
        return queryset


class ModerationActionsMixin:
    """approve / hide / remove / restore, with the reason typed next to the action menu;
    feature / unfeature and use as evidence (editors); suspend or ban the authors."""

    action_form = ModerationActionForm
    actions: Sequence[Any] | None = (
        "approve",
        "hide",
        "remove",
        "restore",
        "feature",
        "unfeature",
        "promote",
        "suspend_authors",
        "ban_authors",
    )

    def _report(self, request: HttpRequest, done: int, errors: list[str]) -> None:
        for error in dict.fromkeys(errors):
            self.message_user(request, error, messages.ERROR)  # type: ignore[attr-defined]
        if done:
            self.message_user(  # type: ignore[attr-defined]
                request, _("%(done)d comment(s) done.") % {"done": done}, messages.SUCCESS
            )

    def _each(self, request: HttpRequest, queryset: QuerySet[Comment], write: Any) -> None:
        done, errors = 0, []
        for comment in queryset.select_related("article", "author"):
            try:
                write(comment)
            except (ValidationError, PermissionDenied) as exc:
                messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                errors.append(f"#{comment.pk}: {' '.join(messages_)}")
            else:
                done += 1
        self._report(request, done, errors)

    @admin.action(description=_("Feature (the reason is the label)"), permissions=["change"])
    def feature(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        label = request.POST.get("reason", "")
        self._each(
            request, queryset, lambda c: comment_feature(comment=c, by=request.user, label=label)
        )

    @admin.action(description=_("Unfeature"), permissions=["change"])
    def unfeature(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._each(request, queryset, lambda c: comment_unfeature(comment=c, by=request.user))

    @admin.action(description=_("Use as evidence (claim id and stance)"), permissions=["change"])
    def promote(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        form = ModerationActionForm(request.POST)
        form.is_valid()
        claim_pk = form.cleaned_data.get("claim")
        claim = Claim.objects.filter(pk=claim_pk).first() if claim_pk else None
        if claim is None:
            self.message_user(  # type: ignore[attr-defined]
                request, _("Give the id of the claim the comment weighs."), messages.ERROR
            )
            return
        stance = form.cleaned_data.get("stance") or ""
        self._each(
            request,
            queryset,
            lambda c: comment_promote_to_evidence(
                comment=c, claim=claim, stance=stance, by=request.user
            ),
        )

    def _sanction_authors(
        self, request: HttpRequest, queryset: QuerySet[Comment], *, ban: bool
    ) -> None:
        form = ModerationActionForm(request.POST)
        form.is_valid()
        reason = form.cleaned_data.get("reason") or ""
        days = form.cleaned_data.get("days")
        if not ban and not days:
            self.message_user(  # type: ignore[attr-defined]
                request, _("Give the number of days of the suspension."), messages.ERROR
            )
            return
        authors = {c.author_id: c.author for c in queryset.select_related("author") if c.author}
        done, errors = 0, []
        for author in authors.values():
            try:
                if ban:
                    account_ban(user=author, moderator=request.user, reason=reason)
                else:
                    account_suspend(
                        user=author,
                        moderator=request.user,
                        until=timezone.now() + dt.timedelta(days=days or 0),
                        reason=reason,
                    )
            except (ValidationError, PermissionDenied) as exc:
                messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                errors.append(f"{author.get_username()}: {' '.join(messages_)}")
            else:
                done += 1
        for error in errors:
            self.message_user(request, error, messages.ERROR)  # type: ignore[attr-defined]
        if done:
            self.message_user(  # type: ignore[attr-defined]
                request, _("%(done)d account(s) sanctioned.") % {"done": done}, messages.SUCCESS
            )

    @admin.action(description=_("Suspend the authors (days and reason)"), permissions=["change"])
    def suspend_authors(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._sanction_authors(request, queryset, ban=False)

    @admin.action(description=_("Ban the authors (reason)"), permissions=["change"])
    def ban_authors(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._sanction_authors(request, queryset, ban=True)

    def _moderate(self, request: HttpRequest, queryset: QuerySet[Comment], action: str) -> None:
        reason = request.POST.get("reason", "")
        try:
            result = comments_moderate(
                comments=queryset, action=action, moderator=request.user, reason=reason
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)  # type: ignore[attr-defined]
            return
        self.message_user(  # type: ignore[attr-defined]
            request,
            _("%(action)s: %(done)d comment(s) done, %(skipped)d skipped.")
            % {"action": action, "done": len(result.done), "skipped": len(result.skipped)},
            messages.SUCCESS if result.done else messages.WARNING,
        )

    @admin.action(description=_("Approve (show, resolve flags)"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, ModerationAction.Action.APPROVE)

    @admin.action(description=_("Hide (reason required)"), permissions=["change"])
    def hide(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, ModerationAction.Action.HIDE)

    @admin.action(description=_("Remove (reason required)"), permissions=["change"])
    def remove(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, ModerationAction.Action.REMOVE)

    @admin.action(description=_("Restore (reason required)"), permissions=["change"])
    def restore(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, ModerationAction.Action.RESTORE)


@admin.register(Comment)
class CommentAdmin(ModerationActionsMixin, admin.ModelAdmin[Comment]):
    list_display = (
        "short_body",
        "author_display",
        "article",
        "claim",
        "status",
        "depth",
        "like_count",
        "open_flags",
        "created_at",
    )
    list_filter = ("status", FeaturedFilter, ImportedFilter, "article__language", "stance")
    list_select_related = ("author", "article", "claim")
    search_fields = ("body", "external_author", "author__username", "article__title")
    # Comments are written by readers (or imported); moderators act on them through the
    # actions, which log what they did, so the form is read-only.
    readonly_fields = (
        "article",
        "claim",
        "author",
        "external_author",
        "body",
        "stance",
        "parent",
        "root",
        "depth",
        "path",
        "body_html",
        "status",
        "like_count",
        "external_posted_at",
        "external_posted_raw",
        "external_like_count",
        "import_key",
        "held_reason",
        "hold_rule",
        "featured_label",
        "featured_at",
        "featured_by",
        "edited_at",
        "created_at",
        "updated_at",
    )
    inlines = (FlagInline, ModerationActionInline, CommentEvidenceInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        return (
            super()
            .get_queryset(request)
            .annotate(open_flag_total=Count("flags", filter=Q(flags__resolved=False)))
        )

    @admin.display(description=_("comment"))
    def short_body(self, obj: Comment) -> str:
        return obj.body if len(obj.body) <= 80 else obj.body[:77] + "..."

    @admin.display(description=_("author"), ordering="author__username")
    def author_display(self, obj: Comment) -> str:
        return obj.author_name

    @admin.display(description=_("open flags"), ordering="open_flag_total")
    def open_flags(self, obj: Comment) -> int:
        return int(getattr(obj, "open_flag_total", 0))


class QueueReasonFilter(admin.SimpleListFilter):
    title = _("why it is here")
    parameter_name = "why"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("pending", _("Awaiting approval")), ("flagged", _("Flagged by readers"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        if self.value() == "pending":
            return queryset.filter(status=Comment.Status.PENDING)
        if self.value() == "flagged":
            return queryset.filter(flags__resolved=False).distinct()
        return queryset


@admin.register(ModerationQueueItem)
class ModerationQueueAdmin(ModerationActionsMixin, admin.ModelAdmin[ModerationQueueItem]):
    """Pending comments and flagged visible ones, most flagged first."""

    list_display = (
        # what a moderator reads first, left, before the columns that may scroll off
        "short_body",
        "held_reason",
        "flag_reasons",
        "open_flags",
        "author_display",
        "article_title",
        "status",
        "created_at",
    )
    list_filter = (QueueReasonFilter, "hold_rule")
    list_select_related = ("author", "article")
    search_fields = ("body", "external_author", "author__username")
    fields = (
        "article",
        "claim",
        "author",
        "external_author",
        "status",
        "held_reason",
        "hold_rule",
        "body",
        "created_at",
    )
    readonly_fields = fields
    inlines = (FlagInline, ModerationActionInline)

    class Media:
        css = {"all": ("discussions/admin/moderation.css",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[ModerationQueueItem]:
        open_flags = Flag.objects.filter(resolved=False).order_by("id")
        queue = moderation_queue(super().get_queryset(request)).prefetch_related(
            models.Prefetch("flags", queryset=open_flags, to_attr="open_flag_list")
        )
        return queue  # type: ignore[return-value]  # the proxy's rows, annotated

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("comment"))
    def short_body(self, obj: Comment) -> str:
        return obj.body if len(obj.body) <= 120 else obj.body[:117] + "..."

    @admin.display(description=_("author"))
    def author_display(self, obj: Comment) -> str:
        return obj.author_name

    @admin.display(description=_("open flags"), ordering="open_flag_total")
    def open_flags(self, obj: Comment) -> int:
        return int(getattr(obj, "open_flag_total", 0))

    @admin.display(description=_("article"), ordering="article__title")
    def article_title(self, obj: Comment) -> str:
        return Truncator(obj.article.title).chars(60)

    @admin.display(description=_("reasons"))
    def flag_reasons(self, obj: Comment) -> str:
        """Each open flag's reason, with the flagger's words where they gave some."""
        flags = getattr(obj, "open_flag_list", [])
        return "; ".join(
            f"{flag.get_reason_display()}: {Truncator(flag.details).chars(80)}"
            if flag.details
            else str(flag.get_reason_display())
            for flag in flags
        )


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin[Flag]):
    list_display = ("comment", "user", "reason", "resolved", "resolved_by", "created_at")
    list_filter = ("resolved", "reason")
    list_select_related = ("comment", "comment__author", "user", "resolved_by")
    search_fields = ("details", "comment__body", "user__username")
    # Flags are raised by readers and resolved by the moderation actions (which log them).
    readonly_fields = (
        "comment",
        "user",
        "reason",
        "details",
        "resolved",
        "resolved_by",
        "resolved_at",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin[Reaction]):
    list_display = ("user", "comment", "created_at")
    list_select_related = ("user", "comment", "comment__author")
    search_fields = ("user__username", "comment__body")
    readonly_fields = ("user", "comment", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin[ModerationAction]):
    list_display = ("created_at", "action", "comment", "moderator", "previous_status", "reason")
    list_filter = ("action",)
    list_select_related = ("comment", "comment__author", "moderator")
    search_fields = ("reason", "comment__body", "moderator__username")
    readonly_fields = ("comment", "moderator", "action", "reason", "previous_status", "created_at")

    # The log is a record: written by the moderation actions, never edited by hand.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class HoldRuleForm(forms.ModelForm[HoldRule]):
    class Meta:
        model = HoldRule
        fields = ("kind", "text", "language", "note", "active")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "text" in data and "kind" in data:
            data["text"] = hold_rule_check(kind=data["kind"], text=data["text"])
        return data


@admin.register(HoldRule)
class HoldRuleAdmin(admin.ModelAdmin[HoldRule]):
    """The words and patterns that hold a comment for review (discussions.holding)."""

    form = HoldRuleForm
    list_display = ("text", "kind", "language", "active", "note", "held_total", "created_by")
    list_filter = ("active", "kind", "language")
    list_editable = ("active",)
    search_fields = ("text", "note")
    list_select_related = ("created_by",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[HoldRule]:
        return super().get_queryset(request).annotate(held_count=Count("held_comments"))

    @admin.display(description=_("comments held"), ordering="held_count")
    def held_total(self, obj: HoldRule) -> int:
        return int(getattr(obj, "held_count", 0))

    def save_model(self, request: HttpRequest, obj: HoldRule, form: Any, change: bool) -> None:
        hold_rule_save(rule=obj, by=request.user)


class SanctionActionForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500, help_text=_("Why it is lifted.")
    )


class AccountSanctionForm(forms.ModelForm[AccountSanction]):
    class Meta:
        model = AccountSanction
        fields = ("user", "kind", "ends_at", "reason")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and data.get("user") and data.get("kind"):
            data["reason"], data["ends_at"] = account_sanction_check(
                user=data["user"],
                kind=data["kind"],
                reason=data.get("reason") or "",
                ends_at=data.get("ends_at"),
            )
        return data

    def _post_clean(self) -> None:
        # the model's own check constraint is the service's to meet (a ban has no end)
        pass


@admin.register(AccountSanction)
class AccountSanctionAdmin(admin.ModelAdmin[AccountSanction]):
    """Suspensions and bans: added here (or from the comment lists' actions), never edited,
    lifted with a reason. The list is the log."""

    form = AccountSanctionForm
    action_form = SanctionActionForm
    actions = ("lift",)
    list_display = (
        "user",
        "kind",
        "ends_at",
        "in_force",
        "reason",
        "moderator",
        "created_at",
        "lifted_at",
        "lifted_by",
    )
    list_filter = ("kind",)
    list_select_related = ("user", "moderator", "lifted_by")
    search_fields = ("user__username", "reason")
    raw_id_fields = ("user",)

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        return (
            "user",
            "kind",
            "ends_at",
            "reason",
            "moderator",
            "created_at",
            "lifted_at",
            "lifted_by",
            "lift_reason",
        )

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, obj: AccountSanction) -> bool:
        if obj.lifted_at is not None:
            return False
        return obj.kind == AccountSanction.Kind.BAN or (
            obj.ends_at is not None and obj.ends_at > timezone.now()
        )

    def save_model(
        self, request: HttpRequest, obj: AccountSanction, form: Any, change: bool
    ) -> None:
        if change:
            return  # a sanction is a record: lift it, never rewrite it
        data = form.cleaned_data
        if data["kind"] == AccountSanction.Kind.BAN:
            saved = account_ban(user=data["user"], moderator=request.user, reason=data["reason"])
        else:
            saved = account_suspend(
                user=data["user"],
                moderator=request.user,
                until=data["ends_at"],
                reason=data["reason"],
            )
        obj.pk = saved.pk

    @admin.action(description=_("Lift (reason required)"), permissions=["change"])
    def lift(self, request: HttpRequest, queryset: QuerySet[AccountSanction]) -> None:
        reason = request.POST.get("reason", "")
        lifted = 0
        try:
            for user in User.objects.filter(pk__in=queryset.values("user_id")):
                lifted += account_sanctions_lift(user=user, moderator=request.user, reason=reason)
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            self.message_user(request, text, messages.ERROR)
            return
        self.message_user(request, _("%(n)d sanction(s) lifted.") % {"n": lifted})


class AccountSanctionInline(admin.TabularInline[AccountSanction, User]):
    """An account's sanctions, on its user page: the log moderators read first."""

    model = AccountSanction
    fk_name = "user"
    extra = 0
    fields = ("kind", "ends_at", "reason", "moderator", "created_at", "lifted_at", "lift_reason")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("sanctions (add one under Account sanctions)")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[AccountSanction]:
        return super().get_queryset(request).select_related("moderator")


class UserWithSanctionsAdmin(UserAdmin[User]):
    inlines = (*UserAdmin.inlines, AccountSanctionInline)


admin.site.unregister(User)
admin.site.register(User, UserWithSanctionsAdmin)


@admin.register(CommentEvidence)
class CommentEvidenceAdmin(admin.ModelAdmin[CommentEvidence]):
    """Which reader comments became evidence, by whom: the provenance of that evidence."""

    list_display = ("created_at", "comment", "author_name", "evidence", "claim", "promoted_by")
    list_select_related = ("comment", "comment__author", "evidence", "promoted_by")
    search_fields = ("author_name", "comment__body", "evidence__url")
    readonly_fields = ("comment", "evidence", "author", "author_name", "promoted_by", "created_at")

    @admin.display(description=_("claim"), ordering="evidence__claim_id")
    def claim(self, obj: CommentEvidence) -> int:
        return obj.evidence.claim_id

    # a record written by comment_promote_to_evidence: never added or edited by hand
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

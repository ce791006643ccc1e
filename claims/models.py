from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from articles.models import Article, Language
from claims.topics import read_keyword_lines
from core.i18n import default_language, localized
from core.roles import user_sees_drafts

if TYPE_CHECKING:
    from core.roles import AnyUser


def verdict_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label, _rating in settings.VERDICT_SCALE]


def verdict_keys() -> list[str]:
    return [key for key, _label, _rating in settings.VERDICT_SCALE]


class Topic(models.Model):
    """An entry of the topic lexicon: a tag and the words (fr and en) that suggest it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("tag slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_(
            "One keyword or phrase per line, in French and English, matched on word stems. A "
            "capitalised word (a name) matches only itself, one in capitals (an acronym) only in "
            "capitals, a phrase in double quotes only as whole words. A line 'except: phrase' "
            "names a phrase inside which the keywords do not count."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]

    def clean(self) -> None:
        super().clean()
        problems = read_keyword_lines(self.keywords).problems
        if problems:
            raise ValidationError(
                {
                    "keywords": [
                        _("Line %(line)d: %(problem)s") % {"line": line, "problem": problem}
                        if line
                        else str(problem)
                        for line, problem in problems
                    ]
                }
            )


class ClaimQuerySet(models.QuerySet["Claim"]):
    def public(self) -> ClaimQuerySet:
        """Claims a reader may see: kept by an editor, on a published article."""
        return self.filter(
            article__status=Article.Status.PUBLISHED,
            status__in=[Claim.Status.ACCEPTED, Claim.Status.IN_REVIEW, Claim.Status.PUBLISHED],
        )

    def visible_to(self, user: AnyUser) -> ClaimQuerySet:
        if user_sees_drafts(user):
            return self
        return self.public()


class ClaimFamily(models.Model):
    """Claims editors confirmed are one claim (in other articles, other languages): the
    connected claims of confirmed ClaimLinks, kept on each member so a page reads a family in
    one query."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "claim families"

    def __str__(self) -> str:
        return f"family {self.pk}"


class Claim(models.Model):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        ACCEPTED = "accepted", _("Accepted")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    class Anchor(models.TextChoices):
        EXACT = "exact", _("Anchored")
        MOVED = "moved", _("Re-anchored")
        FUZZY = "fuzzy", _("Re-anchored to a close match")
        LOST = "lost", _("Needs review: quote not found")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    quote = models.TextField(_("quote"), help_text=_("The exact text of the span."))
    start = models.PositiveIntegerField(_("start offset"))
    end = models.PositiveIntegerField(_("end offset"))
    statement = models.TextField(
        _("statement"), blank=True, help_text=_("The claim in the editor's own words.")
    )
    tags = TaggableManager(blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUGGESTED, db_index=True
    )
    verdict = models.CharField(_("verdict"), max_length=32, blank=True, db_index=True)
    verdict_summary = models.TextField(_("verdict summary"), blank=True)
    verdict_as_of = models.DateField(_("verdict as of"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims_reviewed",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims_assigned",
    )
    anchor_status = models.CharField(
        _("anchor"), max_length=8, choices=Anchor.choices, default=Anchor.EXACT, db_index=True
    )
    check_worthiness = models.FloatField(
        _("check-worthiness"), null=True, blank=True, help_text=_("Score from the suggester, 0-1.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    family = models.ForeignKey(
        ClaimFamily,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text=_("Set by confirming same-claim links."),
    )

    history = HistoricalRecords(
        excluded_fields=["check_worthiness", "updated_at", "created_at", "family"],
        cascade_delete_history=False,
        # the reason is the editor's "why" shown in the public changelog: not cut at 100 chars
        history_change_reason_field=models.TextField(null=True),
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "id"]
        indexes = [models.Index(fields=["article", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="claim_span_nonempty"
            ),
            # The span and the quote must have the same length; that the text matches is checked
            # against the article body by Claim.clean() and the services.
            models.CheckConstraint(
                condition=models.Q(end=models.F("start") + Length("quote")),
                name="claim_span_matches_quote_length",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["suggested", "accepted", "in_review", "published", "rejected"]
                ),
                name="claim_status_valid",
            ),
            models.UniqueConstraint(fields=["article", "start", "end"], name="claim_unique_span"),
        ]

    def __str__(self) -> str:
        text = self.statement or self.quote
        return text if len(text) <= 80 else text[:77] + "..."

    def get_absolute_url(self) -> str:
        return reverse("reading:claim", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.article_id is not None and self.quote:
            body = self.article.body
            if self.end > len(body) or body[self.start : self.end] != self.quote:
                raise ValidationError(
                    {"quote": _("The quote does not match the article text at the given offsets.")}
                )
        if self.verdict and self.verdict not in verdict_keys():
            raise ValidationError({"verdict": _("Unknown verdict.")})

    @property
    def verdict_label(self) -> str:
        # one lookup, not a translated copy of the whole scale: pages call this per claim
        for key, label, _rating in settings.VERDICT_SCALE:
            if key == self.verdict:
                return str(label)
        return self.verdict

    def matching_statement(self) -> str:
        """The statement the claim is matched by (claims.similarity): in the default language
        where written, else in the other; the same whatever language a request or a worker
        has active, so its stored vectors stay valid."""
        return localized(self, "statement", default_language()).text


class Evidence(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", _("Supports")
        REFUTES = "refutes", _("Refutes")
        CONTEXT = "context", _("Context")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(_("URL"), max_length=2000)
    title = models.CharField(_("title"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    stance = models.CharField(_("stance"), max_length=16, choices=Stance.choices)
    excerpt = models.TextField(_("excerpt"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    # the link check job's own state (core.tasks.rows_claim): queued, running, done, or failed
    # when its run was lost (the reason in check_error)
    class CheckStatus(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    check_status = models.CharField(
        max_length=16, choices=CheckStatus.choices, blank=True, editable=False
    )
    check_task_id = models.CharField(max_length=255, blank=True, editable=False)
    check_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    # link health, recorded by the check_evidence_link job
    last_checked_at = models.DateTimeField(null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField(null=True, blank=True)
    check_error = models.CharField(max_length=500, blank=True)
    # archived copy, taken on the first successful fetch
    archived_text = models.TextField(blank=True)
    archived_sha256 = models.CharField(max_length=64, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["claim_id", "stance", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "url"], name="evidence_unique_url_per_claim"),
            models.CheckConstraint(
                condition=models.Q(stance__in=["supports", "refutes", "context"]),
                name="evidence_stance_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class ClaimSeries(models.Model):
    class Origin(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested by the matcher")
        EDITOR = "editor", _("Added by an editor")

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    class Operator(models.TextChoices):
        GTE = "gte", "≥"
        GT = "gt", ">"
        LTE = "lte", "≤"
        LT = "lt", "<"

    class Result(models.TextChoices):
        HOLDS = "holds", _("Holds")
        FAILS = "fails", _("Does not hold")
        NO_DATA = "no_data", _("No data for the period")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="series_links")
    series = models.ForeignKey(
        "energy.Series", on_delete=models.CASCADE, related_name="claim_links"
    )
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.EDITOR)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    match_score = models.FloatField(null=True, blank=True)
    match_reasons = models.CharField(max_length=500, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    # An optional assertion the data can check: the series' value over [period_start,
    # period_end] (every observation in it) compared to a threshold.
    assertion_operator = models.CharField(max_length=4, choices=Operator.choices, blank=True)
    assertion_threshold = models.FloatField(null=True, blank=True)
    assertion_period_start = models.DateField(null=True, blank=True)
    assertion_period_end = models.DateField(null=True, blank=True)
    assertion_result = models.CharField(max_length=8, choices=Result.choices, blank=True)
    assertion_value = models.FloatField(null=True, blank=True)
    assertion_checked_at = models.DateTimeField(null=True, blank=True)
    assertion_drifted = models.BooleanField(
        default=False, help_text=_("The result changed since an editor last confirmed it.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "claim ↔ series link"
        ordering = ["claim_id", "-match_score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "series"], name="claimseries_unique"),
        ]

    def __str__(self) -> str:
        return f"claim {self.claim_id} ↔ series {self.series_id}"


class AssertionResultChange(models.Model):
    """A data check's result each time it changed (the first result included): what it was,
    the value nearest to failing, the latest period of the data it was computed on, and when.
    Readers see this as the check's history ("held with the 2023 data; does not hold since
    the 2024 data"). A new rule starts a new history."""

    link = models.ForeignKey(
        ClaimSeries, on_delete=models.CASCADE, related_name="assertion_changes"
    )
    result = models.CharField(max_length=8, choices=ClaimSeries.Result.choices)
    value = models.FloatField(null=True, blank=True)
    data_through = models.DateField(null=True, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["link_id", "checked_at", "id"]

    def __str__(self) -> str:
        return f"{self.link_id}: {self.result} at {self.checked_at:%Y-%m-%d}"


class ClaimEmbedding(models.Model):
    """A claim's sentence vectors (quote, and statement when it has one), float16.

    Kept beside the claim rather than on it: the claim's history would copy 2 KB of vectors
    into every historical row, and re-embedding would touch the claim's `updated_at` (the API's
    `updated_since` and ETags). `text_hash` says which text the vectors are of, so a claim
    whose text did not change is not embedded again; `index_seq` is the index version of the
    last change a process's index must pick up (claims.similarity.live)."""

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    model_version = models.CharField(max_length=64)
    text_hash = models.CharField(max_length=64)
    quote_vector = models.BinaryField()
    statement_vector = models.BinaryField(null=True, blank=True)
    index_seq = models.BigIntegerField(default=0, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"embedding of claim {self.claim_id}"


class ClaimIndexVersion(models.Model):
    """One row: a counter bumped in the same transaction as every change the similarity index
    must see (a claim embedded, its status or its article's status changed). Processes compare
    it with their own copy and read only the rows changed since (ClaimEmbedding.index_seq).
    The UPDATE that bumps it locks the row until commit, so versions follow commit order."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"similarity index version {self.version}"


class ClaimLink(models.Model):
    """Two claims that may be one: suggested by the matcher (score), confirmed or rejected by
    an editor. Stored once per pair, the lower claim id first. A rejected pair is never
    suggested again; confirmed links make families (Claim.family)."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_out")
    other = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_in")
    score = models.FloatField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SUGGESTED, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "same-claim link"
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "other"], name="claimlink_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(claim__lt=models.F("other")), name="claimlink_ordered_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["suggested", "confirmed", "rejected"]),
                name="claimlink_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"claim {self.claim_id} = claim {self.other_id} ({self.status})"


class CheckRequest(models.Model):
    """A reader's "has this been checked?" that found nothing: a sentence editors may turn into
    a claim. Requests that say the same thing are one request with several requesters."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLAIMED = "claimed", _("Became a claim")
        DISMISSED = "dismissed", _("Dismissed")

    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    vector = models.BinaryField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="check_requests"
    )
    requester_count = models.PositiveIntegerField(_("requesters"), default=0)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="check_requests_resolved",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-requester_count", "-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "claimed", "dismissed"]),
                name="checkrequest_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:77] + "..."


class CheckRequester(models.Model):
    """One reader behind a check request, with what they sent. Kept when the request becomes
    a claim: they are the people to tell when it is published."""

    request = models.ForeignKey(CheckRequest, on_delete=models.CASCADE, related_name="requesters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_requests"
    )
    text = models.TextField(_("text"))
    url = models.URLField(_("link"), max_length=2000, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="checkrequester_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on request {self.request_id}"

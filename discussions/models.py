from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from claims.models import Claim

# Each level of a comment's sort path is the comment's rank among its siblings, zero-padded to
# this many digits: a reply's path is its parent's path plus its own segment, so ordering a
# thread by path gives depth-first display order.
PATH_SEGMENT_WIDTH = 6
MAX_SIBLINGS = 10**PATH_SEGMENT_WIDTH - 1


class CommentQuerySet(models.QuerySet["Comment"]):
    def shown(self) -> CommentQuerySet:
        """Comments that appear in a thread: visible ones, and deleted ones as placeholders."""
        return self.filter(status__in=SHOWN_STATUSES)

    def in_thread_order(self) -> CommentQuerySet:
        """Oldest thread first, each thread depth-first."""
        return self.annotate(thread=Coalesce("root_id", "id")).order_by("thread", "path")


class Comment(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        PENDING = "pending", _("Pending moderation")
        HIDDEN = "hidden", _("Hidden by a moderator")
        REMOVED = "removed", _("Removed by a moderator")
        DELETED = "deleted", _("Deleted by its author")

    class Stance(models.TextChoices):
        SUPPORTS = "supports", _("Supports")
        REFUTES = "refutes", _("Refutes")
        NEEDS_CONTEXT = "needs_context", _("Needs context")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    # The top-level comment of the thread; null for a top-level comment itself.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    depth = models.PositiveIntegerField(default=0)
    path = models.TextField(default="", blank=True, editable=False)
    # How many direct replies were ever attached; the next reply's path segment.
    child_count = models.PositiveIntegerField(default=0, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    external_author = models.CharField(
        _("external author"),
        max_length=150,
        blank=True,
        help_text=_("Handle on the original platform."),
    )
    external_posted_at = models.DateTimeField(null=True, blank=True)
    external_posted_raw = models.CharField(
        _("original time as written"), max_length=100, blank=True
    )
    external_like_count = models.PositiveIntegerField(null=True, blank=True)
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.VISIBLE, db_index=True
    )
    stance = models.CharField(max_length=16, choices=Stance.choices, blank=True)
    like_count = models.PositiveIntegerField(default=0)
    edited_at = models.DateTimeField(null=True, blank=True)
    # why a comment was held for review (a holding rule's words, or a new-account rule); kept
    # after a moderator decides, so the log says what held it
    held_reason = models.CharField(_("held because"), max_length=300, blank=True)
    hold_rule = models.ForeignKey(
        "HoldRule",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held_comments",
        verbose_name=_("holding rule"),
    )
    # pinned by an editor at the top of its discussion, with a short label ("Expert answer")
    featured_label = models.CharField(_("featured as"), max_length=80, blank=True)
    featured_at = models.DateTimeField(_("featured at"), null=True, blank=True)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("featured by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["article", "claim", "root", "path"], name="comment_thread_order"),
            models.Index(fields=["root", "path"], name="comment_root_path"),
            # CommentQuerySet.in_thread_order across articles (the comments API list): lets the
            # database walk threads in display order instead of sorting every comment
            models.Index(Coalesce("root", "id"), F("path"), name="comment_thread_key_path"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (
                        models.Q(parent__isnull=True)
                        & models.Q(root__isnull=True)
                        & models.Q(depth=0)
                    )
                    | (
                        models.Q(parent__isnull=False)
                        & models.Q(root__isnull=False)
                        & models.Q(depth__gt=0)
                    )
                ),
                name="comment_tree_shape",
            ),
            models.CheckConstraint(
                condition=models.Q(author__isnull=False) | ~models.Q(external_author=""),
                name="comment_has_author",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["visible", "pending", "hidden", "removed", "deleted"]
                ),
                name="comment_status_valid",
            ),
            models.UniqueConstraint(
                fields=["root", "path"],
                condition=models.Q(root__isnull=False),
                name="comment_unique_path_in_thread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:60]}"

    def get_absolute_url(self) -> str:
        """Where the comment shows: its claim's page or its article's, at the comment."""
        base = (
            self.claim.get_absolute_url()
            if self.claim_id is not None and self.claim is not None
            else self.article.get_absolute_url()
        )
        return f"{base}#comment-{self.pk}"

    @property
    def author_name(self) -> str:
        if self.author_id is not None and self.author is not None:
            return self.author.get_username()
        return self.external_author

    @property
    def is_imported(self) -> bool:
        return bool(self.external_author)


class Reaction(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="reaction_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.comment_id}"


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abusive or hateful")
        OFF_TOPIC = "off_topic", _("Off topic")
        MISINFORMATION = "misinformation", _("Misinformation")
        OTHER = "other", _("Other")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    details = models.TextField(blank=True)
    resolved = models.BooleanField(default=False, db_index=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="flags_resolved",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="flag_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.reason} on {self.comment_id}"


class ModerationAction(models.Model):
    class Action(models.TextChoices):
        APPROVE = "approve", _("Approve")
        HIDE = "hide", _("Hide")
        REMOVE = "remove", _("Remove")
        RESTORE = "restore", _("Restore")
        FEATURE = "feature", _("Feature")
        UNFEATURE = "unfeature", _("Unfeature")
        PROMOTE = "promote", _("Use as evidence")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="moderation_log")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    reason = models.TextField(blank=True)
    previous_status = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} {self.comment_id}"


class HoldRule(models.Model):
    """Words or patterns that hold a matching comment for review instead of publishing it.

    Matching is case- and accent-blind and sees through the usual evasions (letters spaced or
    dotted apart, repeated, or written with look-alike digits): see discussions.holding."""

    class Kind(models.TextChoices):
        WORD = "word", _("Whole word or phrase")
        PATTERN = "pattern", _("Regular expression")

    class Language(models.TextChoices):
        ANY = "", _("Any language")
        FR = "fr", _("French")
        EN = "en", _("English")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.WORD)
    text = models.CharField(
        _("word, phrase or pattern"),
        max_length=200,
        help_text=_(
            "A word or phrase matches as whole words, ignoring case, accents, spacing and "
            "look-alike digits. A pattern is a regular expression matched against the "
            "comment in lower case without accents."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("Only comments on articles in this language; empty: every comment."),
    )
    note = models.CharField(_("note for moderators"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["text", "id"]
        verbose_name = _("holding rule")
        verbose_name_plural = _("holding rules")
        constraints = [
            models.UniqueConstraint(fields=["kind", "text", "language"], name="hold_rule_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class AccountSanction(models.Model):
    """A moderator's suspension (until a date) or ban of an account. The rows are the log:
    lifting one records who lifted it and why; nothing is ever deleted."""

    class Kind(models.TextChoices):
        SUSPEND = "suspend", _("Suspension")
        BAN = "ban", _("Ban")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sanctions",
        verbose_name=_("account"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    ends_at = models.DateTimeField(
        _("until"), null=True, blank=True, help_text=_("Suspensions only; a ban has no end.")
    )
    reason = models.TextField(_("reason"))
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderator"),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lift_reason = models.TextField(_("why it was lifted"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("account sanction")
        verbose_name_plural = _("account sanctions")
        indexes = [models.Index(fields=["user", "lifted_at"], name="sanction_user_open")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="ban", ends_at__isnull=True)
                    | models.Q(kind="suspend", ends_at__isnull=False)
                ),
                name="sanction_end_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.user_id}"


class CommentEvidence(models.Model):
    """A comment turned into evidence on a claim: the provenance of that evidence (which
    comment, whose words, who promoted it)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="evidence_uses")
    evidence = models.OneToOneField(
        "claims.Evidence", on_delete=models.CASCADE, related_name="source_comment"
    )
    # the comment's author when it was promoted (an imported comment has only a handle)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("author's name"), max_length=150)
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("promoted by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("comment used as evidence")
        verbose_name_plural = _("comments used as evidence")

    def __str__(self) -> str:
        return f"comment {self.comment_id} → evidence {self.evidence_id}"


class ModerationQueueItem(Comment):
    """Comments awaiting a moderator (pending or flagged), as their own admin queue."""

    class Meta:
        proxy = True
        verbose_name = _("comment awaiting moderation")
        verbose_name_plural = _("moderation queue")


# The comment statuses grouped once, for every door (pages, API, exports, moderation):
# shown in a thread (the comment, or its author's "deleted" placeholder; replies hang under
# these);
SHOWN_STATUSES = (Comment.Status.VISIBLE, Comment.Status.DELETED)
# taken down by a moderator: never shown, kept as a bare placeholder while a reply hangs below;
TAKEN_DOWN_STATUSES = (Comment.Status.HIDDEN, Comment.Status.REMOVED)
# where a thread's comments may stand (pending ones are their author's alone);
THREAD_STATUSES = SHOWN_STATUSES + TAKEN_DOWN_STATUSES
# withdrawn: their text is shown to moderators only.
WITHDRAWN_STATUSES = (Comment.Status.DELETED, *TAKEN_DOWN_STATUSES)

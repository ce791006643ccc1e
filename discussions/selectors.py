"""Reads of discussions shared by the pages and the API.

A thread page is one flat list in display order: a page of top-level comment ids, then every
comment under those roots in one query (ordered by thread, then by sort path), then the
reader's likes in one more. Each comment carries what the template needs to nest it without a
recursive include: its displayed depth (capped), whether replies follow, and how many levels
close after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext

from articles.models import Article
from claims.models import Claim, Evidence
from core.roles import user_is_moderator
from discussions.models import (
    SHOWN_STATUSES,
    TAKEN_DOWN_STATUSES,
    THREAD_STATUSES,
    Comment,
    CommentEvidence,
    Flag,
    Reaction,
)

if TYPE_CHECKING:
    from core.roles import AnyUser

# Replies nest visually (and in the HTML) down to this level; deeper replies are shown at this
# level with a note of whom they answer, so a 500-deep chain stays readable and the document
# stays shallow.
MAX_DISPLAY_DEPTH = 6

# Imported comments sort by their time on the original platform where it is known.
_POSTED = Coalesce("external_posted_at", "created_at")
SORTS = {
    "oldest": (_POSTED.asc(), "id"),
    "newest": (_POSTED.desc(), "-id"),
    "liked": ("-like_count", _POSTED.asc(), "id"),
}
DEFAULT_SORT = "oldest"
# What a thread page shows of each comment (not the markdown source, nor moderation fields),
# read as plain rows: building thousands of model instances cost more than rendering them.
THREAD_COLUMNS = (
    "id",
    "parent_id",
    "root_id",
    "depth",
    "author_id",
    "author__username",
    "external_author",
    "external_posted_at",
    "external_posted_raw",
    "external_like_count",
    "body_html",
    "status",
    "stance",
    "like_count",
    "edited_at",
    "created_at",
    "featured_label",
    "featured_at",
    "evidence_claim_id",
)
_STANCE_LABELS = dict(Comment.Stance.choices)


@dataclass(slots=True)
class ThreadComment:
    """One comment as a thread page shows it, with its place in the nesting."""

    pk: int
    parent_id: int | None
    root_id: int | None
    depth: int
    author_id: int | None
    author_username: str | None
    external_author: str
    external_posted_at: dt.datetime | None
    external_posted_raw: str
    external_like_count: int | None
    body_html: str
    status: str
    stance: str
    like_count: int
    edited_at: dt.datetime | None
    created_at: dt.datetime
    featured_label: str
    featured_at: dt.datetime | None
    # the (first) public claim this comment is evidence on, if an editor promoted it
    evidence_claim_id: int | None
    display_depth: int = 0
    has_children: bool = False
    closes_after: range = range(0)
    reply_to: str = ""

    @property
    def author_name(self) -> str:
        return self.author_username or self.external_author

    @property
    def is_imported(self) -> bool:
        return bool(self.external_author)

    @property
    def local_like_count(self) -> int:
        """Likes given here: like_count starts from the original page's count on import."""
        return max(self.like_count - (self.external_like_count or 0), 0)

    def get_stance_display(self) -> str:
        return str(_STANCE_LABELS.get(self.stance, self.stance))

    @property
    def is_featured(self) -> bool:
        return self.featured_at is not None and self.status == Comment.Status.VISIBLE


@dataclass
class ThreadPage:
    comments: list[ThreadComment]
    sort: str
    page: int
    has_more: bool
    liked_ids: set[int] = field(default_factory=set)

    def release_comments(self) -> None:
        """Drop the rows once the thread is rendered (the page keeps its HTML)."""
        self.comments = []


def _discussion(article: Article, claim: Claim | None) -> Q:
    if claim is None:
        return Q(article=article, claim__isnull=True)
    return Q(article=article, claim=claim)


def evidence_claim_annotation() -> Subquery:
    """The first public claim a comment was made evidence on (null when none): a subquery in
    the comments' own query, so the pages and the API pay no query per comment for it."""
    return Subquery(
        CommentEvidence.objects.filter(
            comment_id=OuterRef("pk"), evidence__claim__in=Claim.objects.public().values("pk")
        )
        .order_by("id")
        .values("evidence__claim_id")[:1]
    )


def _featured_threads(article: Article, claim: Claim | None) -> QuerySet[Comment, dict[str, Any]]:
    """The threads of a discussion that hold a featured visible comment (as a subquery)."""
    return (
        Comment.objects.filter(
            _discussion(article, claim), featured_at__isnull=False, status=Comment.Status.VISIBLE
        )
        .annotate(thread=Coalesce("root_id", "id"))
        .values("thread")
    )


def comment_thread(
    *,
    article: Article,
    claim: Claim | None = None,
    user: AnyUser | None = None,
    sort: str = DEFAULT_SORT,
    page: int = 1,
    page_size: int,
) -> ThreadPage:
    """One page of top-level threads of an article's discussion (or of one claim's), each
    thread complete, in display order: two queries (three with a signed-in reader).

    Threads holding a featured comment come first, whatever the
    sort; unfeaturing puts them back in their place. A reader's own held (pending) comments
    and replies are in their thread, shown to them alone."""
    if sort not in SORTS:
        sort = DEFAULT_SORT
    page = max(page, 1)
    offset = (page - 1) * page_size
    roots = Comment.objects.filter(_discussion(article, claim), parent__isnull=True)
    pinned = Case(
        When(id__in=_featured_threads(article, claim), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    root_ids = list(
        roots.filter(
            Q(status__in=THREAD_STATUSES) | (Q(status=Comment.Status.PENDING) & _author_q(user))
        )
        .exclude(status__in=TAKEN_DOWN_STATUSES, child_count=0)
        .annotate(pinned=pinned)
        .order_by("-pinned", *SORTS[sort])
        .values_list("id", flat=True)[offset : offset + page_size + 1]
    )
    has_more = len(root_ids) > page_size
    root_ids = root_ids[:page_size]
    rank = {root_id: position for position, root_id in enumerate(root_ids)}
    rows = (
        Comment.objects.filter(Q(id__in=root_ids) | Q(root_id__in=root_ids))
        .exclude(Q(depth__gt=0) & Q(status=Comment.Status.PENDING) & ~_author_q(user))
        .in_thread_order()
        .annotate(evidence_claim_id=evidence_claim_annotation())
        .values_list(*THREAD_COLUMNS)
    )
    comments = _without_unshown_leaves([ThreadComment(*row) for row in rows])
    # the database returns threads by root id; the page wants them in the chosen sort
    comments.sort(key=lambda c: rank[c.root_id or c.pk])
    _annotate_layout(comments)
    liked: set[int] = set()
    if getattr(user, "is_authenticated", False) and comments:
        liked = set(
            Reaction.objects.filter(user_id=_user_pk(user))
            .filter(Q(comment__article=article) & _claim_q(claim))
            .values_list("comment_id", flat=True)
        )
    return ThreadPage(comments, sort, page, has_more, liked)


def _without_unshown_leaves(comments: list[ThreadComment]) -> list[ThreadComment]:
    """Drop hidden and removed comments that have no shown reply below them (in thread order,
    so one pass from the end sees every reply before its parent). Those that keep a shown
    reply stay as anonymous placeholders so the replies keep their place."""
    needed: set[int] = set()
    kept: list[ThreadComment] = []
    for comment in reversed(comments):
        if comment.status in TAKEN_DOWN_STATUSES and comment.pk not in needed:
            continue
        kept.append(comment)
        if comment.parent_id is not None:
            needed.add(comment.parent_id)
    kept.reverse()
    return kept


def _user_pk(user: AnyUser | None) -> int:
    return int(getattr(user, "pk", 0) or 0)


def _author_q(user: AnyUser | None) -> Q:
    if getattr(user, "is_authenticated", False):
        return Q(author_id=getattr(user, "pk", None))
    return Q(pk__in=[])


def _claim_q(claim: Claim | None) -> Q:
    return Q(comment__claim__isnull=True) if claim is None else Q(comment__claim=claim)


def _annotate_layout(comments: list[ThreadComment]) -> None:
    """Set display_depth, has_children, closes_after and reply_to (the parent's author, for
    replies shown below the nesting cap) on each comment. Every parent of a comment on the
    page is on the page (whole threads are loaded), so no query is needed."""
    shown = [min(c.depth, MAX_DISPLAY_DEPTH) for c in comments]
    names = {c.pk: _shown_name(c) for c in comments if c.depth >= MAX_DISPLAY_DEPTH}
    for index, comment in enumerate(comments):
        depth = shown[index]
        next_depth = shown[index + 1] if index + 1 < len(comments) else 0
        comment.display_depth = depth
        comment.has_children = next_depth > depth
        comment.closes_after = range(max(depth - next_depth, 0))
        comment.reply_to = (
            names.get(comment.parent_id or 0, "") if comment.depth > MAX_DISPLAY_DEPTH else ""
        )


def _shown_name(comment: ThreadComment) -> str:
    """The name a reply note may give its parent: none for a placeholder."""
    if comment.status in TAKEN_DOWN_STATUSES:
        return gettext("a comment that is not shown")
    if comment.status == Comment.Status.DELETED:
        return gettext("[deleted]")
    return comment.author_name


def comment_for_action(*, pk: int, user: AnyUser) -> Comment | None:
    """The comment a page acts on (reply, flag, like, edit, delete), or None when this user may
    not read it: the same rule as the API (comment_list_for_api), so a page never shows the
    author and text of a comment a moderator took down, or of another user's pending one."""
    return (
        comment_list_for_api(user=user)
        .select_related("article", "claim", "author")
        .filter(pk=pk)
        .first()
    )


def comment_list_for_api(*, user: AnyUser) -> QuerySet[Comment]:
    """Comments a client may read, in display order (oldest thread first, each depth-first).

    Readers see visible comments and deleted placeholders on published articles, plus their
    own comments awaiting moderation; moderators see every comment. Two queries per page.
    """
    comments = Comment.objects.select_related("author").annotate(
        evidence_claim_id=evidence_claim_annotation()
    )
    if not user_is_moderator(user):
        public = Q(status__in=SHOWN_STATUSES) & (
            Q(claim__isnull=True) | Q(claim__in=Claim.objects.public().values("pk"))
        )
        comments = comments.filter(article__in=Article.objects.published().values("pk")).filter(
            public | (Q(status=Comment.Status.PENDING) & _author_q(user))
        )
    return comments.in_thread_order()


@dataclass(frozen=True)
class CommentProvenance:
    """Where a piece of evidence came from when an editor promoted a reader's comment."""

    author_name: str
    comment_url: str  # "" when the comment is no longer shown


# joined into the evidence query of a claim page (claims.selectors.evidence_for_claims), so
# naming each promoted comment's author costs no query of its own
EVIDENCE_PROVENANCE_RELATED = ("source_comment__comment__article",)


def evidence_provenance(evidence: Evidence) -> CommentProvenance | None:
    """The reader comment behind an evidence link, read from the relation joined by
    EVIDENCE_PROVENANCE_RELATED; None when an editor added the link directly."""
    try:
        source = evidence.source_comment
    except CommentEvidence.DoesNotExist:
        return None
    comment = source.comment
    url = ""
    if comment.status == Comment.Status.VISIBLE:
        base = (
            reverse("reading:claim", args=[comment.claim_id])
            if comment.claim_id is not None
            else reverse("reading:article", args=[comment.article.slug])
        )
        url = f"{base}#comment-{comment.pk}"
    return CommentProvenance(author_name=source.author_name, comment_url=url)


def comment_flagged_by(*, comment: Comment, user: AnyUser) -> bool:
    """Whether this reader has already flagged this comment (one flag each)."""
    if not user.is_authenticated:
        return False
    return Flag.objects.filter(comment=comment, user_id=user.pk).exists()

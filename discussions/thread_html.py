"""A thread page as HTML, from the flat ordered list of discussions.selectors.comment_thread.

The per-comment markup is built here rather than in a template loop: a page may hold thousands
of comments, and the template engine's cost per comment (a few dozen variable lookups, tags
and URL reversals) made a 10,000-comment page take seconds. Strings are translated once per
page, URLs are built from one reversed pattern each, and every value is escaped (html.escape)
except body_html, which nh3 cleaned when the comment was saved. The nesting comes from each
comment's display_depth, has_children and closes_after, set by the selector; nothing recurses.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.roles import user_is_editor
from discussions.models import TAKEN_DOWN_STATUSES, Comment
from discussions.selectors import ThreadComment, ThreadPage
from discussions.services import comment_can_edit

if TYPE_CHECKING:
    from core.roles import AnyUser

_PK = 987654321
_CHUNK_PIECES = 8192


def _url_maker(name: str) -> Callable[[int], str]:
    pattern = reverse(name, args=[_PK])
    head, tail = pattern.split(str(_PK), 1)
    return lambda pk: f"{head}{pk}{tail}"


@dataclass(frozen=True)
class _Labels:
    deleted_author: str
    imported: str
    imported_title: str
    edited: str
    deleted_body: str
    pending_note: str
    featured: str
    evidence_on: str
    feature: str
    promote: str
    not_shown_body: str
    not_shown_label: str
    likes: str
    local_likes: str
    original_likes_unknown: str
    like: str
    unlike: str
    reply: str
    edit: str
    delete: str
    flag: str
    replies: str
    empty: str

    @classmethod
    def current(cls) -> _Labels:
        return cls(
            deleted_author=_("[deleted]"),
            imported=_("imported"),
            imported_title=_("Imported with the article from the original post"),
            edited=_("(edited)"),
            deleted_body=_("This comment was deleted by its author."),
            pending_note=_(
                "Waiting for review: only you can see this comment until a moderator approves it."
            ),
            featured=_("Featured"),
            evidence_on=_("Used as evidence on claim %(claim)s"),
            feature=_("Feature"),
            promote=_("Use as evidence"),
            not_shown_body=_("This comment is not shown."),
            not_shown_label=_("Comment not shown"),
            likes=_("Likes:"),
            local_likes=_("Likes here:"),
            original_likes_unknown=_("Likes on the original: unknown"),
            like=_("Like"),
            unlike=_("Unlike"),
            reply=_("Reply"),
            edit=_("Edit"),
            delete=_("Delete"),
            flag=_("Flag"),
            replies=_("Replies"),
            empty=_("No comments yet."),
        )


class _Times:
    """Localised <time> elements; one formatting per distinct minute on the page when the
    locale's DATETIME_FORMAT shows no seconds (comments posted together share the work)."""

    _SUB_MINUTE = set("sucrUv")

    def __init__(self) -> None:
        self.fmt = get_format("DATETIME_FORMAT")
        self.by_minute = not (set(self.fmt) & self._SUB_MINUTE)
        self.zone = timezone.get_current_timezone()
        self.cache: dict[dt.datetime, str] = {}

    def _local(self, value: dt.datetime) -> dt.datetime:
        return value.astimezone(self.zone) if timezone.is_aware(value) else value

    def _text(self, local: dt.datetime) -> str:
        key = local.replace(second=0, microsecond=0) if self.by_minute else local
        shown = self.cache.get(key)
        if shown is None:
            shown = self.cache[key] = _e(dateformat.format(local, self.fmt))
        return shown

    def text(self, value: dt.datetime) -> str:
        return self._text(self._local(value))

    def as_written(self, value: dt.datetime, raw: str) -> str:
        """An imported time: the text as the original page showed it; the moment it was read
        as (under the import's assumptions) in the datetime attribute and the tooltip."""
        local = self._local(value)
        shown = raw or self._text(local)
        return (
            f'<time datetime="{local.isoformat()}" title="{_e(self._text(local))}">'
            f"{_e(shown)}</time>"
        )

    def element(self, value: dt.datetime, title: str = "") -> str:
        local = self._local(value)
        title_attr = f' title="{_e(title)}"' if title else ""
        return f'<time datetime="{local.isoformat()}"{title_attr}>{self._text(local)}</time>'


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _count(count: int) -> str:
    # below 1,000 every locale writes the plain digits
    return str(count) if count < 1000 else _e(number_format(count, force_grouping=True))


def _close_item(out: list[str], comment: ThreadComment, replies_label: str) -> None:
    """Open the replies list after a comment that has some, else close its item and the
    levels that end with it."""
    if comment.has_children:
        out.append(
            f'<details class="replies" open><summary>{replies_label}</summary>'
            '<ol class="thread thread--replies">'
        )
    else:
        out.append("</li>")
        out.extend("</ol></details></li>" for _level in comment.closes_after)


def _notice(texts: list[str], css: str) -> str:
    return "".join(f'<p class="message {css}" role="status">{_e(text)}</p>' for text in texts)


def render_thread(
    *,
    thread: ThreadPage,
    user: AnyUser | None,
    csrf_token: str,
    next_url: str,
    notices: Mapping[str, list[str]] | None = None,
    may_post: bool = True,
) -> SafeString:
    chunks = render_thread_chunks(
        thread=thread,
        user=user,
        csrf_token=csrf_token,
        next_url=next_url,
        notices=notices,
        may_post=may_post,
    )
    # every value in the chunks is escaped with _e (or is an int, or nh3-cleaned body_html)
    return mark_safe("".join(chunks))  # noqa: S308


def render_thread_chunks(
    *,
    thread: ThreadPage,
    user: AnyUser | None,
    csrf_token: str,
    next_url: str,
    notices: Mapping[str, list[str]] | None = None,
    may_post: bool = True,
) -> list[str]:
    """The thread's HTML in pieces of a few hundred comments each, safe to concatenate: a
    long thread is never held twice (pieces and their join) while it is rendered.

    `may_post`: False for a suspended or banned reader, who gets no "Reply" or "Edit" (the
    services would refuse them); they still like, flag and delete.

    `notices`: messages anchored to comments ({"comment-<pk>": [text]}, from
    core.anchored_messages), shown in the comment the reader acted on; those whose comment is
    not on this page are shown above the thread instead, so none is lost."""
    labels = _Labels.current()
    notices = dict(notices or {})
    placed = {f"comment-{c.pk}" for c in thread.comments}
    elsewhere = [text for key, texts in notices.items() if key not in placed for text in texts]
    lead = _notice(elsewhere, "discussion__notice")
    if not thread.comments:
        # _notice escapes; format_html escapes the label
        return [lead + format_html('<p class="discussion__empty">{}</p>', labels.empty)]
    like_url = _url_maker("discussions:like")
    reply_url = _url_maker("discussions:reply")
    edit_url = _url_maker("discussions:edit")
    delete_url = _url_maker("discussions:delete")
    flag_url = _url_maker("discussions:flag")
    feature_url = _url_maker("discussions:feature")
    promote_url = _url_maker("discussions:promote")
    claim_url = _url_maker("reading:claim")
    curator = user_is_editor(user)
    signed_in = bool(getattr(user, "is_authenticated", False))
    user_pk = getattr(user, "pk", None) if signed_in else None
    now = timezone.now()
    times = _Times()
    # every label and fixed value escaped once for the whole page
    t = {name: _e(value) for name, value in vars(labels).items()}
    csrf_input = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(csrf_token)}">'
    next_value = _e(next_url)
    comment_by = _("Comment by %(name)s")
    in_reply_to = _("in reply to %(name)s")
    imported_badge = (
        f'<span class="badge badge--imported" title="{t["imported_title"]}">{t["imported"]}</span>'
    )
    gone_text: dict[str, str] = {Comment.Status.DELETED: t["deleted_body"]}

    out: list[str] = [lead, '<ol class="thread">']
    add = out.append
    # a long thread is tens of small strings per comment: joined every few hundred comments,
    # so the page never holds them all at once (a 10,000-comment page: 23 MB less at its peak)
    chunks: list[str] = []
    for comment in thread.comments:
        if len(out) >= _CHUNK_PIECES:
            chunks.append("".join(out))
            out.clear()
        pk = comment.pk
        status = comment.status
        if status in TAKEN_DOWN_STATUSES:
            # a moderator took it down; it stays only to hold its shown replies in place:
            # no handle, time, body, likes or actions
            add(
                f'<li class="comment-item depth-{comment.display_depth}">'
                f'<article class="comment comment--not-shown" id="comment-{pk}" '
                f'aria-label="{t["not_shown_label"]}">'
                f'<p class="comment__body comment__body--gone">{t["not_shown_body"]}</p>'
                "</article>"
            )
            _close_item(out, comment, t["replies"])
            continue
        visible = status == Comment.Status.VISIBLE
        pending = status == Comment.Status.PENDING
        featured = comment.is_featured
        imported = comment.is_imported
        author_name = comment.author_name
        classes = "comment"
        if imported:
            classes += " comment--imported"
        if not visible:
            classes += f" comment--{_e(status)}"
        if featured:
            classes += " comment--featured"
        shown_name = labels.deleted_author if status == Comment.Status.DELETED else author_name
        label = _e(comment_by % {"name": shown_name})
        add(
            f'<li class="comment-item depth-{comment.display_depth}">'
            f'<article class="{classes}" id="comment-{pk}" aria-label="{label}">'
            '<header class="comment__head">'
        )
        if status == Comment.Status.DELETED:
            add(f'<span class="comment__author comment__author--gone">{t["deleted_author"]}</span>')
        else:
            add(f'<span class="comment__author">{_e(author_name)}</span>')
            if imported:
                add(imported_badge)
        if imported:
            if comment.external_posted_at:
                add(times.as_written(comment.external_posted_at, comment.external_posted_raw))
            elif comment.external_posted_raw:
                add(f'<span class="comment__time">{_e(comment.external_posted_raw)}</span>')
        else:
            add(
                f'<a class="comment__permalink" href="#comment-{pk}">'
                f"{times.element(comment.created_at)}</a>"
            )
        if comment.edited_at and visible:
            edited_at = times.text(comment.edited_at)
            add(f'<span class="comment__edited" title="{edited_at}">{t["edited"]}</span>')
        if comment.stance and visible:
            add(f'<span class="badge badge--stance">{_e(comment.get_stance_display())}</span>')
        if featured:
            add(
                f'<span class="badge badge--featured" data-featured="{pk}">'
                f"{_e(comment.featured_label) or t['featured']}</span>"
            )
        add("</header>")
        if pending:
            # the selector gives a pending comment to its author alone
            add(f'<p class="comment__pending" role="status">{t["pending_note"]}</p>')
        if comment.reply_to:
            note = _e(in_reply_to % {"name": comment.reply_to})
            add(
                f'<p class="comment__reply-note"><a href="#comment-{comment.parent_id}">'
                f"{note}</a></p>"
            )
        if visible or pending:
            # body_html was rendered from markdown and cleaned by nh3 when the comment was saved
            add(f'<div class="comment__body">{comment.body_html}</div>')
        else:
            gone = gone_text[status]
            add(f'<p class="comment__body comment__body--gone">{gone}</p>')

        if visible and comment.evidence_claim_id is not None:
            claim_pk = comment.evidence_claim_id
            note = _e(labels.evidence_on % {"claim": claim_pk})
            add(f'<p class="comment__evidence"><a href="{claim_url(claim_pk)}">{note}</a></p>')
        add('<footer class="comment__actions">')
        if imported:
            # the original page's count, apart from the likes given here
            original = comment.external_like_count
            if original is None:
                add(f'<span class="likes likes--original">{t["original_likes_unknown"]}</span>')
            else:
                text = ngettext(
                    "%(count)s like on the original", "%(count)s likes on the original", original
                ) % {"count": _count(original)}
                add(f'<span class="likes likes--original">{_e(text)}</span>')
            likes_label = t["local_likes"]
            offset = f' data-like-offset="{original or 0}"'
            count = comment.local_like_count
        else:
            likes_label, offset, count = t["likes"], "", comment.like_count
        add(
            f'<span class="likes">{likes_label} '
            f'<span data-like-count="{pk}"{offset}>{_count(count)}</span></span>'
        )
        own = signed_in and comment.author_id is not None and comment.author_id == user_pk
        if signed_in and visible and not own:
            # nobody likes their own comment (comment_like_toggle refuses it)
            liked = pk in thread.liked_ids
            add(
                f'<form method="post" action="{like_url(pk)}" class="inline-form like-form">'
                f"{csrf_input}"
                f'<input type="hidden" name="next" value="{next_value}#comment-{pk}">'
                f'<button type="submit" class="link-button" '
                f'aria-pressed="{"true" if liked else "false"}" data-like="{pk}" '
                f'data-label-like="{t["like"]}" data-label-unlike="{t["unlike"]}">'
                f"{t['unlike'] if liked else t['like']}</button></form>"
            )
        if visible and may_post:
            # a deleted comment's placeholder holds its replies in place but takes no new one
            add(f'<a href="{reply_url(pk)}" data-reply="{pk}">{t["reply"]}</a>')
        if own:
            if may_post and comment_can_edit(comment=comment, user=user, now=now):
                add(f'<a href="{edit_url(pk)}">{t["edit"]}</a>')
            if visible:
                add(f'<a href="{delete_url(pk)}">{t["delete"]}</a>')
        elif signed_in and visible:
            add(f'<a href="{flag_url(pk)}">{t["flag"]}</a>')
        if curator and visible:
            add(f'<a href="{feature_url(pk)}">{t["feature"]}</a>')
            add(f'<a href="{promote_url(pk)}">{t["promote"]}</a>')
        add("</footer>")
        if notices:
            add(_notice(notices.get(f"comment-{pk}", []), "comment__notice"))
        add("</article>")
        _close_item(out, comment, t["replies"])
    add("</ol>")
    chunks.append("".join(out))
    return chunks

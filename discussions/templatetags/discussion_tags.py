from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.anchored_messages import messages_anchored
from core.fragments import fragment
from discussions.selectors import ThreadPage
from discussions.services import COMMENT_URL_LENGTH, COMMENT_URL_PATTERN
from discussions.thread_html import render_thread_chunks

register = template.Library()


@register.simple_tag
def comment_limit() -> int:
    return int(settings.COMMENT_MAX_LENGTH)


@register.simple_tag
def comment_url_length() -> int:
    return COMMENT_URL_LENGTH


@register.simple_tag
def comment_counter_attrs() -> SafeString:
    """The attributes a comment textarea gives the page's counter (static/js/assay.js): the
    limit and how a link counts, from the rule the server applies (services.comment_length)."""
    return format_html(
        'data-maxlength="{}" data-url-pattern="{}" data-url-length="{}"',
        settings.COMMENT_MAX_LENGTH,
        COMMENT_URL_PATTERN,
        COMMENT_URL_LENGTH,
    )


@register.simple_tag(takes_context=True)
def comment_thread_html(context: dict[str, Any], thread: ThreadPage) -> SafeString:
    request = context["request"]
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    chunks = render_thread_chunks(
        thread=thread,
        user=user,
        # only a signed-in reader's thread has forms: an anonymous page holds no token (it is
        # served to everyone from the cache)
        csrf_token=get_token(request) if signed_in else "",
        next_url=request.get_full_path(),
        notices=messages_anchored(request) if signed_in else None,
        # the page's account_posting_sanction: a sanctioned reader gets no Reply or Edit
        may_post=not context.get("posting_sanction"),
    )
    # the rows are in the HTML now: let them go before the rest of the page renders around
    # it (a 10,000-comment thread's rows weigh ~9 MB)
    thread.release_comments()
    # a long thread goes into the response's bytes without being copied level by level
    return fragment(request, chunks)

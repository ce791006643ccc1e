"""Discussion writes from the web pages: thin callers of discussions.services.

Every action works as a plain form POST followed by a redirect back to the thread; the static
JS enhances liking (fetch with Accept: application/json) and replying (inline form)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article
from claims.models import Claim
from core.anchored_messages import message_anchored
from core.ratelimit import RateLimited
from core.roles import user_is_editor
from discussions.accounts import account_posting_sanction
from discussions.curation import (
    comment_feature,
    comment_links,
    comment_promote_to_evidence,
    comment_unfeature,
)
from discussions.forms import ClaimCommentForm, CommentForm, FeatureForm, FlagForm, PromoteForm
from discussions.models import TAKEN_DOWN_STATUSES, Comment
from discussions.selectors import comment_flagged_by, comment_for_action
from discussions.services import (
    comment_can_edit,
    comment_delete,
    comment_edit,
    comment_flag,
    comment_like_toggle,
    comment_post,
)

# ids are 64-bit; longer digit strings would overflow the database driver
MAX_ID_DIGITS = 18


def _discussion_url(comment_or_article: Comment | Article, claim: Claim | None = None) -> str:
    if isinstance(comment_or_article, Comment):
        return comment_or_article.get_absolute_url()
    if claim is not None:
        return claim.get_absolute_url() + "#discussion"
    return comment_or_article.get_absolute_url() + "#discussion"


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _comment_or_404(request: HttpRequest, pk: int) -> Comment:
    comment = comment_for_action(pk=pk, user=request.user)
    if comment is None or comment.article.status != Article.Status.PUBLISHED:
        raise Http404
    return comment


@login_required
@require_POST
def comment_post_view(request: HttpRequest, article_pk: int) -> HttpResponse:
    """A new top-level comment or a reply (the form's `parent`), on an article or on a claim."""
    article = Article.objects.published().filter(pk=article_pk).first()
    if article is None:
        raise Http404
    claim = None
    if request.POST.get("claim"):
        claim_pk = request.POST["claim"]
        if claim_pk.isdigit() and len(claim_pk) <= MAX_ID_DIGITS:
            claim = Claim.objects.public().filter(pk=int(claim_pk), article=article).first()
        if claim is None:
            raise Http404
    form = (ClaimCommentForm if claim else CommentForm)(request.POST)
    parent = None
    if form.is_valid() and form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"], article=article).first()
        if parent is None:
            form.add_error(None, _("The comment you replied to no longer exists."))
        elif parent.status in TAKEN_DOWN_STATUSES:
            form.add_error(None, _("The comment you replied to is not shown any more."))
    retry_after = None
    refused = False
    if form.is_valid():
        try:
            comment = comment_post(
                article=article,
                claim=claim,
                parent=parent,
                author=request.user,
                body=form.cleaned_data["body"],
                stance=form.cleaned_data.get("stance", ""),
            )
        except RateLimited as limited:
            # refused before anything is written; the text comes back in the form
            retry_after = limited.retry_after
            form.add_error(None, str(limited))
        except PermissionDenied as denied:
            # a suspended or banned account: the reason and the end, with the text kept
            refused = True
            form.add_error(None, str(denied))
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            return redirect(_discussion_url(comment))
    status = 429 if retry_after is not None else 403 if refused else 400
    response = render(
        request,
        "discussions/comment_form_page.html",
        {
            "form": form,
            "article": article,
            "discussion_claim": claim,
            "parent": parent,
            "action": "post",
        },
        status=status,
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@login_required
def comment_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply form on its own page (without JavaScript, "Reply" links here)."""
    parent = _comment_or_404(request, pk)
    if parent.status in TAKEN_DOWN_STATUSES:
        # a moderator took it down: it offers no "Reply" and its handle is not shown
        raise Http404
    if parent.status == Comment.Status.DELETED:
        # its placeholder offers no "Reply" and comment_post refuses one; say so at once
        messages.error(request, _("This comment is not open for replies."))
        return redirect(_discussion_url(parent))
    form_class = ClaimCommentForm if parent.claim_id else CommentForm
    # a suspended or banned reader is told why instead of getting a form comment_post refuses
    sanction = account_posting_sanction(user=request.user)
    return render(
        request,
        "discussions/comment_form_page.html",
        {
            "form": form_class(initial={"parent": parent.pk}),
            "article": parent.article,
            "discussion_claim": parent.claim,
            "parent": parent,
            "action": "post",
            "posting_sanction": sanction,
        },
        status=403 if sanction is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    sanction = None  # a refused POST keeps its text in the form, with the refusal above it
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment_edit(comment=comment, user=request.user, body=form.cleaned_data["body"])
            except PermissionDenied as denied:
                form.add_error(None, str(denied))
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                return redirect(_discussion_url(comment))
        status = 400
    else:
        if not comment_can_edit(comment=comment, user=request.user):
            messages.error(request, _("The time to edit this comment is over."))
            return redirect(_discussion_url(comment))
        form = CommentForm(initial={"body": comment.body})
        # told why instead of getting a form comment_edit refuses
        sanction = account_posting_sanction(user=request.user)
        status = 403 if sanction is not None else 200
    return render(
        request,
        "discussions/comment_form_page.html",
        {
            "form": form,
            "article": comment.article,
            "discussion_claim": comment.claim,
            "comment": comment,
            "action": "edit",
            "posting_sanction": sanction,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    if request.method == "POST":
        try:
            comment_delete(comment=comment, user=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Your comment was deleted."))
        return redirect(_discussion_url(comment))
    return render(request, "discussions/comment_delete.html", {"comment": comment})


@login_required
@require_POST
def comment_like_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    try:
        liked, count = comment_like_toggle(comment=comment, user=request.user)
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"error": _error_text(error)}, status=400)
        messages.error(request, _error_text(error))
        return redirect(_back(request, _discussion_url(comment)))
    if _wants_json(request):
        return JsonResponse({"liked": liked, "like_count": count})
    return redirect(_back(request, _discussion_url(comment)))


@login_required
@require_http_methods(["GET", "POST"])
def comment_flag_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    if request.method == "GET" and comment_flagged_by(comment=comment, user=request.user):
        # the second attempt says so where the reader clicked; comment_flag refuses a POST
        message_anchored(
            request,
            messages.INFO,
            _("You have already flagged this comment."),
            anchor=f"comment-{comment.pk}",
        )
        return redirect(_discussion_url(comment))
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment_flag(
                comment=comment,
                user=request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            # shown in the comment the reader flagged, where the redirect scrolls to
            message_anchored(
                request,
                messages.SUCCESS,
                _("Thank you. A moderator will look at this comment."),
                anchor=f"comment-{comment.pk}",
            )
            return redirect(_discussion_url(comment))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "discussions/comment_flag.html", {"comment": comment, "form": form}, status=status
    )


def _curated_comment(request: HttpRequest, pk: int) -> Comment:
    """A comment an editor features or promotes from the page: editors only (others get the
    403 the service would give them anyway)."""
    if not user_is_editor(request.user):
        raise PermissionDenied
    return _comment_or_404(request, pk)


@login_required
@require_http_methods(["GET", "POST"])
def comment_feature_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Feature a comment at the top of its discussion, or (`unfeature`) put it back."""
    comment = _curated_comment(request, pk)
    form = FeatureForm(request.POST or None, initial={"label": comment.featured_label})
    if request.method == "POST":
        try:
            if "unfeature" in request.POST:
                comment_unfeature(comment=comment, by=request.user)
                messages.success(request, _("The comment is back in its place."))
                return redirect(_discussion_url(comment))
            if form.is_valid():
                comment_feature(comment=comment, by=request.user, label=form.cleaned_data["label"])
                messages.success(request, _("The comment is featured."))
                return redirect(_discussion_url(comment))
        except ValidationError as error:
            form.add_error(None, _error_text(error))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "discussions/comment_feature.html",
        {"comment": comment, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_promote_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a comment into evidence on a claim of its article."""
    comment = _curated_comment(request, pk)
    links = comment_links(comment)
    form = PromoteForm(
        request.POST or None,
        comment=comment,
        initial={"url": links[0] if links else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            evidence = comment_promote_to_evidence(
                comment=comment,
                claim=form.cleaned_data["claim"],
                stance=form.cleaned_data["stance"],
                url=form.cleaned_data["url"] or "",
                excerpt=form.cleaned_data["excerpt"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("The comment is now evidence on claim %(claim)d.") % {"claim": evidence.claim_id},
            )
            return redirect(_discussion_url(comment))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "discussions/comment_promote.html",
        {"comment": comment, "form": form, "links": links},
        status=status,
    )

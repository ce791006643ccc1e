"""The reader's pages: the article list, an article with its claims highlighted and its
discussion, a claim with its verdict, evidence, data and discussion, tags and search. Views are
thin: reads come from the apps' selectors, the discussion's form posts to discussions."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article, Language
from articles.selectors import (
    article_for_page,
    article_languages,
    article_list,
    article_tags,
    tag_get,
)
from claims.data_checks import data_check
from claims.models import AssertionResultChange, Claim, ClaimSeries
from claims.selectors import (
    SimilarClaim,
    claim_family_and_related,
    claim_for_page,
    claim_for_review,
    data_check_changes,
    evidence_by_stance,
    evidence_for_archive,
    evidence_for_claims,
    similar_to_text,
    verdict_changelog,
    verdict_is_public,
)
from claims.serializers import claim_review_jsonld
from claims.services.check_requests import check_request_submit
from claims.similarity.embedder import EmbedderUnavailable
from claims.similarity.matching import Match
from core.fragments import render_page
from core.i18n import localized
from core.ratelimit import RateLimited
from discussions.accounts import account_posting_sanction
from discussions.forms import ClaimCommentForm, CommentForm
from discussions.selectors import (
    EVIDENCE_PROVENANCE_RELATED,
    SORTS,
    comment_thread,
    evidence_provenance,
)
from energy.selectors import series_points
from notifications.services import follow, unfollow
from reading.forms import CheckRequestForm
from reading.highlighting import Highlight, highlight_body, verdict_icon
from reading.search import article_search
from reading.selectors import claims_for_article

ARTICLES_PER_PAGE = 20
# No discussion has this many pages; a larger number (99999999999999999999) would overflow the
# database's OFFSET. It is served as this page: empty.
MAX_PAGE = 100_000


def _page_number(request: HttpRequest, name: str) -> int:
    raw = request.GET.get(name, "1").strip()
    if not (raw.isascii() and raw.isdigit()):
        return 1
    if len(raw) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(max(int(raw), 1), MAX_PAGE)


def article_list_view(request: HttpRequest) -> HttpResponse:
    tag_slug = request.GET.get("tag") or None
    language = request.GET.get("language") or None
    if language not in Language.values:
        language = None
    articles = article_list(user=request.user, tag=tag_slug, language=language)
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reading/article_list.html",
        {
            "page": page,
            "tag": tag_get(slug=tag_slug) if tag_slug else None,
            "language": language,
            "languages": [
                (code, Language(code).label) for code in article_languages(user=request.user)
            ],
            "tags": article_tags(user=request.user),
        },
    )


def tag_view(request: HttpRequest, slug: str) -> HttpResponse:
    tag = tag_get(slug=slug)
    if tag is None:
        raise Http404
    articles = article_list(user=request.user, tag=slug)
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reading/tag_detail.html", {"tag": tag, "page": page})


SEARCH_MODES = ("articles", "check")
CHECK_RESULTS = 10


def search_view(request: HttpRequest) -> HttpResponse:
    """/search/: words in articles (`mode=articles`, the default), or "Has this been checked?"
    (`mode=check`): a sentence matched against published claims."""
    mode = request.GET.get("mode", "articles")
    if mode not in SEARCH_MODES:
        mode = "articles"
    if mode == "check":
        context = _check_context(request, request.GET.get("q", ""))
        return render(request, "reading/search.html", {"mode": mode, **context})
    query = request.GET.get("q", "").strip()[:200]
    results = article_search(query=query, user=request.user)
    page = Paginator(results, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reading/search.html",
        {"mode": mode, "query": query, "page": page, "extra_query": urlencode({"q": query})},
    )


def _check_context(
    request: HttpRequest, text: str, form: CheckRequestForm | None = None
) -> dict[str, Any]:
    """The "Has this been checked?" results for `text`: the best published matches with their
    verdicts, and the check-request form when none is the same claim."""
    text = " ".join(text.split())
    results: list[SimilarClaim] = []
    error = ""
    unavailable = False
    if len(text) > settings.SIMILARITY_TEXT_MAX_LENGTH:
        error = _("At most %(n)d characters, please.") % {"n": settings.SIMILARITY_TEXT_MAX_LENGTH}
    elif text:
        try:
            # readers and editors alike: only what has been checked and published
            results = similar_to_text(
                text=text, user=request.user, limit=CHECK_RESULTS, drafts=False
            )
        except EmbedderUnavailable:
            error = _("The search cannot run right now; please try again later.")
            unavailable = True
    return {
        "check_unavailable": unavailable,
        "check_text": text,
        "check_results": results,
        "check_error": error,
        "check_found_same": any(r.match == Match.SAME for r in results),
        "request_form": form or CheckRequestForm(initial={"text": text}),
        "max_length": settings.SIMILARITY_TEXT_MAX_LENGTH,
    }


def check_view(request: HttpRequest) -> HttpResponse:
    """/check/: "Has this been checked?" on a page of its own."""
    context = _check_context(request, request.GET.get("q", ""))
    response = render(request, "reading/check.html", context)
    if context["check_unavailable"]:
        # a passing failure: the page cache (and browsers) must not keep it
        patch_cache_control(response, no_store=True)
    return response


@require_POST
def check_request_view(request: HttpRequest) -> HttpResponse:
    """Send a sentence nothing matched to the editors (signed in, rate-limited)."""
    if not request.user.is_authenticated:
        return redirect_to_login(
            reverse("reading:check") + "?" + urlencode({"q": request.POST.get("text", "")})
        )
    form = CheckRequestForm(request.POST)
    retry_after = None
    if form.is_valid():
        try:
            check_request_submit(
                by=request.user,
                text=form.cleaned_data["text"],
                url=form.cleaned_data["url"],
                note=form.cleaned_data["note"],
            )
        except RateLimited as limited:
            retry_after = limited.retry_after
            form.add_error(None, str(limited))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Thank you: the editors have your request. You will be told when it is checked."),
            )
            return redirect(
                reverse("reading:check")
                + "?"
                + urlencode({"q": form.cleaned_data["text"]})
                + "#check-request"
            )
    context = _check_context(request, request.POST.get("text", ""), form=form)
    response = render(request, "reading/check.html", context, status=429 if retry_after else 400)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def article_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    article = article_for_page(slug=slug, user=request.user)
    if article is None:
        raise Http404
    request.follow_target = f"article:{article.pk}"  # type: ignore[attr-defined]
    claims = claims_for_article(article=article, user=request.user)
    # a lost claim's quote is no longer in the text (its offsets are parked past the end)
    under_review = _("Under review")
    highlights = [
        Highlight(
            c.number,  # type: ignore[attr-defined]
            c.pk,
            c.start,
            c.end,
            c.verdict,
            c.verdict_label if c.verdict else str(under_review),
        )
        for c in claims
        if c.anchor_status != Claim.Anchor.LOST
    ]
    # the legend names the verdicts the page shows, in the scale's order
    shown = {c.verdict for c in claims}
    legend = [
        (key, str(label), verdict_icon(key))
        for key, label, _rating in settings.VERDICT_SCALE
        if key in shown
    ]
    if "" in shown:
        legend.append(("none", str(under_review), verdict_icon("")))
    body_html = highlight_body(article.body, highlights)
    thread = comment_thread(
        article=article,
        user=request.user,
        sort=request.GET.get("sort", ""),
        page=_page_number(request, "cpage"),
        page_size=settings.COMMENT_TOP_LEVEL_PAGE_SIZE,
    )
    return render_page(
        request,
        "reading/article_detail.html",
        {
            "article": article,
            "claims": claims,
            "body_html": body_html,
            "highlighted_count": len(highlights),
            "legend": legend,
            "thread": thread,
            "sorts": SORTS,
            "form": CommentForm(),
            "discussion_claim": None,
            # a suspended or banned reader gets the reason in place of the forms (one query,
            # signed-in pages only: the anonymous page cache never holds it)
            "posting_sanction": account_posting_sanction(user=request.user),
        },
    )


CONTEXT_CHARS = 280
RELATED_ON_PAGE = 6
SERIES_CSV_URL = "/api/v1/series/{pk}/observations/?format=csv"
TABLE_ROWS = 120


def _quote_context(claim: Claim) -> tuple[str, str]:
    body = claim.article.body
    before = body[max(claim.start - CONTEXT_CHARS, 0) : claim.start]
    after = body[claim.end : claim.end + CONTEXT_CHARS]
    if claim.start > CONTEXT_CHARS:
        before = "…" + before.split(" ", 1)[-1]
    if claim.end + CONTEXT_CHARS < len(body):
        after = after.rsplit(" ", 1)[0] + "…"
    return before, after


def _chart(
    link: ClaimSeries, points: list[tuple[dt.date, float]], changes: list[AssertionResultChange]
) -> dict[str, Any]:
    series = link.series
    annual = series.frequency == series.Frequency.ANNUAL
    title = localized(series, "title")
    return {
        "link": link,
        "series": series,
        "title": title,
        "check": data_check(link, changes, title=title.text, unit=series.unit, annual=annual),
        "count": len(points),
        # the newest values; the CSV holds them all
        "table": [
            (period.year if annual else period, value) for period, value in points[-TABLE_ROWS:]
        ],
        "data_id": f"series-data-{series.pk}",
        # served by the API (config/api_urls.py)
        "csv_url": SERIES_CSV_URL.format(pk=series.pk),
        "data": {
            "title": title.text,
            "unit": series.unit,
            # the chart's axis and hover text: years for annual data, months for monthly
            "frequency": series.frequency,
            "x": [period.isoformat() for period, _value in points],
            "y": [value for _period, value in points],
        },
    }


def claim_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_for_page(pk=pk, user=request.user)
    if claim is None:
        raise Http404
    request.follow_target = f"claim:{claim.pk}"  # type: ignore[attr-defined]
    quote_lost = claim.anchor_status == Claim.Anchor.LOST
    # a lost quote's offsets are parked past the end of the text: no context to show
    before, after = ("", "") if quote_lost else _quote_context(claim)
    thread = comment_thread(
        article=claim.article,
        claim=claim,
        user=request.user,
        sort=request.GET.get("sort", ""),
        page=_page_number(request, "cpage"),
        page_size=settings.COMMENT_TOP_LEVEL_PAGE_SIZE,
    )
    family, related = claim_family_and_related(
        claim=claim, user=request.user, limit=RELATED_ON_PAGE
    )
    evidence = evidence_for_claims(
        claim_ids=[claim.pk, *(member.pk for member in family)],
        related=EVIDENCE_PROVENANCE_RELATED,
    )
    # a reader's comment an editor turned into evidence is named as its source
    for items in evidence.values():
        for item in items:
            item.from_comment = evidence_provenance(item)  # type: ignore[attr-defined]
    family_evidence = [
        (member, evidence_by_stance(evidence=evidence[member.pk]))
        for member in family
        if evidence[member.pk]
    ]
    return render_page(
        request,
        "reading/claim_detail.html",
        {
            "claim": claim,
            "article": claim.article,
            "quote_lost": quote_lost,
            "context_before": before,
            "context_after": after,
            "evidence_groups": evidence_by_stance(evidence=evidence[claim.pk]),
            "family": family,
            "family_evidence": family_evidence,
            "related": related,
            "changelog": (
                verdict_changelog(claim=claim)
                if verdict_is_public(claim=claim, user=request.user)
                else []
            ),
            "charts": _charts(claim),
            # embedded for search engines, in the page's language (a data block: never run)
            "claimreview": (
                claim_review_jsonld(claim, family=family)
                if claim.status == Claim.Status.PUBLISHED
                else None
            ),
            "thread": thread,
            "sorts": SORTS,
            "form": ClaimCommentForm(),
            "discussion_claim": claim,
            "posting_sanction": account_posting_sanction(user=request.user),
        },
    )


def _charts(claim: Claim) -> list[dict[str, Any]]:
    links = list(claim.series_links.all())
    points = series_points(series_ids=[link.series_id for link in links])
    history = data_check_changes(links=links)
    return [_chart(link, points[link.series_id], history.get(link.pk, [])) for link in links]


def claimreview_view(request: HttpRequest, pk: int) -> JsonResponse:
    """/claims/<pk>/claimreview.json: the ClaimReview of a published claim, for crawlers."""
    claim = claim_for_review(pk=pk)
    if claim is None:
        raise Http404("No published claim with this id.")
    response = JsonResponse(
        claim_review_jsonld(claim),
        json_dumps_params={"ensure_ascii": False},
        content_type="application/ld+json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
@require_POST
def follow_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Follow (or, with `unfollow`, stop following) a claim or an article the reader can see."""
    page: Claim | Article | None
    if kind == "claim":
        page = claim_for_page(pk=pk, user=request.user)
    elif kind == "article":
        page = Article.objects.visible_to(request.user).filter(pk=pk).first()
    else:
        raise Http404
    if page is None:
        raise Http404
    target = f"{kind}:{pk}"
    if request.POST.get("unfollow"):
        unfollow(user=request.user, target=target)
    else:
        follow(user=request.user, target=target)
    return redirect(page.get_absolute_url())


def evidence_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    """/evidence/<pk>/archive/: the text of an evidence page as it was retrieved, on our page
    and escaped (never the source's HTML), with when it was retrieved, its sha256 and how the
    link fares now; so a reader sees what the source said even if the page changed or went."""
    evidence = evidence_for_archive(pk=pk, user=request.user)
    if evidence is None:
        raise Http404
    return render(
        request,
        "reading/evidence_archive.html",
        {"evidence": evidence, "claim": evidence.claim, "article": evidence.claim.article},
    )


def evidence_archive_text_view(request: HttpRequest, pk: int) -> HttpResponse:
    """/evidence/<pk>/archive.txt: the archived text alone, as plain UTF-8 (its sha256 is the
    one the page and the API give)."""
    evidence = evidence_for_archive(pk=pk, user=request.user)
    if evidence is None:
        raise Http404
    response = HttpResponse(evidence.archived_text, content_type="text/plain; charset=utf-8")
    name = slugify(evidence.publisher or "evidence") or "evidence"
    response["Content-Disposition"] = f'inline; filename="{name}-{evidence.pk}.txt"'
    response["X-Content-SHA256"] = evidence.archived_sha256
    return response

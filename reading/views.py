"""The reader's pages: the article list, an article with its claims highlighted and its
discussion, a claim with its verdict, evidence, data and discussion, tags and search. Views are
thin: reads come from the apps' selectors, the discussion's form posts to discussions."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Language
from articles.selectors import (
    article_for_page,
    article_languages,
    article_list,
    article_tags,
    tag_get,
)
from claims.models import Claim, ClaimSeries
from claims.selectors import (
    SimilarClaim,
    claim_family_and_related,
    claim_for_page,
    claim_for_review,
    evidence_by_stance,
    evidence_for_claims,
    similar_to_text,
    verdict_changelog,
    verdict_is_public,
)
from claims.serializers import claim_review_jsonld
from claims.services.check_requests import check_request_submit
from claims.similarity.embedder import EmbedderUnavailable
from claims.similarity.matching import Match
from core.ratelimit import RateLimited
from discussions.forms import ClaimCommentForm, CommentForm
from discussions.selectors import SORTS, comment_thread
from energy.selectors import series_points
from reading.forms import CheckRequestForm
from reading.highlighting import Highlight, highlight_body
from reading.search import article_search
from reading.selectors import claims_for_article

ARTICLES_PER_PAGE = 20


def _page_number(request: HttpRequest, name: str) -> int:
    try:
        return max(int(request.GET.get(name, "1")), 1)
    except ValueError:
        return 1


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
    return {
        "check_text": text,
        "check_results": results,
        "check_error": error,
        "check_found_same": any(r.match == Match.SAME for r in results),
        "request_form": form or CheckRequestForm(initial={"text": text}),
        "max_length": settings.SIMILARITY_TEXT_MAX_LENGTH,
    }


def check_view(request: HttpRequest) -> HttpResponse:
    """/check/: "Has this been checked?" on a page of its own."""
    return render(request, "reading/check.html", _check_context(request, request.GET.get("q", "")))


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
    claims = claims_for_article(article=article, user=request.user)
    # a lost claim's quote is no longer in the text (its offsets are parked past the end)
    highlights = [
        Highlight(c.number, c.pk, c.start, c.end, c.verdict)  # type: ignore[attr-defined]
        for c in claims
        if c.anchor_status != Claim.Anchor.LOST
    ]
    body_html = highlight_body(article.body, highlights)
    thread = comment_thread(
        article=article,
        user=request.user,
        sort=request.GET.get("sort", ""),
        page=_page_number(request, "cpage"),
        page_size=settings.COMMENT_TOP_LEVEL_PAGE_SIZE,
    )
    return render(
        request,
        "reading/article_detail.html",
        {
            "article": article,
            "claims": claims,
            "body_html": body_html,
            "highlighted_count": len(highlights),
            "thread": thread,
            "sorts": SORTS,
            "form": CommentForm(),
            "discussion_claim": None,
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


def _chart(link: ClaimSeries, points: list[tuple[dt.date, float]]) -> dict[str, Any]:
    series = link.series
    annual = series.frequency == series.Frequency.ANNUAL
    return {
        "link": link,
        "series": series,
        "count": len(points),
        # the newest values; the CSV holds them all
        "table": [
            (period.year if annual else period, value) for period, value in points[-TABLE_ROWS:]
        ],
        "data_id": f"series-data-{series.pk}",
        # served by the API (config/api_urls.py)
        "csv_url": SERIES_CSV_URL.format(pk=series.pk),
        "data": {
            "title": series.title,
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
    evidence = evidence_for_claims(claim_ids=[claim.pk, *(member.pk for member in family)])
    family_evidence = [
        (member, evidence_by_stance(evidence=evidence[member.pk]))
        for member in family
        if evidence[member.pk]
    ]
    return render(
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
            "thread": thread,
            "sorts": SORTS,
            "form": ClaimCommentForm(),
            "discussion_claim": claim,
        },
    )


def _charts(claim: Claim) -> list[dict[str, Any]]:
    links = list(claim.series_links.all())
    points = series_points(series_ids=[link.series_id for link in links])
    return [_chart(link, points[link.series_id]) for link in links]


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

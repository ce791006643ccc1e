from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from claims.models import Claim, ClaimSeries
from claims.selectors import (
    claim_for_page,
    evidence_by_stance,
    series_points,
    verdict_changelog,
    verdict_is_public,
)
from discussions.forms import ClaimCommentForm
from discussions.selectors import SORTS, comment_thread

CONTEXT_CHARS = 280
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
        page=_page_number(request),
        page_size=settings.COMMENT_TOP_LEVEL_PAGE_SIZE,
    )
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "article": claim.article,
            "quote_lost": quote_lost,
            "context_before": before,
            "context_after": after,
            "evidence_groups": evidence_by_stance(claim=claim),
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


def _page_number(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("cpage", "1")), 1)
    except ValueError:
        return 1

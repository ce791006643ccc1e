from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from articles.highlighting import Highlight, highlight_body
from articles.models import Language
from articles.selectors import (
    article_for_page,
    article_languages,
    article_list,
    article_search,
    article_tags,
    tag_get,
)
from claims.models import Claim
from claims.selectors import claims_for_article
from discussions.forms import CommentForm
from discussions.selectors import SORTS, comment_thread

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
        "articles/article_list.html",
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
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


def search_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = article_search(query=query, user=request.user)
    page = Paginator(results, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/search.html",
        {"query": query, "page": page, "extra_query": urlencode({"q": query})},
    )


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
        "articles/article_detail.html",
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

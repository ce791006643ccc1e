"""Anonymous pages from the cache, never stale.

A reader who is not signed in (no session, no pending message) gets the page rendered for the
current content version, language and full path: one query reads the version (bumped by the
database in the same transaction as every change readers could see: core/content_triggers.py),
then the cache answers. After any write the version moves, so the next request, on any worker,
renders afresh. With the cache down (Redis stopped: its errors are ignored) pages are rendered
every time, never served old.

Browsers and proxies get an ETag and Last-Modified that follow the version (a 304 when nothing
changed), `Cache-Control: public, no-cache` (reuse only after revalidating) and `Vary` on the
language and cookies. A signed-in page is never kept by a shared cache: `private, no-store`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags
from django.utils.translation import get_language

from core.models import ContentVersion

VERSION_KEY = "site"
# headers a cached page does not keep: set anew on each answer (the rest, such as the type,
# Content-Language or Content-Disposition, come back with the page)
_NOT_KEPT_HEADERS = {"set-cookie", "date", "etag", "last-modified", "x-page-cache", "x-request-id"}
View = Callable[..., HttpResponseBase]


def content_version() -> tuple[int, dt.datetime]:
    """The current content version and when it last moved (one query)."""
    row = (
        ContentVersion.objects.filter(key=VERSION_KEY).values_list("version", "changed_at").first()
    )
    if row is None:
        # a database emptied by hand (or by a test): start again; any later write bumps it
        version, _created = ContentVersion.objects.get_or_create(key=VERSION_KEY)
        return version.version, version.changed_at
    return row


def _personal(request: HttpRequest) -> bool:
    """Whether this request's page may hold something of its own: a session (signed in, or
    about to show a message) or a pending message. The check reads no database when there is
    no session cookie."""
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return True
    return bool(getattr(request, "user", None) and request.user.is_authenticated)


def _private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_store=True)
    return response


def cache_anonymous_page(view: View) -> View:
    """Serve the view's page to anonymous readers from the cache, keyed by content version."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") or _personal(request):
            return _private(view(request, *args, **kwargs))
        try:
            version, changed_at = content_version()
        except DatabaseError:
            raise  # the database-down middleware answers 503; never a guess
        language = get_language() or settings.LANGUAGE_CODE
        path = request.get_full_path()
        digest = hashlib.sha256(f"{language}\0{path}".encode()).hexdigest()[:32]
        etag = f'"v{version}-{digest[:12]}"'
        if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
            return _headers(HttpResponseNotModified(), etag, changed_at)
        key = f"page:v{version}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response: HttpResponseBase = HttpResponse(content, status=status, headers=headers)
            response["X-Page-Cache"] = "hit"
            return _headers(response, etag, changed_at)
        response = view(request, *args, **kwargs)
        if (
            isinstance(response, HttpResponse)
            and response.status_code == 200
            and not response.cookies
            and not response.has_header("Cache-Control")
        ):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            headers = {
                name: value
                for name, value in response.items()
                if name.lower() not in _NOT_KEPT_HEADERS
            }
            cache.set(
                key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS
            )
            response["X-Page-Cache"] = "miss"
            return _headers(response, etag, changed_at)
        return response

    return wrapped


def _headers(response: HttpResponseBase, etag: str, changed_at: dt.datetime) -> HttpResponseBase:
    response["ETag"] = etag
    if timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, dt.UTC)
    response["Last-Modified"] = http_date(changed_at.timestamp())
    patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response

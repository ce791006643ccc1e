"""Anonymous pages from the cache, never stale.

A reader who is not signed in (no session, no pending message) gets the page rendered for the
current content version, language and full path, answered by PageCacheMiddleware near the top
of the stack for the views marked with cache_anonymous_page: one query reads the version
(bumped by the database in the same transaction as every change readers could see:
core/content_triggers.py), then the cache answers. After any write the version moves, so the
next request, on any worker, renders afresh. With the cache down (Redis stopped: its errors are
ignored) pages are rendered every time, never served old.

Browsers and proxies get an ETag and Last-Modified that follow the version (a 304 when nothing
changed), `Cache-Control: public, no-cache` (reuse only after revalidating) and `Vary` on the
language and cookies. A signed-in page is never kept by a shared cache: `private, no-store`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connections, router
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_etags
from django.utils.translation import get_language_from_request

from core.errors import DATABASE_DOWN, service_unavailable
from core.models import ContentVersion

VERSION_KEY = "site"
# the query parameters the cached pages read (paging, sorting, search, filters): a request with
# any other (tracking tags, junk) is rendered for itself and not stored, so nobody can fill the
# cache with copies of a page
PAGE_QUERY_PARAMETERS = frozenset({"page", "cpage", "sort", "q", "mode", "tag", "language"})
logger = logging.getLogger(__name__)
# headers a cached page does not keep: set anew on each answer (the rest, such as the type,
# Content-Language or Content-Disposition, come back with the page)
_NOT_KEPT_HEADERS = {"set-cookie", "date", "etag", "last-modified", "x-page-cache", "x-request-id"}
View = Callable[..., HttpResponseBase]


def content_version() -> tuple[int, dt.datetime]:
    """The current content version and when it last moved (one query, written in SQL: on the
    path of every anonymous page, the ORM's query building cost more than the query)."""
    alias = router.db_for_read(ContentVersion)
    connection = connections[alias]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote('version')}, {quote('changed_at')} "  # noqa: S608 - our own names
        f"FROM {quote(ContentVersion._meta.db_table)} WHERE {quote('key')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [VERSION_KEY])
        row = cursor.fetchone()
    if row is None:
        # a database emptied by hand (or by a test): start again; any later write bumps it
        # (the router sends the write to the primary, even when the read was a replica's)
        created, _created = ContentVersion.objects.get_or_create(key=VERSION_KEY)
        return created.version, created.changed_at
    version, changed_at = row
    if isinstance(changed_at, str):  # SQLite's raw rows
        changed_at = parse_datetime(changed_at) or timezone.now()
    if timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, dt.UTC)
    return int(version), changed_at


def _personal_cookies(request: HttpRequest) -> bool:
    """A session (signed in, or about to show a message) or a pending message."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def _personal(request: HttpRequest) -> bool:
    """Whether this request's page may hold something of its own. Reads no database when
    there is no session cookie."""
    if _personal_cookies(request):
        return True
    return bool(getattr(request, "user", None) and request.user.is_authenticated)


def _private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_store=True)
    return response


def cache_anonymous_page(view: View) -> View:
    """Mark a page view as one PageCacheMiddleware may keep for anonymous readers; a signed-in
    reader's page is marked `private, no-store`."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or _personal(request):
            return _private(response)
        response.page_cacheable = True  # type: ignore[attr-defined]
        return response

    wrapped.page_cache = True  # type: ignore[attr-defined]
    return wrapped


def template_directories() -> list[Path]:
    """Assay's own template directories: the project's (settings.TEMPLATES DIRS) and each
    Assay app's `templates` folder."""
    roots = [
        Path(directory)
        for engine in settings.TEMPLATES
        for directory in cast("list[str | Path]", engine.get("DIRS", []))
    ]
    roots += [Path(apps.get_app_config(label).path) / "templates" for label in settings.ASSAY_APPS]
    return roots


@lru_cache(maxsize=1)
def release() -> str:
    """A fingerprint of the code, templates, translations and static manifest this process
    serves, part of every page's key: after a deploy, pages rendered by the old release are
    never served (the same release on every worker and host gives the same fingerprint)."""
    digest = hashlib.sha256()
    roots = [Path(apps.get_app_config(label).path) for label in settings.ASSAY_APPS]
    roots += [Path(settings.BASE_DIR) / "config"]
    roots += [Path(directory) for directory in settings.LOCALE_PATHS]
    roots += template_directories()
    files: set[Path] = set()
    for root in roots:
        for pattern in ("*.py", "*.html", "*.mo"):
            files.update(root.rglob(pattern))
    if settings.STATIC_ROOT:
        files.add(Path(settings.STATIC_ROOT) / "staticfiles.json")
    for file in sorted(files):
        if file.is_file():
            digest.update(str(file).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


@receiver(setting_changed)
def _urls_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _remembered_page_view.cache_clear()


def _page_view(path: str) -> ResolverMatch | None:
    """The URL match of a page view marked with cache_anonymous_page, or None. Only short
    paths are remembered: a worker never holds more than ~1,000 small entries, whatever
    paths clients send."""
    if len(path) > _REMEMBERED_PATH_LENGTH:
        return _resolve_page_view(path)
    return _remembered_page_view(path)


_REMEMBERED_PATH_LENGTH = 200


def _resolve_page_view(path: str) -> ResolverMatch | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match if getattr(match.func, "page_cache", False) else None


_remembered_page_view = lru_cache(maxsize=1024)(_resolve_page_view)


class PageCacheMiddleware:
    """Anonymous pages answered before sessions, CSRF, authentication, messages and the rest
    of the stack run: one query (the content version) and one cache read, as close to the
    cost of /healthz as a page can be. It sits after the security middleware (whose headers
    every answer gets) and keeps the headers the inner middleware gave the page it stored
    (CSP, X-Frame-Options, Content-Language, Vary).

    Only GET and HEAD without a session or message cookie, for a view marked with
    cache_anonymous_page, are looked up; a page is stored only when its view said it may be
    (`page_cacheable`: anonymous, 200, no cookie set, no Cache-Control of its own).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        match = None
        if (
            request.method in ("GET", "HEAD")
            and not _personal_cookies(request)
            and set(request.GET) <= PAGE_QUERY_PARAMETERS
        ):
            match = _page_view(request.path_info)
        if match is None:
            return self.get_response(request)
        # ALLOWED_HOSTS holds for answers from the cache too (DisallowedHost: a 400)
        request.get_host()
        try:
            # read where the page would be (the replica, unless this client is pinned to the
            # primary): a page is never stored under a version newer than its data
            version, changed_at = content_version()
        except DATABASE_DOWN as exc:
            logger.error(
                "database unavailable",
                extra={"path": request.path, "error": f"{type(exc).__name__}: {exc}"},
            )
            return service_unavailable(request)
        language = get_language_from_request(request) or settings.LANGUAGE_CODE
        path = request.get_full_path()
        digest = hashlib.sha256(f"{release()}\0{language}\0{path}".encode()).hexdigest()[:32]
        # the moment of the last change goes with the version: a database created afresh (or
        # restored from a backup) counts versions again from where it stands, and must never be
        # served the pages another database stored under the same number in a shared cache
        stamp = f"{version}.{int(changed_at.timestamp() * 1_000_000):x}"
        etag = f'"v{stamp}-{digest[:12]}"'
        # If-None-Match compares weakly: a proxy that compresses marks the tag W/
        offered = {
            tag.removeprefix("W/") for tag in parse_etags(request.headers.get("If-None-Match", ""))
        }
        if etag in offered:
            request.resolver_match = match
            return _headers(HttpResponseNotModified(), etag, changed_at)
        key = f"page:v{stamp}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            request.resolver_match = match  # for the request log line
            response: HttpResponseBase = HttpResponse(content, status=status, headers=headers)
            response["X-Page-Cache"] = "hit"
            return _headers(response, etag, changed_at)
        response = self.get_response(request)
        if (
            getattr(response, "page_cacheable", False)
            and isinstance(response, HttpResponse)
            and response.status_code == 200
            and not response.cookies
            and not response.has_header("Cache-Control")
        ):
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


def _headers(response: HttpResponseBase, etag: str, changed_at: dt.datetime) -> HttpResponseBase:
    response["ETag"] = etag
    if timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, dt.UTC)
    response["Last-Modified"] = http_date(changed_at.timestamp())
    patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from core.db_router import (
    ROUTER_PATH,
    is_pinned,
    replica_available,
    reset_pinned,
    set_pinned,
)
from core.errors import DATABASE_DOWN, bad_request_nul, service_unavailable
from core.i18n import languages
from core.request_id import get_request_id, reset_request_id, set_request_id

logger = logging.getLogger("assay.request")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives each request an id (or keeps a sane X-Request-ID from the proxy) and logs one line.

    The id is returned in X-Request-ID, set on every log record of the request, and carried in
    the messages of the jobs the request queues (core.signals).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        token = set_request_id(incoming if _SAFE_ID.match(incoming) else None)
        # for log lines written after this middleware returns (core.logging.RequestIdFilter)
        request.request_id = get_request_id()  # type: ignore[attr-defined]
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = get_request_id()
            status = response.status_code
            match = request.resolver_match
            logger.log(
                logging.ERROR if status >= 500 else logging.INFO,
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "view": match.view_name if match else None,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "bytes": None if response.streaming else len(response.content),
                    "remote": request.META.get("REMOTE_ADDR"),
                },
            )
            return response
        finally:
            reset_request_id(token)


class NulByteMiddleware:
    """A NUL byte in the path or the query string answers 400 before any view runs.

    No URL or parameter of Assay holds one, and PostgreSQL text cannot: passed on to a query it
    failed the request with a 500 (search, tag filters, API lookups). The API gets its error
    shape, pages Django's 400 page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return bad_request_nul(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database outage answers 503 with a short page (JSON under /api/), not a traceback.

    Covers exceptions raised by views; config.urls.handler500 covers those raised elsewhere.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_DOWN):
            logger.error(
                "database unavailable",
                extra={"path": request.path, "error": f"{type(exception).__name__}: {exception}"},
            )
            return service_unavailable(request)
        return None


class ReplicaPinMiddleware:
    """With a read replica, a client that just wrote reads from the primary for a few seconds.

    A write in the request sets a short-lived cookie; requests carrying it read the primary, so
    the page a reader is redirected to after posting shows their comment despite replica lag.
    A replica that does not answer sends every read to the primary (core.db_router).
    Unused (removed from the stack) when no replica is configured.
    """

    COOKIE = "assay_primary"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.conf import settings

        if ROUTER_PATH not in settings.DATABASE_ROUTERS:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.seconds = settings.REPLICA_PIN_SECONDS
        self.secure = settings.SESSION_COOKIE_SECURE

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_pinned(bool(request.COOKIES.get(self.COOKIE)) or not replica_available())
        try:
            response = self.get_response(request)
            if is_pinned() and request.method not in ("GET", "HEAD", "OPTIONS") and self.seconds:
                response.set_cookie(
                    self.COOKIE,
                    "1",
                    max_age=self.seconds,
                    secure=self.secure,
                    httponly=True,
                    samesite="Lax",
                )
            return response
        finally:
            reset_pinned(token)


class ApiLanguageMiddleware:
    """`?lang=fr` on an API request: the editorial text comes back in that language, as
    Accept-Language would ask (LocaleMiddleware, before this one, read that header). A query
    parameter is what a link or a script can carry most easily."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wanted = request.GET.get("lang", "") if request.path.startswith("/api/") else ""
        if wanted not in languages():
            return self.get_response(request)
        with translation.override(wanted):
            request.LANGUAGE_CODE = wanted
            response = self.get_response(request)
        response.headers["Content-Language"] = wanted
        return response

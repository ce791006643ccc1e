"""Error responses that must render while the database is down."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.views import defaults

from core.request_id import get_request_id

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_DETAIL = "The service is temporarily unavailable. Try again shortly."
# Errors a database that cannot be reached raises (connection refused, lost, timed out).
DATABASE_DOWN = (OperationalError, InterfaceError)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def unavailable_body() -> dict[str, object]:
    """The API's error shape (integrations.exceptions) for a 503."""
    return {
        "status": 503,
        "code": "service_unavailable",
        "detail": UNAVAILABLE_DETAIL,
        "request_id": get_request_id(),
    }


def service_unavailable(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if _wants_json(request):
        response = JsonResponse(unavailable_body(), status=503)
    else:
        html: str
        try:
            # No request, so no context processor (session, user, messages) touches the database.
            html = render_to_string("503.html")
        except TemplateDoesNotExist:
            html = "<h1>Service unavailable</h1><p>Try again in a moment.</p>"
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 when the cause is the database being unreachable, else Django's 500."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_DOWN):
        return service_unavailable(request)
    return defaults.server_error(request)


NUL_DETAIL = "The request holds a NUL byte, which no address or parameter here may contain."


def bad_request_nul(request: HttpRequest) -> HttpResponse:
    """400 for a request whose path or query string holds a NUL byte (core.middleware)."""
    if _wants_json(request):
        body = {
            "status": 400,
            "code": "nul_byte",
            "detail": NUL_DETAIL,
            "request_id": get_request_id(),
        }
        return JsonResponse(body, status=400)
    return HttpResponseBadRequest(
        "<h1>Bad request</h1><p>The address holds a character it may not contain.</p>"
    )

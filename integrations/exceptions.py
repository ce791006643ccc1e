"""One JSON shape for every API error.

    {"status": 404, "code": "not_found", "detail": "Not found.", "errors": {...}}

`errors` appears on validation errors: field name (or "non_field_errors") to a flat list of
messages (those about a list's items or a nested object's fields say which one).
Django's ValidationError, raised by the services, becomes a 400 in the same shape.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from core.errors import DATABASE_DOWN, RETRY_AFTER_SECONDS, unavailable_body
from core.request_id import get_request_id
from integrations.parsers import body_too_large

logger = logging.getLogger(__name__)


def _flatten_codes(codes: Any) -> str:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, list) and codes:
        return _flatten_codes(codes[0])
    if isinstance(codes, dict) and codes:
        return _flatten_codes(next(iter(codes.values())))
    return "error"


def _messages(detail: Any, prefix: str = "") -> list[str]:
    """Every message under one field, nested ones (list items, nested objects) prefixed with
    where they belong: "At index 0: ..." or "url: ..."."""
    if isinstance(detail, dict):
        found: list[str] = []
        for key, value in detail.items():
            where = f"At index {key}: " if str(key).isdigit() else f"{key}: "
            found += _messages(value, prefix + where)
        return found
    if isinstance(detail, list):
        return [message for item in detail for message in _messages(item, prefix)]
    return [f"{prefix}{detail}"]


def flat_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    """{field: [messages]} whatever the depth DRF reported them at."""
    return {str(field): _messages(detail) for field, detail in data.items()}


def error_body(
    *, status_code: int, code: str, detail: str, errors: dict[str, Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status_code, "code": code, "detail": detail}
    if errors:
        body["errors"] = errors
    body["request_id"] = get_request_id()
    return body


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DATABASE_DOWN):
        # The pages answer 503 with Retry-After when the database is down (core.errors); so
        # does every API endpoint, in the API's shape, instead of a 500 a client won't retry.
        logger.error("database unavailable", extra={"error": f"{type(exc).__name__}: {exc}"})
        return Response(
            unavailable_body(),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, RequestDataTooBig):
        exc = body_too_large()
    elif isinstance(exc, SuspiciousOperation):
        # too many fields, a malformed multipart body…: the client's fault, said in our shape
        exc = exceptions.ParseError(_("The request could not be read."))
    elif isinstance(exc, RecursionError):
        exc = exceptions.ParseError(_("The request body is nested too deeply."))
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            return None  # Django's debug page tells a developer more
        # An unexpected error still answers in the API's shape; the traceback goes to the log.
        logger.error("API error", exc_info=exc)
        return Response(
            error_body(
                status_code=500,
                code="server_error",
                detail=_("Something went wrong on our side; it has been logged."),
            ),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail
        if isinstance(data, list):
            data = {"non_field_errors": data}
        errors = flat_errors(data) if isinstance(data, dict) else {"non_field_errors": [str(data)]}
        response.data = error_body(
            status_code=response.status_code,
            code=_flatten_codes(exc.get_codes()) if errors else "invalid",
            detail=_("The request is not valid."),
            errors=errors,
        )
    else:
        detail = exc.detail
        response.data = error_body(
            status_code=response.status_code,
            code=_flatten_codes(exc.get_codes()),
            detail=str(detail if not isinstance(detail, list | dict) else exc.default_detail),
        )
    return response


@csrf_exempt  # answers 404 to every method; a CSRF failure page would hide that in HTML
def api_not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Unknown paths under /api/ answer in the API's error shape, not with an HTML page
    (a path only missing its final slash is redirected, as Django's APPEND_SLASH would)."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "not-found":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    return JsonResponse(
        error_body(status_code=404, code="not_found", detail=_("Not found.")),
        status=status.HTTP_404_NOT_FOUND,
    )

"""Behaviour shared by the API's viewsets: conditional GET on details."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils.cache import patch_vary_headers
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response


def _etag_for(data: Any) -> str:
    raw = json.dumps(data, sort_keys=True, default=str, separators=(",", ":")).encode()
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    candidates = [c.strip().removeprefix("W/") for c in header.split(",")]
    return etag in candidates


def conditional_response(request: Request, data: Any) -> Response:
    """200 with an ETag of the representation, or 304 when If-None-Match already has it.

    The tag hashes what this user is shown (drafts differ by user), so the response varies on
    the credentials too.
    """
    etag = _etag_for(data)
    if _matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
    else:
        response = Response(data)
    response["ETag"] = etag
    patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
    return response


class ConditionalRetrieveMixin:
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # type: ignore[attr-defined]
        serializer = self.get_serializer(instance)  # type: ignore[attr-defined]
        return conditional_response(request, serializer.data)


class JSONErrorsMixin:
    """Errors in JSON even where the client negotiated CSV or JSON Lines: the error shape is
    the same everywhere, and a CSV of an error would read as data."""

    def handle_exception(self, exc: Exception) -> Response:
        response: Response = super().handle_exception(exc)  # type: ignore[misc]
        request = self.request  # type: ignore[attr-defined]
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
        return response

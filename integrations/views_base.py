"""Behaviour shared by the API's viewsets: conditional GET on details, and write bodies that
refuse fields the endpoint does not take (a client must not believe it set them)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, TypeVar

from django.utils.cache import patch_vary_headers
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
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


# Sent by HTML forms (the browsable API), never a field of the resource.
_FORM_KEYS = frozenset({"csrfmiddlewaretoken"})

S = TypeVar("S", bound=serializers.BaseSerializer[Any])


def reject_unknown_fields(serializer: serializers.BaseSerializer[Any]) -> None:
    """400 naming every field of the body the serializer would drop: unknown ones, and
    read-only ones (id, author, status, counts...) that only the server sets."""
    data = getattr(serializer, "initial_data", None)
    fields = getattr(serializer, "fields", None)
    if not isinstance(data, Mapping) or fields is None:
        return
    errors: dict[str, list[str]] = {}
    for name in data:
        if name in _FORM_KEYS:
            continue
        field = fields.get(name)
        if field is None:
            errors[name] = ["Unknown field: this endpoint does not take it."]
        elif field.read_only:
            errors[name] = ["Read-only field: it cannot be set or changed here."]
    if errors:
        raise ValidationError(errors, code="unknown_field")


def valid_body(serializer: S) -> S:
    """The body, checked for fields it may not carry, then validated (400 on either)."""
    reject_unknown_fields(serializer)
    serializer.is_valid(raise_exception=True)
    return serializer


class StrictBodyMixin:
    """Create and update through get_serializer(data=...) refuse unknown and read-only fields."""

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)  # type: ignore[misc]
        if "data" in kwargs:
            reject_unknown_fields(serializer)
        return serializer

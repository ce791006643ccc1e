"""OpenAPI: the bearer scheme, and the error responses every operation may give."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import SAFE_METHODS

from integrations.serializers import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": (
        "The request is not valid (see `errors`): a field's value, a field the endpoint does "
        "not take or may not set, an unknown `ordering` field, a `page_size` that is not a "
        "whole number from 1, or a cursor that is not one of a page's links."
    ),
    "401": "Authentication is needed, or the token is invalid, expired or revoked.",
    "403": "The user or the token's scopes do not allow this.",
    "404": "Not found (or not visible to you).",
    "429": "Too many requests; retry after the number of seconds in Retry-After.",
}

NOT_ACCEPTABLE = (
    "The `format` asked for (or the Accept header) names no format this endpoint offers; "
    "the message lists those it does."
)
# Methods an endpoint never takes answer 405 with an Allow header, whoever asks.


class ApiAutoSchema(AutoSchema):
    def get_auth(self) -> list[dict[str, Any]]:
        """Reads under ScopedPermission alone are open to anonymous clients: say so."""
        from integrations.permissions import ScopedPermission

        auths: list[dict[str, Any]] = super().get_auth()
        perms = [p.__class__ for p in self.view.get_permissions()]
        if perms == [ScopedPermission] and self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        ref = self.resolve_serializer(ErrorSerializer, "response").ref
        responses = operation.setdefault("responses", {})
        for code, description in {**ERROR_DESCRIPTIONS, "406": NOT_ACCEPTABLE}.items():
            responses.setdefault(
                code,
                {"content": {"application/json": {"schema": ref}}, "description": description},
            )
        return operation


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "integrations.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API token created in admin or at /api/v1/tokens/, sent as "
                "`Authorization: Bearer <token>`. Its scopes (read, write:articles, "
                "write:claims, write:evidence, write:comments) bound what it may do."
            ),
        }

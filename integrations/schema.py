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
UNAVAILABLE = "The database cannot be reached; retry after the seconds in Retry-After."
TOO_LARGE = "The body is larger than the server accepts (DATA_UPLOAD_MAX_MEMORY_SIZE)."
EMPTY_IGNORED = "An empty value is ignored."
# Query parameters an empty value is an error for (400).
REFUSE_EMPTY = frozenset({"page_size", "limit"})
# Methods an endpoint never takes answer 405 with an Allow header, whoever asks.


def api_schema_postprocess(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """What the generator cannot see from the views, said in the schema:

    - request bodies refuse fields they do not list (integrations.views_base rejects unknown
      and read-only fields with 400): `additionalProperties: false`;
    - an empty filter, ordering or cursor (`?status=`, `?updated_since=`) is accepted and
      ignored, as django-filter and DRF do (forms send empty fields): `allowEmptyValue:
      true`. Parameters that refuse an empty value (`page_size`, `limit`) are left as they are.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                optional = parameter.get("in") == "query" and not parameter.get("required")
                if optional and parameter["name"] not in REFUSE_EMPTY:
                    parameter["allowEmptyValue"] = True
                    description = parameter.get("description", "")
                    if EMPTY_IGNORED not in description:
                        parameter["description"] = f"{description} {EMPTY_IGNORED}".strip()
    return result


def _open_for_reads() -> set[type]:
    """Permissions that let any client read: ScopedPermission (reads need no account), and
    object checks that only restrict writes (a comment's author)."""
    from integrations.permissions import IsAuthor, ScopedPermission

    return {ScopedPermission, IsAuthor}


class ApiAutoSchema(AutoSchema):
    def get_auth(self) -> list[dict[str, Any]]:
        """Reads under ScopedPermission (and write-only object checks) are open to anonymous
        clients: say so."""
        from integrations.permissions import ScopedPermission

        auths: list[dict[str, Any]] = super().get_auth()
        perms = {p.__class__ for p in self.view.get_permissions()}
        anonymous_reads = ScopedPermission in perms and perms <= _open_for_reads()
        if anonymous_reads and self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        ref = self.resolve_serializer(ErrorSerializer, "response").ref
        responses = operation.setdefault("responses", {})
        extra = {"406": NOT_ACCEPTABLE, "503": UNAVAILABLE}
        if self.method in ("POST", "PUT", "PATCH"):
            extra["413"] = TOO_LARGE
        for code, description in {**ERROR_DESCRIPTIONS, **extra}.items():
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

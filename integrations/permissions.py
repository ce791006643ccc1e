"""Permission checks shared by every API view: token scopes intersected with the user's role."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from core.roles import user_can_write
from integrations.models import ApiToken, Scope


def request_token(request: Request) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def request_has_scope(request: Request, scope: str) -> bool:
    """A session carries every scope its user's role allows; a token only those it lists."""
    token = request_token(request)
    return token is None or token.has_scope(scope)


def require_allowed_method(request: Request, view: Any) -> None:
    """405 for a method the endpoint never takes, before any permission check could answer
    401 or 403 (which would suggest that another account or token might be let in)."""
    method = request.method.lower() if request.method else ""
    if method not in view.http_method_names or not hasattr(view, method):
        raise MethodNotAllowed(request.method or "")


class ScopedPermission(BasePermission):
    """Reads: anyone (tokens need `read`). Writes: the view's write scope, held by role and token.

    A view names its write scope in `write_scope`, or per action in `write_scopes`; None means
    the view accepts no writes except those it checks itself.
    """

    message = "You do not have permission to perform this action."

    def has_permission(self, request: Request, view: Any) -> bool:
        require_allowed_method(request, view)
        if request.method in SAFE_METHODS:
            return self._token_has(request, Scope.READ)
        scope = write_scope_for(view)
        if scope is None:
            return False
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if not user_can_write(user, scope):
            self.message = f"Your account's role does not allow this (it needs {scope})."
            return False
        return self._token_has(request, scope)

    def _token_has(self, request: Request, scope: str) -> bool:
        if request_has_scope(request, scope):
            return True
        self.message = f"This token lacks the {scope} scope needed here."
        return False


def write_scope_for(view: Any) -> str | None:
    action = getattr(view, "action", None)
    per_action = getattr(view, "write_scopes", {})
    if action in per_action:
        return per_action[action]  # type: ignore[no-any-return]
    return getattr(view, "write_scope", None)


class IsAuthor(BasePermission):
    """Object level for comments: only the author edits or deletes one (moderators act through
    the moderation action instead, which keeps a log and a reason)."""

    message = "Only its author changes a comment."

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return bool(getattr(obj, "author_id", None) == getattr(request.user, "pk", object()))


class IsOwner(BasePermission):
    """For an integrator's own tokens and webhook subscriptions."""

    owner_field = "user_id"

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        field = getattr(view, "owner_field", self.owner_field)
        return bool(getattr(obj, field, None) == request.user.pk)

"""Who may do what: the roles every door (pages, admin, API, jobs) is checked against.

An editor is a member of the Editor group (or a superuser); a moderator, of the Moderator
group (editors moderate too). An integrator is any user an administrator granted the model
permission for a write (e.g. `claims.add_evidence` through an "Integrator" group); their token
must also carry the matching scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Whoever makes a request: a signed-in user or an anonymous visitor.
AnyUser: TypeAlias = "User | AnonymousUser"

EDITOR_GROUP = "Editor"
MODERATOR_GROUP = "Moderator"

# The Django permission that lets a user who is not an editor perform a write scope.
SCOPE_PERMISSIONS = {
    "write:claims": ("claims.add_claim", "claims.change_claim"),
    "write:evidence": ("claims.add_evidence",),
    "write:articles": ("articles.add_article", "articles.change_article"),
}


def _in_group(user: Any, name: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cache = getattr(user, "_assay_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._assay_groups = cache
    return name in cache


def user_is_editor(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or _in_group(user, EDITOR_GROUP)


def user_is_moderator(user: Any) -> bool:
    """Moderators, and editors, who answer for the discussion under their articles."""
    return (
        bool(getattr(user, "is_superuser", False))
        or _in_group(user, MODERATOR_GROUP)
        or _in_group(user, EDITOR_GROUP)
    )


def user_sees_drafts(user: Any) -> bool:
    """Who sees what readers do not see yet: draft articles and articles in review, claims not
    yet public, and the verdict of a claim before it is published. Editors only (the Editor
    role, or a superuser): not every staff account, not moderators. Pages, API, exports and
    admin lists all ask this one question."""
    return user_is_editor(user)


def user_can_write(user: Any, scope: str) -> bool:
    """Whether the user's role allows a write scope (their token must still carry it)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if scope == "write:comments":
        return True
    if user_is_editor(user):
        return True
    perms = SCOPE_PERMISSIONS.get(scope, ())
    return bool(perms) and any(user.has_perm(p) for p in perms)


def require_editor(user: AnyUser | None) -> None:
    """The one check for editorial writes (rating, publishing, accepting, rejecting, deleting).
    `None` is Assay itself (a job, a command, the demo), never a request's user."""
    if user is None or user_is_editor(user):
        return
    raise PermissionDenied(_("Only editors can do this."))


def require_can_write(user: AnyUser | None, scope: str) -> None:
    """The role check of a write any door offers (a token must also carry the scope: the API
    checks that). `None` is Assay itself."""
    if user is None or user_can_write(user, scope):
        return
    raise PermissionDenied(_("Your account may not do this."))


def signed_in(user: AnyUser | None) -> User:
    """The account behind a write that needs one (a comment, a like, a token), or
    PermissionDenied: anonymous visitors and deactivated accounts do not write."""
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied(_("Sign in first."))
    return user

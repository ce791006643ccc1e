"""Who a login attempt is about, whatever spelling it used.

Sign-in takes a username in any letter case or an e-mail address (allauth). The lockout
(django-axes) must count every spelling of one account together, or each spelling would get
its own AXES_FAILURE_LIMIT tries: `reader2` locked while `READER2` or the e-mail still get in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

# The fields a login form or an authentication backend may carry the login in.
_LOGIN_FIELDS = ("username", "email", "login")


def _submitted_login(request: HttpRequest | None, credentials: Mapping[str, Any] | None) -> str:
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        for name in _LOGIN_FIELDS:
            value = source.get(name)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return ""


def login_identity(request: HttpRequest | None, credentials: Mapping[str, Any] | None) -> str:
    """The key the lockout counts failures under: the account's username (casefolded) when the
    login names an account by username or e-mail, any letter case; else the casefolded login
    itself, so unknown names are counted too without revealing which exist."""
    login = _submitted_login(request, credentials)
    if not login:
        return ""
    users = get_user_model()._default_manager
    field = "email__iexact" if "@" in login else "username__iexact"
    username = users.filter(**{field: login}).order_by("pk").values_list("username", flat=True)
    found = username.first()
    if found is None and "@" in login:
        # an address allauth knows that is not (or no longer) the account's primary one
        from allauth.account.models import EmailAddress

        found = (
            EmailAddress.objects.filter(email__iexact=login)
            .order_by("pk")
            .values_list("user__username", flat=True)
            .first()
        )
    return (found or login).casefold()

"""Webhook targets through the project's guarded HTTP client (core.outbound).

A target URL is checked when a subscription is saved (scheme, and every address its host
resolves to), and again at every delivery, at connect time, by the guarded client itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    import httpx

# core.outbound (httpx, httpcore, ssl: ~13 MB) is imported when a URL is checked or a webhook
# sent, not when a web worker starts and only reads.


class OutboundURLError(ValueError):
    """The URL may not be used: wrong scheme, no host, unresolvable, or a non-public address."""


def check_outbound_url(url: str) -> None:
    import httpcore

    from core.outbound import OutboundRefused, check_scheme, resolve_checked

    try:
        check_scheme(url)
    except OutboundRefused:
        raise OutboundURLError(_("Only http and https URLs are allowed.")) from None
    parts = urlsplit(url)
    if not parts.hostname:
        raise OutboundURLError(_("The URL has no host."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise OutboundURLError(_("The URL's port is not valid.")) from None
    try:
        resolve_checked(parts.hostname, port, allow_loopback=bool(settings.OUTBOUND_ALLOW_LOOPBACK))
    except OutboundRefused as exc:
        raise OutboundURLError(str(exc)) from None
    except httpcore.ConnectError:
        raise OutboundURLError(
            _("The host %(host)s does not resolve.") % {"host": parts.hostname}
        ) from None


def guarded_post(
    url: str, *, content: bytes, headers: dict[str, str], timeout: float
) -> httpx.Response:
    """POST through the guard; redirects are not followed. A refused address raises
    OutboundURLError (permanent), network trouble httpx.HTTPError (temporary)."""
    from core.outbound import OutboundRefused, guarded_client

    try:
        with guarded_client(timeout=timeout, follow_redirects=False) as client:
            return client.post(url, content=content, headers=headers)
    except OutboundRefused as exc:
        raise OutboundURLError(str(exc)) from None

"""A guarded HTTP client for URLs that users type: evidence links, article import, webhooks.

The guard (SSRF protection) sits in the network backend, at connect time: the host is resolved
there, every address it resolves to must be public, and the socket connects to one of those
checked addresses. There is no gap between a check and a later resolution for a DNS answer to
change in (DNS rebinding), and since redirects open connections through the same backend, each
hop is checked too. TLS still verifies the certificate against the host name in the URL.

Only http and https are allowed. Loopback, private, link-local, reserved, multicast and
unspecified addresses are refused; `settings.OUTBOUND_ALLOW_LOOPBACK` lets loopback through (and
only loopback) for tests and local development. Environment proxies are ignored: a proxy would
connect on our behalf to addresses we never checked.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx
from django.conf import settings

logger = logging.getLogger(__name__)
ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_MAX_REDIRECTS = 5

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# HTTP answers that may pass if asked again later (a timeout, "too early", a rate limit, a
# server or gateway error): every outbound client (sources, link checks, URL imports) retries
# these and no others.
TEMPORARY_HTTP_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class OutboundRefused(Exception):
    """The request was refused by policy (scheme or address); retrying will not help."""


@dataclass(frozen=True)
class FetchResult:
    final_url: str
    status: int
    headers: httpx.Headers
    content: bytes
    truncated: bool

    @property
    def content_type(self) -> str:
        return str(self.headers.get("content-type", "")).split(";")[0].strip().lower()

    @property
    def encoding(self) -> str | None:
        for part in str(self.headers.get("content-type", "")).split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return str(value).strip("\"' ")
        return None

    @property
    def text(self) -> str:
        encoding = self.encoding or "utf-8"
        try:
            return self.content.decode(encoding, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


# Ranges Python's ipaddress still counts as global although no public service lives there:
# deprecated IPv6 site-local addresses (RFC 3879) route inside a site, and the 6to4 relay
# anycast prefix (RFC 7526) reaches whichever relay is nearest, possibly an internal one.
NOT_PUBLIC = (
    (ipaddress.ip_network("fec0::/10"), "site-local address"),
    (ipaddress.ip_network("192.88.99.0/24"), "6to4 relay address"),
)


def address_refusal(address: IPAddress, *, allow_loopback: bool) -> str | None:
    """Why a connection to this address is refused, or None when it is allowed."""
    if isinstance(address, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 and friends reach the IPv4 address they embed.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return address_refusal(embedded, allow_loopback=allow_loopback)
    for network, kind in NOT_PUBLIC:
        if address.version == network.version and address in network:
            return kind
    if address.is_loopback:
        return None if allow_loopback else "loopback address"
    if address.is_unspecified:
        return "unspecified address"
    if address.is_link_local:
        return "link-local address"
    if address.is_multicast:
        return "multicast address"
    if address.is_private:
        return "private address"
    if address.is_reserved:
        return "reserved address"
    if not address.is_global:
        return "non-public address"
    return None


def resolve_checked(host: str, port: int, *, allow_loopback: bool) -> list[str]:
    """Resolve a host and return its addresses, refusing if any of them is not allowed.

    Refusing when *any* address is internal (not only the first) keeps a name that resolves to
    both a public and an internal address from being used to reach the internal one.
    """
    host = host.strip("[]")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host!r}: {exc}") from exc
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        raw = str(sockaddr[0]).split("%")[0]
        address = ipaddress.ip_address(raw)
        refusal = address_refusal(address, allow_loopback=allow_loopback)
        if refusal is not None:
            # The address and its kind go to the log only: echoed to whoever typed the URL
            # (a webhook target, an evidence link), they would map internal DNS for them.
            logger.warning(
                "outbound request refused",
                extra={"host": host, "address": str(address), "refusal": refusal},
            )
            raise OutboundRefused(f"{host} does not resolve to a public address; refused")
        if raw not in addresses:
            addresses.append(raw)
    if not addresses:
        raise httpcore.ConnectError(f"{host!r} has no address")
    return addresses


class GuardedNetworkBackend(httpcore.SyncBackend):
    """httpcore's socket backend, resolving and checking the host before it connects."""

    def __init__(self, *, allow_loopback: bool) -> None:
        self.allow_loopback = allow_loopback

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve_checked(host, port, allow_loopback=self.allow_loopback)
        last_error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        raise last_error or httpcore.ConnectError(f"cannot connect to {host!r}")

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise OutboundRefused("unix sockets are not allowed")


class GuardedTransport(httpx.HTTPTransport):
    def __init__(self, *, allow_loopback: bool, verify: bool = True) -> None:
        super().__init__(verify=verify, trust_env=False)
        ssl_context = httpx.create_ssl_context(verify=verify, trust_env=False)
        # httpx.HTTPTransport has no parameter for the network backend; it keeps its
        # connection pool in `_pool`, which we replace with one built on the guarded backend.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            network_backend=GuardedNetworkBackend(allow_loopback=allow_loopback),
            max_connections=10,
            max_keepalive_connections=5,
        )


def check_scheme(url: str | httpx.URL) -> None:
    scheme = httpx.URL(str(url)).scheme
    if scheme not in ALLOWED_SCHEMES:
        raise OutboundRefused(f"only http and https URLs are allowed, not {scheme or 'none'!r}")


def _check_request_scheme(request: httpx.Request) -> None:
    check_scheme(request.url)


def guarded_client(
    *,
    timeout: float | None = None,
    follow_redirects: bool = False,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    headers: dict[str, str] | None = None,
) -> httpx.Client:
    """An httpx.Client whose every connection goes through the guard (use it as a context
    manager). Redirects are off by default (webhooks); when on, each hop is checked."""
    timeout = float(settings.OUTBOUND_TIMEOUT if timeout is None else timeout)
    return httpx.Client(
        transport=GuardedTransport(allow_loopback=bool(settings.OUTBOUND_ALLOW_LOOPBACK)),
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        follow_redirects=follow_redirects,
        max_redirects=max_redirects,
        headers={"User-Agent": settings.HTTP_USER_AGENT, **(headers or {})},
        trust_env=False,
        event_hooks={"request": [_check_request_scheme]},
    )


def fetch(
    url: str,
    *,
    max_bytes: int | None = None,
    timeout: float | None = None,
    accept: str = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
) -> FetchResult:
    """GET a URL through the guard, following redirects, reading at most `max_bytes`.

    Any HTTP status is returned (the caller decides what a 404 means). Raises OutboundRefused
    for a refused scheme or address (permanent) and httpx.HTTPError for network trouble
    (timeouts, resets, too many redirects). `timeout` also bounds the whole download, so a
    server trickling bytes cannot hold a worker.
    """
    check_scheme(url)
    limit = int(settings.OUTBOUND_MAX_BYTES if max_bytes is None else max_bytes)
    seconds = float(settings.OUTBOUND_TIMEOUT if timeout is None else timeout)
    deadline = time.monotonic() + seconds
    with (
        guarded_client(timeout=seconds, follow_redirects=True) as client,
        client.stream("GET", url, headers={"Accept": accept}) as response,
    ):
        chunks: list[bytes] = []
        size = 0
        truncated = False
        for chunk in response.iter_bytes():
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout(f"download took longer than {seconds:g}s")
            if size + len(chunk) > limit:
                chunks.append(chunk[: limit - size])
                truncated = True
                break
            chunks.append(chunk)
            size += len(chunk)
        return FetchResult(
            final_url=str(response.url),
            status=response.status_code,
            headers=response.headers,
            content=b"".join(chunks),
            truncated=truncated,
        )

"""The one HTTP client every source uses: timeouts, a User-Agent, conditional requests,
bounded retries of temporary errors with backoff and jitter, Retry-After, and a size cap."""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import random
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from energy.sources.base import (
    ConfigurationError,
    Payload,
    PayloadError,
    SourceError,
    TemporarySourceError,
)

if TYPE_CHECKING:
    import httpx

# httpx and the guarded transport (core.outbound: httpx, httpcore, ssl, ~13 MB) are imported
# when a source is fetched (a worker's job), not by every web worker that loads the catalogue.

logger = logging.getLogger(__name__)

QueryParams = Mapping[str, str] | Sequence[tuple[str, str]]

_CHUNK = 64 * 1024


def _public_url(url: str) -> str:
    """The URL without its query string, which may carry an API key."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _backoff(attempt: int) -> float:
    """Exponential backoff with jitter: base * 2^(attempt-1), scaled by a random 50-100 %."""
    base = float(settings.SOURCE_RETRY_BACKOFF_MS) / 1000.0
    return float(base * (2 ** (attempt - 1)) * random.uniform(0.5, 1.0))  # noqa: S311 - jitter, not crypto


def _error_detail(response: httpx.Response, body: bytes) -> str:
    """The message a JSON API put in its error body (EIA: error / error.message; Ember: detail)."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return text[:200]
    if isinstance(data, dict):
        error = data.get("error", data.get("detail", data.get("message")))
        if isinstance(error, dict):
            code = error.get("code", "")
            message = error.get("message", "")
            return f"{code}: {message}".strip(": ")
        if error is not None:
            return str(error)[:300]
    return text[:200]


def http_get(
    url: str,
    *,
    params: QueryParams | None = None,
    etag: str = "",
    last_modified: str = "",
    accept: str = "*/*",
    guard: bool = False,
    allow_loopback: bool = False,
) -> Payload:
    """GET `url` into a Payload, or a Payload with not_modified=True on 304.

    `guard` sends the request through the SSRF guard of core.outbound (for URLs that editors
    type): every address connected to, redirects included, must be public (or loopback when
    `allow_loopback`).

    Raises TemporarySourceError once the retries are spent (or a Retry-After is too long to
    wait for) and SourceError for answers that trying again will not change.
    """
    import httpx

    from core.outbound import GuardedTransport, OutboundRefused

    public = _public_url(url)
    headers = {"User-Agent": settings.HTTP_USER_AGENT, "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(settings.SOURCE_READ_TIMEOUT, connect=settings.SOURCE_CONNECT_TIMEOUT)
    attempts = settings.SOURCE_MAX_ATTEMPTS
    last_error: TemporarySourceError | None = None
    transport = GuardedTransport(allow_loopback=allow_loopback) if guard else None
    with httpx.Client(
        timeout=timeout,
        headers=headers,
        follow_redirects=True,
        max_redirects=5,
        transport=transport,
        trust_env=not guard,
    ) as client:
        for attempt in range(1, attempts + 1):
            wait = _backoff(attempt)
            try:
                return _get_once(client, url, public, params)
            except _RetryAfter as exc:
                last_error = exc.error
                if exc.seconds is not None:
                    if exc.seconds > settings.SOURCE_RETRY_AFTER_MAX:
                        raise exc.error from None
                    wait = max(wait, exc.seconds)
            except TemporarySourceError as exc:
                last_error = exc
            except OutboundRefused as exc:
                raise ConfigurationError(f"{public}: {exc}") from None
            if attempt < attempts:
                logger.info("retrying %s in %.1f s: %s", public, wait, last_error)
                time.sleep(wait)
    assert last_error is not None
    raise TemporarySourceError(f"{last_error.reason} (gave up after {attempts} attempts)")


class _RetryAfter(Exception):
    def __init__(self, error: TemporarySourceError, seconds: float | None) -> None:
        super().__init__(error.reason)
        self.error = error
        self.seconds = seconds


def _get_once(client: httpx.Client, url: str, public: str, params: QueryParams | None) -> Payload:
    import httpx

    from core.outbound import TEMPORARY_HTTP_STATUSES

    try:
        # httpx accepts any sequence of pairs; its annotation only names a few container types.
        with client.stream("GET", url, params=cast(Any, params)) as response:
            if response.status_code == 304:
                return Payload(url=public, not_modified=True)
            if response.status_code in TEMPORARY_HTTP_STATUSES:
                body = _read_capped(response, 4096, public, strict=False)
                seconds = _retry_after_seconds(response.headers.get("Retry-After"))
                reason = f"{public} answered HTTP {response.status_code}"
                if seconds is not None:
                    reason += f" with Retry-After {seconds:.0f} s"
                detail = _error_detail(response, body)
                if detail:
                    reason += f": {detail}"
                raise _RetryAfter(TemporarySourceError(reason), seconds)
            if response.status_code >= 400:
                body = _read_capped(response, 4096, public, strict=False)
                raise SourceError(
                    f"{public} refused the request (HTTP {response.status_code}): "
                    f"{_error_detail(response, body) or response.reason_phrase}"
                )
            return _payload(response, public)
    except httpx.TimeoutException as exc:
        kind = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for data"
        raise TemporarySourceError(f"timed out {kind} from {public}") from None
    except httpx.ConnectError as exc:
        raise TemporarySourceError(f"could not connect to {public}: {exc}") from None
    except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
        raise TemporarySourceError(
            f"{public} closed the connection before the end of the body (truncated): {exc}"
        ) from None
    except httpx.HTTPError as exc:
        raise TemporarySourceError(f"fetching {public} failed: {exc}") from None


def _read_capped(response: httpx.Response, limit: int, public: str, *, strict: bool) -> bytes:
    data = bytearray()
    for chunk in response.iter_bytes(_CHUNK):
        data.extend(chunk)
        if len(data) > limit:
            if strict:
                raise PayloadError(f"{public} sent more than {limit} bytes")
            break
    return bytes(data[:limit])


def _payload(response: httpx.Response, public: str) -> Payload:
    cap = settings.SOURCE_MAX_BYTES
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise PayloadError(
            f"{public} announced {int(declared):,} bytes, above the {cap:,}-byte limit "
            "(SOURCE_MAX_BYTES)"
        )
    payload = Payload(
        url=public,
        etag=response.headers.get("ETag", ""),
        last_modified=response.headers.get("Last-Modified", ""),
        content_type=response.headers.get("Content-Type", ""),
    )
    digest = hashlib.sha256()
    size = 0
    try:
        for chunk in response.iter_bytes(_CHUNK):
            size += len(chunk)
            if size > cap:
                raise PayloadError(
                    f"{public} sent more than {cap:,} bytes (SOURCE_MAX_BYTES); refusing it"
                )
            digest.update(chunk)
            payload.body.write(chunk)
    except BaseException:
        payload.close()
        raise
    encoded = response.headers.get("Content-Encoding") is not None
    if declared and declared.isdigit() and not encoded and size != int(declared):
        payload.close()
        raise TemporarySourceError(
            f"{public} sent {size:,} of the {int(declared):,} bytes announced (truncated)"
        )
    payload.body.seek(0)
    payload.size = size
    payload.sha256 = digest.hexdigest()
    return payload


__all__ = ["Payload", "SourceError", "http_get"]

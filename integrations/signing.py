"""Webhook signatures: HMAC-SHA256 over "<timestamp>.<body>" with the subscription's secret.

Receivers recompute the signature from the raw body and the timestamp header, compare in
constant time, and refuse timestamps older than a few minutes (replays).
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Assay-Signature"
TIMESTAMP_HEADER = "X-Assay-Timestamp"
EVENT_HEADER = "X-Assay-Event"
DELIVERY_HEADER = "X-Assay-Delivery"


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(*, secret: str, timestamp: int, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret=secret, timestamp=timestamp, body=body), signature)

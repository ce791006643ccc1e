"""Throttles whose rates are read from settings at request time (so deployments and tests can
change them); a throttled request gets 429 with Retry-After."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class ApiAnonThrottle(AnonRateThrottle):
    def get_rate(self) -> str | None:
        return str(settings.API_THROTTLE_ANON)


class ApiUserThrottle(UserRateThrottle):
    def get_rate(self) -> str | None:
        return str(settings.API_THROTTLE_USER)

"""Content negotiation that answers an unknown `?format=` with 406 naming the formats the
endpoint has (DRF's default answers 404, which reads as "no such resource")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer


class ApiContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers: Iterable[BaseRenderer], format: str) -> list[Any]:
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            available = ", ".join(dict.fromkeys(r.format for r in renderers if r.format))
            raise NotAcceptable(f"Unknown format {format!r}: this endpoint offers {available}.")
        return matching

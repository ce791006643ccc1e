"""Energy-data sources, one module per source, all with the interface of `base.Source`."""

from __future__ import annotations

from types import ModuleType

from energy.sources import csv_url, eia, ember, owid
from energy.sources.base import (
    ConfigurationError,
    Payload,
    PayloadError,
    SourceError,
    TemporarySourceError,
)

SOURCES: dict[str, ModuleType] = {
    owid.name: owid,
    eia.name: eia,
    ember.name: ember,
    csv_url.name: csv_url,
}


def source_for(name: str) -> ModuleType:
    try:
        return SOURCES[name]
    except KeyError:
        raise ConfigurationError(f"unknown source {name!r}") from None


__all__ = [
    "SOURCES",
    "ConfigurationError",
    "Payload",
    "PayloadError",
    "SourceError",
    "TemporarySourceError",
    "source_for",
]

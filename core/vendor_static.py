"""Serve chosen files from installed Python packages as static files.

plotly's wheel ships plotly.min.js; this finder exposes that one file (and nothing else from the
package) at `vendor/plotly.min.js`, so the chart library comes from our own static files, pinned by
the package version in pyproject.toml, without copying third-party source into the repository.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, overload

from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage

# static path -> (package, file inside the package)
VENDOR_FILES: dict[str, tuple[str, str]] = {
    "vendor/plotly.min.js": ("plotly", "package_data/plotly.min.js"),
}


def _package_file(package: str, relative: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / relative
        if candidate.is_file():
            return candidate
    return None


class PackageFileFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[CheckMessage]:
        errors: list[CheckMessage] = []
        for static_path, (package, relative) in VENDOR_FILES.items():
            if _package_file(package, relative) is None:
                errors.append(
                    Error(
                        f"{static_path}: {relative} not found in the installed '{package}' "
                        "package; install the project's dependencies.",
                        id="core.E001",
                    )
                )
        return errors

    @overload
    def find(self, path: str, find_all: Literal[False] = False, **kwargs: Any) -> str | None: ...

    @overload
    def find(self, path: str, find_all: Literal[True], **kwargs: Any) -> list[str]: ...

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str] | None:
        found = VENDOR_FILES.get(path)
        located = _package_file(*found) if found else None
        if located is None:
            # like Django's own finders: an empty list, which staticfiles' find() skips
            return []
        return [str(located)] if find_all else str(located)

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for static_path, (package, relative) in VENDOR_FILES.items():
            located = _package_file(package, relative)
            if located is None:
                continue
            storage = FileSystemStorage(location=str(located.parent))
            # collectstatic copies `path` from `storage` to `storage.prefix/path`
            storage.prefix = static_path.rsplit("/", 1)[0]  # type: ignore[attr-defined]
            yield located.name, storage

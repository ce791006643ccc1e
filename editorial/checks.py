"""A broken layout file is reported by `manage.py check` (and at start), not at the first
import."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from editorial.layouts import LAYOUTS_DIR, LayoutError, load_layouts


@register()
def layouts_load(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        load_layouts(LAYOUTS_DIR)
    except LayoutError as exc:
        return [
            Error(
                f"A post page layout file is broken: {exc}",
                hint="See docs/editorial.md, 'How to add a layout'.",
                obj=str(LAYOUTS_DIR),
                id="editorial.E001",
            )
        ]
    return []

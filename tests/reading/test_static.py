from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[2]


def test_chart_library_is_served_from_the_installed_plotly_wheel():
    located = finders.find("vendor/plotly.min.js")
    assert located and Path(located).name == "plotly.min.js"
    assert "site-packages" in located or "dist-packages" in located
    assert Path(located).stat().st_size > 1_000_000
    # only that one file of the package is exposed
    assert not finders.find("vendor/widgetbundle.js")
    assert not finders.find("vendor/plotly.js")


def test_templates_and_scripts_have_no_inline_code_or_foreign_assets():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", text), (
            template
        )
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert "javascript:" not in text, template
        assert not re.search(r"(src|href)=\"(https?:)?//", text), template
        assert ' style="' not in text, template

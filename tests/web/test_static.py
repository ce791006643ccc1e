from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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

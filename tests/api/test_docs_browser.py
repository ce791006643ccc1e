"""The offline API docs render in a real browser under the site's CSP, from our own files."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_lists_the_operations_offline(live_server, chromium):
    problems: list[str] = []
    outside: list[str] = []
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "console",
            lambda msg: problems.append(msg.text) if msg.type == "error" else None,
        )
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith(live_server.url) or request.url.startswith("data:")
                else outside.append(request.url)
            ),
        )
        page.goto(live_server.url + "/api/docs/")
        page.wait_for_selector(".opblock", timeout=15000)
        operations = page.locator(".opblock").count()
        title = page.locator(".info .title").inner_text()
    finally:
        context.close()
    assert operations >= 30
    assert "Assay API" in title
    assert outside == []
    assert problems == []

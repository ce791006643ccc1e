"""Importing a post dump from the article admin in a real browser: the changelist button, the
preview, the import, and a refused page, with no Content Security Policy violation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from articles.models import Article
from discussions.models import Comment
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DUMPS = Path(__file__).resolve().parent / "data" / "dumps"


@pytest.fixture
def admin_page(chromium: Any, live_server: Any) -> Iterator[Any]:
    # A superuser: a transactional test's flush drops the groups and grants that migrations
    # made; who may import is tested in test_import_post_admin.
    chief = UserFactory(username="chief", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(chief, backend="django.contrib.auth.backends.ModelBackend")
    context = chromium.new_context(locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            page.problems.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()


def test_editor_previews_a_pasted_page_then_imports_it(admin_page: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    page = admin_page
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.click("text=Import a post dump")
    page.fill("#id_text", (DUMPS / "gate-en-chip-export-rules.txt").read_text(encoding="utf-8"))
    page.fill("#id_captured_at", "2025-12-09T02:00:00+00:00")
    page.click("input[name=_preview]")

    expect(page.locator("#preview-layout")).to_contain_text("gate-en")
    expect(page.locator("#preview-comments tbody tr")).to_have_count(6)
    expect(page.locator("#preview-comments")).to_contain_text("2025-12-09T02:00:00+00:00")
    assert Article.objects.count() == 0

    page.click("input[name=_import]")
    expect(page).to_have_url(re.compile(r"/admin/articles/article/\d+/change/$"))
    expect(page.locator(".messagelist")).to_contain_text("Imported as a draft with 6 comment(s)")
    article = Article.objects.get()
    assert article.body.startswith("Quick recap") and "This page may contain" not in article.body
    assert Comment.objects.filter(article=article).count() == 6
    assert page.problems == []


def test_an_uploaded_file_is_previewed_and_imported_without_choosing_it_again(
    admin_page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    page = admin_page
    page.goto(f"{live_server.url}/admin/articles/article/import-post/")
    page.set_input_files("#id_upload", str(DUMPS / "forum-fr-tronque-tarif-electricite.txt"))
    page.click("input[name=_preview]")

    expect(page.locator("#preview-layout")).to_contain_text("forum-fr")
    expect(page.locator("#preview-truncated")).to_be_visible()
    expect(page.locator("#import-post-carried")).to_contain_text("forum-fr-tronque")

    page.click("input[name=_import]")
    expect(page).to_have_url(re.compile(r"/admin/articles/article/\d+/change/$"))
    article = Article.objects.get()
    assert article.title.startswith("Électricité : le tarif réglementé")
    assert Comment.objects.filter(article=article).count() == 2
    assert page.problems == []


def test_a_page_no_layout_places_is_refused_on_the_form(admin_page: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    page = admin_page
    page.goto(f"{live_server.url}/admin/articles/article/import-post/")
    page.fill(
        "#id_text",
        "Rechenzentren brauchen Strom.\nBelohnung\n0/400\nNetzNomade\n· vor 17 Std.\n"
        "Ohne Netzausbau keine KI.\nKabelkurt\n· vor 2 T.\nStimmt.\n",
    )
    page.click("input[name=_import]")

    expect(page.locator("#import-post-error")).to_contain_text("no layout places every line")
    expect(page.locator("#import-post-error")).to_contain_text("--as-plain-text")
    assert Article.objects.count() == 0
    assert page.problems == []

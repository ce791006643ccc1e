"""Marking a claim by selecting text in the article change page, in a real browser (the page's
CSP forbids inline scripts, so this also proves the static script is what does the work)."""

from __future__ import annotations

import pytest
from django.test import Client

from claims.models import Claim
from claims.services import claim_create
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A = "France produced about 65 % of its electricity from nuclear power in 2023."
B = "Data centres used around 415 TWh of electricity worldwide in 2024."
C = "Grids will not keep up with what is coming."

SELECT_TEXT = """(quote) => {
  const box = document.getElementById("assay-body");
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const at = box.textContent.indexOf(quote);
  let seen = 0, startNode, startOffset, endNode, endOffset;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const len = node.textContent.length;
    if (!startNode && at < seen + len) { startNode = node; startOffset = at - seen; }
    if (startNode && at + quote.length <= seen + len) {
      endNode = node; endOffset = at + quote.length - seen; break;
    }
    seen += len;
  }
  const range = document.createRange();
  range.setStart(startNode, startOffset);
  range.setEnd(endNode, endOffset);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  box.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


def test_selecting_text_marks_a_claim(chromium, live_server) -> None:  # type: ignore[no-untyped-def]
    # A superuser: a transactional test's flush drops the groups and grants that migrations
    # made, and what is tested here is the page's script, not the Editor role.
    editor = UserFactory(username="chief", is_staff=True, is_superuser=True)
    article = ArticleFactory(body=f"{A}\n\n{B} {C}")
    claim_create(article=article, quote=C)  # an existing claim splits the text into marks
    client = Client()
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    context = chromium.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.evaluate(SELECT_TEXT, f"{B} Grids will")

    assert page.input_value("#id_mark_quote") == f"{B} Grids will"
    assert page.input_value("#id_mark_start") == str(article.body.index(B))
    assert "Selected" in page.text_content("#assay-selection")
    page.click("input[name=_continue]")
    page.wait_for_load_state()

    claim = Claim.objects.get(article=article, quote=f"{B} Grids will")
    assert claim.start == article.body.index(B) and claim.status == "accepted"
    assert problems == []
    context.close()

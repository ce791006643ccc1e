"""Hostile comment text, posted through the real comment form, never reaches the page as
markup: no script, no event handler, no javascript:/data: link, no SVG, no stray element."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from discussions.models import Comment

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=10 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#x73;cript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![img](javascript:alert(1))",
    '![x](https://example.org/x.png" onerror="alert(1))',
    '[a](https://example.org "title" onmouseover="alert(1)")',
    '<iframe src="https://evil.example"></iframe>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<a href=x onmouseover=alert(1)>hover</a>",
    "<<script>script>alert(1)<</script>/script>",
    "`<script>alert(1)</script>`",
    "> <script>alert(1)</script>",
    "<details open ontoggle=alert(1)>",
    "[x](<javascript:alert(1)>)",
    "<form action=javascript:alert(1)><button>go</button></form>",
    '"><script>alert(1)</script>',
    "</textarea><script>alert(1)</script>",
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<link rel=stylesheet href=//evil.example/x.css>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
]

ALLOWED_IN_COMMENTS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "del",
}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


class _CommentMarkup(HTMLParser):
    """Collects every element inside the comment bodies, and every script on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth_in_body = 0
        self.inside: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, _value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
        if tag == "script":
            self.scripts.append(attributes)
        if self.depth_in_body:
            self.inside.append((tag, attrs))
            self.depth_in_body += 1
        elif "comment__body" in (attributes.get("class") or ""):
            self.depth_in_body = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth_in_body:
            self.depth_in_body -= 1


def test_xss_corpus_posted_through_the_form_never_becomes_markup(
    client, article, alice, login, settings
):
    settings.COMMENT_POST_RATE = "1000/m"
    login(alice)
    for payload in PAYLOADS:
        response = client.post(reverse("discussions:post", args=[article.pk]), {"body": payload})
        assert response.status_code == 302, payload
    assert Comment.objects.count() == len(PAYLOADS)

    page = client.get(article.get_absolute_url()).content.decode()
    parser = _CommentMarkup()
    parser.feed(page)

    assert parser.handlers == []
    # the only scripts are our own static files (no inline code, no foreign source)
    assert all((s.get("src") or "").startswith("/static/") for s in parser.scripts)
    for tag, attrs in parser.inside:
        assert tag in ALLOWED_IN_COMMENTS, tag
        for name, value in attrs:
            assert name in {"href", "title", "rel"}, (tag, name)
            if name == "href":
                assert not (value or "").strip().lower().startswith(BAD_SCHEMES), value
                # a relative link (no scheme) is inert; any scheme must be a safe one
                assert urlsplit(value or "").scheme in {"", "http", "https", "mailto"}, value
    links = [dict(attrs) for tag, attrs in parser.inside if tag == "a"]
    assert all(
        set((link.get("rel") or "").split()) >= {"nofollow", "ugc", "noopener"} for link in links
    )
    # the payloads are shown as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_comment_links_get_nofollow_ugc_noopener(client, article, alice, login):
    login(alice)
    client.post(
        reverse("discussions:post", args=[article.pk]),
        {"body": "See [the IEA](https://www.iea.org/reports/energy-and-ai)"},
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'href="https://www.iea.org/reports/energy-and-ai"' in page
    assert 'rel="nofollow ugc noopener"' in page

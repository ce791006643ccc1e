from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from claims.models import ClaimSeries
from tests.factories import ClaimFactory, ObservationFactory, SeriesFactory

ROOT = Path(__file__).resolve().parents[2]
# What a reader downloads for a claim page's look and behaviour, compressed.
CLAIM_PAGE_ASSET_BUDGET = 300_000


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


@pytest.mark.django_db  # closing the responses closes stale connections, as after any request
def test_claim_page_scripts_and_styles_stay_within_300_kb_compressed(
    client, settings, tmp_path, article
):
    """Measured as production serves them, not estimated: collectstatic with WhiteNoise's
    hashing, compressing storage writes the .br and .gz files into a temporary STATIC_ROOT with
    WhiteNoise's own compressor (so at its levels), then WhiteNoise answers each request for a
    `<script src>` or `<link href>` under /static/ on a claim page with a chart, asked for with
    `Accept-Encoding: br, gzip`, and the bytes it sends are added up.

    Only FileSystemFinder collects: our static/ holds every file the claim page uses (the
    chart library is vendored there), and compressing the admin's and the API docs' files too
    would take far longer without changing the sum.
    """
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    claim = ClaimFactory(article=article)
    series = SeriesFactory()
    ObservationFactory(series=series, period=dt.date(2023, 1, 1), value=64.8)
    ClaimSeries.objects.create(claim=claim, series=series, status=ClaimSeries.Status.CONFIRMED)

    page = client.get(claim.get_absolute_url()).content.decode()
    urls = re.findall(r'<(?:script src|link [^>]*href)="(/static/[^"]+)"', page)
    assert any("uPlot" in url for url in urls) and any("charts." in url for url in urls), urls

    sizes: dict[str, int] = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_ENCODING="br, gzip")
        assert response.status_code == 200, url
        if url.endswith((".js", ".css")):
            assert response["Content-Encoding"] == "br", url
        # read to the end, so the test client closes the file
        sizes[url] = len(b"".join(response.streaming_content))
        response.close()
    assert sum(sizes.values()) <= CLAIM_PAGE_ASSET_BUDGET, sizes

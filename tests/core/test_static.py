"""Static files in production: hashed names, served compressed by WhiteNoise, cached for good."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.templatetags.static import static


@pytest.mark.django_db  # closing the response closes stale connections, as after any request
def test_static_files_are_served_hashed_compressed_and_cached_for_good(
    client, settings, tmp_path
) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    # the project's own files are enough to show it, and collect in a moment
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)

    url = static("favicon.svg")
    assert re.fullmatch(r"/static/favicon\.[0-9a-f]{12}\.svg", url), url
    assert (settings.STATIC_ROOT / url.removeprefix("/static/")).with_suffix(".svg.br").exists()

    response = client.get(url, HTTP_ACCEPT_ENCODING="br, gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    # read to the end: the test client closes the file when the stream is exhausted; an open
    # handle would surface later as a ResourceWarning in whichever test the GC runs in
    assert b"".join(response.streaming_content)
    response.close()

    gzipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip"
    assert b"".join(gzipped.streaming_content)
    gzipped.close()

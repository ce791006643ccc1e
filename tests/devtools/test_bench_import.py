"""The import benchmark runs end to end on a small dump, and a 5 MB dump imports whole with as
many queries as a small one (its time is the benchmark's: `bench_import --mb 5`, target 5 s)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from devtools.import_bench import gate_dump
from discussions.models import Comment
from editorial.importers import parse_post_dump
from editorial.services.articles import article_import_post


def test_generated_dump_is_a_clean_gate_page_of_the_requested_size() -> None:
    text, comments = gate_dump(200_000)

    post = parse_post_dump(text)

    assert 200_000 <= len(text.encode()) < 201_000
    assert post.layout == "gate-en" and not post.unplaced
    assert len(post.comments) == comments and post.truncated is None


@pytest.mark.django_db
def test_bench_import_prints_parse_and_import_times_and_cleans_up() -> None:
    out = StringIO()

    call_command("bench_import", "--mb", "0.1", "--runs", "1", stdout=out)

    text = out.getvalue()
    assert "parse (nothing written)" in text and "import (parse and write)" in text
    assert "Best import" in text
    assert Article.objects.count() == 0 and Comment.objects.count() == 0


@pytest.mark.slow
@pytest.mark.django_db
def test_a_5_mb_dump_imports_whole_with_the_queries_of_a_small_one() -> None:
    """What keeps the import fast as dumps grow: one bulk write of the comments, not one
    statement per comment (the time itself is measured by `bench_import`, not by a test)."""
    counts = []
    for size in (500_000, 5 * 1024 * 1024):
        text, comments = gate_dump(size)
        with CaptureQueriesContext(connection) as queries:
            result = article_import_post(raw=text.encode())
        assert Comment.objects.filter(article=result.article).count() == comments
        counts.append(len(queries))
    small, large = counts
    assert large <= small + 5, counts

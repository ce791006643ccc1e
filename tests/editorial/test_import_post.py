from __future__ import annotations

import datetime as dt
import zoneinfo
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from discussions.models import Comment
from editorial.importers import parse_post_dump, resolve_posted_at

SEED = Path(__file__).resolve().parents[2] / "devtools" / "data" / "demo" / "gate-post-fr.txt"
HANDLES = [
    "BlockchainBard",
    "FlippedSignal",
    "PaperHandSister",
    "NFT_Therapy_Group",
    "GmGnSleeper",
    "JustAnotherWallet",
    "WealthCoffee",
    "ProofOfNothing",
]
CHROME = [
    "Voir l'original",
    "Récompense",
    "Reposter",
    "Partager",
    "0/400",
    "Gate ne garantit",
    "J'aime",
]


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_post", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_imports_body_once_without_platform_chrome():
    run(str(SEED))

    article = Article.objects.get()
    assert article.body.count("Les enjeux") == 1
    assert article.body.startswith("Le PDG d’un grand fabricant de puces")
    assert article.body.endswith("plutôt qu’en missiles.")
    for chrome in CHROME:
        assert chrome not in article.body
    assert article.language == "fr"
    assert article.source_name == "Gate"
    assert article.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_seed_comments_keep_handle_time_and_like_count():
    run(str(SEED))

    comments = list(Comment.objects.order_by("id"))
    assert len(comments) == 8
    # stored oldest first: the platform lists them newest first
    assert [c.external_author for c in comments] == list(reversed(HANDLES))
    by_handle = {c.external_author: c for c in comments}
    flipped = by_handle["FlippedSignal"]
    assert flipped.external_posted_raw == "12-08 11:46"
    assert flipped.external_like_count == 0
    assert flipped.author is None and flipped.depth == 0
    assert flipped.body.startswith("Sans nucléaire, ces nœuds blockchain")
    assert "Répondre" not in flipped.body
    assert by_handle["BlockchainBard"].external_posted_raw == "Il y a 14h"
    # the last comment runs into the repeated post, so its footer (and like count) is missing
    assert by_handle["ProofOfNothing"].external_like_count is None
    assert by_handle["ProofOfNothing"].body.endswith("nouvelle guerre froide.")


@pytest.mark.django_db
def test_importing_the_same_file_twice_creates_nothing_new():
    run(str(SEED))
    counts = (Article.objects.count(), Comment.objects.count())
    out = run(str(SEED))
    assert "nothing changed" in out
    assert (Article.objects.count(), Comment.objects.count()) == counts == (1, 8)


@pytest.mark.django_db
def test_plain_text_file_imports_as_an_article(tmp_path):
    path = tmp_path / "post.txt"
    path.write_text(
        "Nuclear power provided 65 % of French electricity in 2023.\n\nSecond paragraph.\n"
    )
    run(str(path), "--source-url", "https://example.org/post", "--status", "published")

    article = Article.objects.get()
    assert (
        article.body
        == "Nuclear power provided 65 % of French electricity in 2023.\n\nSecond paragraph."
    )
    assert article.language == "en"
    assert article.title == "Nuclear power provided 65 % of French electricity in 2023."
    assert article.source_url == "https://example.org/post"
    assert article.status == "published"
    assert Comment.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "no article text"),
        (b"   \n\n  \n", "no article text"),
        ("Texte en Latin-1: électricité".encode("latin-1"), "not UTF-8"),
        (b"\x00\x01\x02binary", "looks binary"),
        (b"Voir l'original\nCette page peut inclure du contenu de tiers.\n", "empty"),
    ],
)
def test_unreadable_files_fail_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "dump.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path))
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_command_exits_non_zero_on_error(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "import_post", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.returncode != 0
    assert "no such file" in result.stderr


def test_month_day_time_takes_the_latest_year_not_after_capture():
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    captured = dt.datetime(2026, 1, 5, 9, 0, tzinfo=paris)
    assert resolve_posted_at("12-08 11:46", captured_at=captured, tz=paris) == dt.datetime(
        2025, 12, 8, 11, 46, tzinfo=paris
    )
    captured = dt.datetime(2026, 12, 9, 9, 0, tzinfo=paris)
    assert resolve_posted_at("12-08 11:46", captured_at=captured, tz=paris).year == 2026


def test_relative_time_is_known_only_with_a_capture_time():
    utc = zoneinfo.ZoneInfo("UTC")
    assert resolve_posted_at("Il y a 14h", captured_at=None, tz=utc) is None
    captured = dt.datetime(2025, 12, 9, 2, 0, tzinfo=utc)
    assert resolve_posted_at("Il y a 14h", captured_at=captured, tz=utc) == dt.datetime(
        2025, 12, 8, 12, 0, tzinfo=utc
    )
    assert resolve_posted_at("yesterday-ish", captured_at=captured, tz=utc) is None


@pytest.mark.django_db
def test_captured_at_resolves_relative_times(tmp_path):
    run(str(SEED), "--captured-at", "2025-12-09T02:00:00+00:00")
    bard = Comment.objects.get(external_author="BlockchainBard")
    assert bard.external_posted_at == dt.datetime(2025, 12, 8, 12, 0, tzinfo=dt.UTC)
    flipped = Comment.objects.get(external_author="FlippedSignal")
    assert flipped.external_posted_at == dt.datetime(2025, 12, 8, 11, 46, tzinfo=dt.UTC)


def test_comment_markup_in_a_dump_is_kept_as_text():
    text = (
        "Body line.\nVoir l'original\nCommentaire\n0/400\n"
        "mallory\n· 12-08 11:00\n<script>alert(1)</script> [x](javascript:alert(1))\n"
        "Voir l'originalRépondre3\n"
    )
    post = parse_post_dump(text)
    assert post.comments[0].like_count == 3
    assert post.comments[0].body.startswith("<script>")


@pytest.mark.django_db
def test_imported_comment_html_is_sanitised():
    text = (
        "Body line.\nVoir l'original\nCommentaire\n"
        "mallory\n· 12-08 11:00\n<script>alert(1)</script> [x](javascript:alert(1))\n"
        "Voir l'originalRépondre3\n"
    )
    from editorial.services.articles import article_import_post

    article_import_post(raw=text.encode())
    comment = Comment.objects.get()
    assert "<script" not in comment.body_html
    assert "javascript:" not in comment.body_html
    assert comment.like_count == 3

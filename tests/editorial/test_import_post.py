from __future__ import annotations

import datetime as dt
import json
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
    assert "<script" not in comment.body_html and "<a" not in comment.body_html
    # imported comments are plain text on their platform: shown as written, never as markup
    assert comment.body_html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))</p>"
    )
    assert comment.like_count == 3


# --- layouts, refusal, dry run, front matter ---------------------------------------------------

DUMPS = Path(__file__).resolve().parent / "data" / "dumps"
CAPTURED = "2025-12-09T02:00:00+00:00"
# The Gate page in an interface language no layout describes: counters, buttons, a disclaimer
# and "· <time>" lines, none of whose words are known.
GERMAN_GATE = """\
Rechenzentren brauchen Strom, und zwar viel davon.
Diese Seite kann Inhalte Dritter enthalten. Gate übernimmt keine Gewähr.
9 Gefällt mir
Belohnung
9
2
Reposten
Teilen
Kommentar
0/400
NetzNomade
· vor 17 Std.
Ohne Netzausbau keine KI.
Antworten 0
"""


def write(tmp_path: Path, text: str, name: str = "dump.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def english_with_an_unknown_chrome_line(tmp_path: Path) -> Path:
    text = (DUMPS / "gate-en-chip-export-rules.txt").read_text(encoding="utf-8")
    return write(tmp_path, text.replace("Repost\n", "Repost\nTip the author\n"))


@pytest.mark.django_db
def test_english_gate_page_imports_without_chrome_and_with_its_comments():
    out = run(str(DUMPS / "gate-en-grid-is-the-moat.txt"))

    article = Article.objects.get()
    assert "This page may contain" not in article.body and "12 Likes" not in article.body
    assert article.body.count("Everyone is arguing") == 1
    assert article.source_name == "Gate"
    assert Comment.objects.count() == 7
    assert "layout gate-en" in out and "the repeated copy of the post dropped" in out


@pytest.mark.django_db
def test_page_no_layout_places_is_refused_with_its_lines_and_how_to_proceed(tmp_path):
    path = write(tmp_path, GERMAN_GATE)

    with pytest.raises(CommandError) as raised:
        run(str(path))

    message = str(raised.value)
    assert "no layout places every line" in message
    assert "line 10: '0/400'" in message and "line 12: '· vor 17 Std.'" in message
    assert "--layout NAME" in message and "--as-plain-text" in message
    assert "gate-en, gate-fr" in message
    assert Article.objects.count() == 0 and Comment.objects.count() == 0


@pytest.mark.django_db
def test_page_a_layout_almost_places_names_that_layout_and_the_stray_line(tmp_path):
    with pytest.raises(CommandError) as raised:
        run(str(english_with_an_unknown_chrome_line(tmp_path)))

    message = str(raised.value)
    assert "closest layout is gate-en" in message
    assert "line 11: 'Tip the author'" in message
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_refusal_lists_at_most_ten_lines(tmp_path):
    text = (DUMPS / "gate-en-chip-export-rules.txt").read_text(encoding="utf-8")
    strays = "".join(f"Sponsored slot {n}\n" for n in range(14))
    path = write(tmp_path, text.replace("Repost\n", f"Repost\n{strays}"))

    with pytest.raises(CommandError) as raised:
        run(str(path))

    message = str(raised.value)
    assert "first 10 of 14" in message and "… and 4 more" in message
    assert "Sponsored slot 9'" in message and "Sponsored slot 10'" not in message


@pytest.mark.django_db
def test_refused_page_exits_with_status_1_and_the_message_on_stderr(tmp_path, capsys, monkeypatch):
    from django.core.management import ManagementUtility
    from django.db import connections

    # run_from_argv closes every connection on its way out, as a real process would; here
    # that is the test's own, inside its transaction
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = write(tmp_path, GERMAN_GATE)
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_post", str(path)]).execute()

    assert exited.value.code == 1
    assert "no layout places every line" in capsys.readouterr().err
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_forced_layout_imports_and_reports_the_lines_it_dropped(tmp_path):
    out = run(str(english_with_an_unknown_chrome_line(tmp_path)), "--layout", "gate-en")

    article = Article.objects.get()
    assert "Tip the author" not in article.body
    assert Comment.objects.count() == 6
    assert "1 lines the layout could not place were dropped" in out
    assert "line 11: 'Tip the author'" in out


@pytest.mark.django_db
def test_as_plain_text_imports_the_whole_file_as_the_body(tmp_path):
    run(str(write(tmp_path, GERMAN_GATE)), "--as-plain-text", "--language", "en")

    article = Article.objects.get()
    assert article.body.startswith("Rechenzentren brauchen Strom")
    assert "Antworten 0" in article.body
    assert Comment.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--layout", "gate-de"], "unknown layout 'gate-de'; known layouts: forum-en, forum-fr"),
        (["--layout", "gate-fr", "--as-plain-text"], "exclude each other"),
        (["--json"], "--json goes with --dry-run"),
        (["--layout", "forum-en"], "the forum-en layout does not fit this file"),
    ],
)
def test_bad_layout_options_are_refused_clearly(args, message):
    with pytest.raises(CommandError, match=message):
        run(str(SEED), *args)
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_truncated_copy_imports_complete_comments_and_says_what_was_dropped():
    out = run(str(DUMPS / "gate-en-truncated-smr-hype.txt"))

    assert Comment.objects.count() == 2
    assert not Comment.objects.filter(external_author="BaseloadBenny").exists()
    assert "stops inside its last comment" in out and "BaseloadBenny" in out


@pytest.mark.django_db
def test_dry_run_prints_what_would_be_stored_and_writes_nothing():
    out = run(str(DUMPS / "gate-en-chip-export-rules.txt"), "--dry-run", "--captured-at", CAPTURED)

    assert Article.objects.count() == 0 and Comment.objects.count() == 0
    assert "nothing is written" in out
    assert "Layout:        gate-en" in out
    assert "Title:         Quick recap of the AI chip export saga" in out
    assert "Body:          4 paragraphs, " in out
    assert "Comments:      6 (listed as on the page, newest first; stored oldest first)" in out
    assert "tape_reader_99 · just now → 2025-12-09T02:00:00+00:00 · 0 likes" in out
    assert "nodeoperator.eth · 17h ago → 2025-12-08T09:00:00+00:00 · likes unknown" in out
    assert "WaferThinMargins · 12-08 11:46 → 2025-12-08T11:46:00+00:00 · 1 likes" in out
    assert "Chrome dropped: 15 lines" in out and "  - 0/400" in out


@pytest.mark.django_db
def test_dry_run_as_json_has_every_comment_with_raw_and_resolved_time():
    out = run(
        str(DUMPS / "gate-fr-commentaire-sans-pseudo.txt"),
        "--dry-run",
        "--json",
        "--captured-at",
        CAPTURED,
    )

    data = json.loads(out)
    plan = data["plan"]
    assert data["dry_run"] is True and data["already_imported"] is None
    assert plan["layout"] == "gate-fr" and plan["language"] == "fr"
    assert plan["body_length"] == len(plan["body"])
    assert plan["body_first_lines"][0].startswith("Le 28 avril 2025")
    assert plan["comments"][1] == {
        "handle": None,
        "stored_as": "(no handle)",
        "posted_raw": "Il y a 3h",
        "posted_at": "2025-12-08T23:00:00+00:00",
        "like_count": 0,
        "line": 17,
        "body": (
            "Les opposants aux renouvelables ont sauté sur l'occasion avant même d'avoir les faits."
        ),
    }
    assert plan["chrome_lines"][0] == "Voir l'original"
    assert plan["truncated"] is None and plan["unplaced"] == []
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_of_a_file_imported_before_says_so():
    run(str(SEED))

    out = run(str(SEED), "--dry-run")

    assert "Already imported as" in out and "would change nothing" in out


def test_english_relative_times_resolve_with_a_capture_time():
    utc = zoneinfo.ZoneInfo("UTC")
    captured = dt.datetime(2025, 12, 9, 2, 0, tzinfo=utc)

    def at(raw: str) -> dt.datetime | None:
        return resolve_posted_at(raw, captured_at=captured, tz=utc)

    assert at("17h ago") == dt.datetime(2025, 12, 8, 9, 0, tzinfo=utc)
    assert at("3d ago") == dt.datetime(2025, 12, 6, 2, 0, tzinfo=utc)
    assert at("8m ago") == dt.datetime(2025, 12, 9, 1, 52, tzinfo=utc)
    assert at("just now") == captured
    assert at("45 minutes ago") == dt.datetime(2025, 12, 9, 1, 15, tzinfo=utc)
    assert at("yesterday") == dt.datetime(2025, 12, 8, 2, 0, tzinfo=utc)
    assert at("5 Mar 2025") == dt.datetime(2025, 3, 5, tzinfo=utc)
    assert resolve_posted_at("17h ago", captured_at=None, tz=utc) is None
    assert resolve_posted_at("just now", captured_at=None, tz=utc) is None


def test_french_day_words_and_day_first_dates_resolve_in_the_display_time_zone():
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    captured = dt.datetime(2025, 3, 6, 8, 0, tzinfo=dt.UTC)

    def at(raw: str) -> dt.datetime | None:
        return resolve_posted_at(raw, captured_at=captured, tz=paris)

    assert at("hier à 18:02") == dt.datetime(2025, 3, 5, 18, 2, tzinfo=paris)
    assert at("le 05/03/2025 à 09:15") == dt.datetime(2025, 3, 5, 9, 15, tzinfo=paris)
    assert at("il y a 2 heures") == captured - dt.timedelta(hours=2)
    assert at("Il y a 5 min") == captured - dt.timedelta(minutes=5)
    assert at("Il y a 2j") == captured - dt.timedelta(days=2)


FRONT_MATTER = """\
---
title: "Ireland: the brake on data centres"
source_url: https://example.org/ireland
language: en
# who wrote it on the original site
author: Energy Desk
published_at: 2025-03-03T08:30:00+00:00
---
Data centres used 21 % of all metered electricity in Ireland in 2023.

The grid operator has in effect stopped new connections around Dublin.
"""


@pytest.mark.django_db
def test_front_matter_fills_the_fields_and_is_not_part_of_the_body(tmp_path):
    out = run(str(write(tmp_path, FRONT_MATTER, "post.md")))

    article = Article.objects.get()
    assert article.title == "Ireland: the brake on data centres"
    assert article.source_url == "https://example.org/ireland"
    assert article.language == "en"
    assert article.original_author == "Energy Desk"
    assert article.published_at == dt.datetime(2025, 3, 3, 8, 30, tzinfo=dt.UTC)
    assert article.body == (
        "Data centres used 21 % of all metered electricity in Ireland in 2023.\n\n"
        "The grid operator has in effect stopped new connections around Dublin."
    )
    assert "---" not in article.body and "source_url" not in article.body
    assert "From the front matter: title, source_url, language, author, published_at" in out


@pytest.mark.django_db
def test_command_options_win_over_front_matter(tmp_path):
    run(str(write(tmp_path, FRONT_MATTER)), "--title", "Chosen title", "--language", "fr")

    article = Article.objects.get()
    assert (article.title, article.language) == ("Chosen title", "fr")
    assert article.original_author == "Energy Desk"


@pytest.mark.django_db
def test_front_matter_on_a_platform_dump_and_with_plain_text(tmp_path):
    dump = (DUMPS / "gate-en-chip-export-rules.txt").read_text(encoding="utf-8")
    front = "---\nsource_url: https://www.gate.com/post/1\ntitle: Chip exports\n---\n"

    run(str(write(tmp_path, front + dump)))
    run(str(write(tmp_path, front + "Just a note.\n", "note.txt")), "--as-plain-text")

    dumped, note = Article.objects.order_by("id")
    assert dumped.title == "Chip exports" and dumped.source_url == "https://www.gate.com/post/1"
    assert dumped.body.startswith("Quick recap") and Comment.objects.count() == 6
    assert note.body == "Just a note."


@pytest.mark.django_db
def test_a_naive_published_date_is_read_in_the_display_time_zone(tmp_path):
    path = write(tmp_path, "---\npublished_at: 2025-03-03\n---\nBody text here.\n")

    run(str(path), "--timezone", "Europe/Paris")

    assert Article.objects.get().published_at == dt.datetime(
        2025, 3, 3, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("---\ntitle: A\ncategory: energy\n---\n", "line 3: unknown key 'category'; known keys"),
        ("---\npublished_at: 3 March 2025\n---\n", "line 2: published_at '3 March 2025' is not"),
        ("---\npublished_at: 2025-02-30\n---\n", "is not a date"),
        ("---\nlanguage: de\n---\n", "language 'de' is not one of fr, en"),
        ("---\nsource_url: example.org\n---\n", "is not an http\\(s\\) URL"),
        ("---\ntitle: A\ntitle: B\n---\n", "'title' is set twice"),
        ("---\njust words\n---\n", "line 2: 'just words' is not 'key: value'"),
        ("---\ntitle: never closed\n", "never closed"),
    ],
)
def test_bad_front_matter_is_refused_with_its_line(tmp_path, front, message):
    with pytest.raises(CommandError, match=message):
        run(str(write(tmp_path, front + "Body text here.\n")))
    assert Article.objects.count() == 0

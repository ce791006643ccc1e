"""What real copies of post pages vary, read right or refused, never imported wrong: counts
with thousands, non-breaking spaces, the platform's own lines inside comments, a footer or
header the layout cannot read, a plain article that ends like a forum page, the same page saved
with Windows line endings, local times in the capture's offset."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from discussions.models import Comment
from editorial.importers import DumpError, dump_fingerprint, parse_post_dump, plan_post_import
from editorial.layouts import parse_count

DISCLAIMER = (
    "Cette page peut inclure du contenu de tiers fourni à des fins d'information uniquement. "
    "Gate ne garantit ni l'exactitude ni la validité de ces contenus."
)
GATE_FR_HEAD = f"""Le réseau n'est pas prêt : 20 GW de demandes de raccordement en France.
Voir l'original
{DISCLAIMER}
1\u202f204 J'aime
Récompense
1,2 k
87
Reposter
Partager
Commentaire
0/400
"""


@pytest.mark.parametrize(
    ("shown", "count"),
    [
        ("9", 9),
        ("12 345", 12345),
        ("12\u00a0345", 12345),
        ("12,345", 12345),
        ("1,2 k", 1200),
        ("1.2K", 1200),
        ("3M", 3_000_000),
        ("1 248", 1248),
    ],
)
def test_displayed_counts_are_read_as_numbers(shown: str, count: int) -> None:
    assert parse_count(shown) == count


def test_thousands_and_non_breaking_spaces_are_read_not_refused() -> None:
    text = GATE_FR_HEAD + "Hélène_Énergie\n· Il y a 5 min\nSource : RTE.\nRépondre 1,2 k\n"

    post = parse_post_dump(text)

    assert post.layout == "gate-fr" and post.post_like_count == 1204
    [comment] = post.comments
    assert (comment.handle, comment.like_count, comment.body) == (
        "Hélène_Énergie",
        1200,
        "Source : RTE.",
    )


def test_the_platforms_own_lines_inside_a_comment_are_chrome_and_paragraphs_stay() -> None:
    text = GATE_FR_HEAD + (
        "🐋BaleineBleue\n· Il y a 3 h\nPremier point : les postes sources.\n\n"
        "Deuxième point : les lignes.\n(modifié)\nVoir la traduction\n"
        "Voir l'originalRépondre 12 345\n"
    )

    [comment] = parse_post_dump(text).comments

    assert comment.handle == "🐋BaleineBleue" and comment.like_count == 12345
    assert comment.body == "Premier point : les postes sources.\n\nDeuxième point : les lignes."


def test_a_footer_the_layout_cannot_read_stops_the_import_instead_of_merging_comments() -> None:
    # "Répondre douze" is no count the layout knows: reading on would swallow the next comment
    text = GATE_FR_HEAD + (
        "Marc-Élie\n· Il y a 1 sem\nLa rente du raccordement est le vrai sujet.\n"
        "Voir l'originalRépondre douze\n"
        "ElectronLibre\n· en mars dernier\nL'Allemagne a le même problème.\nRépondre 2\n"
    )

    with pytest.raises(DumpError) as refused:
        parse_post_dump(text)

    message = str(refused.value)
    assert "no layout places every line" in message
    assert "Voir l'originalRépondre douze" in message and "· en mars dernier" in message
    # forced, the lines it could not place are reported, never kept as a reader's words
    post = parse_post_dump(text, layout="gate-fr")
    assert [line.text for line in post.unplaced][:1] == ["Voir l'originalRépondre douze"]
    assert all("Répondre douze" not in c.body for c in post.comments)


def test_a_plain_article_that_ends_like_a_forum_page_keeps_its_first_paragraph() -> None:
    raw = (
        b"---\ntitle: Ireland keeps its brake on new data centres\nlanguage: en\n---\n"
        b"Data centres used 21 % of all metered electricity in Ireland in 2023.\n\n"
        b"EirGrid will not connect new sites in Dublin before 2028.\n\n"
        b"Read more: Why Dublin's grid is full\n\nTags: Ireland, grid\n"
    )

    plan = plan_post_import(raw)

    assert plan.layout == "" and plan.title == "Ireland keeps its brake on new data centres"
    assert plan.body.startswith("Data centres used 21 % of all metered electricity")


def test_the_same_page_saved_with_a_bom_and_windows_line_endings_is_the_same_file() -> None:
    unix = (GATE_FR_HEAD + "Luc\n· Il y a 2 j\nMerci.\nRépondre 1\n").encode()
    windows = b"\xef\xbb\xbf" + unix.replace(b"\n", b"\r\n")

    assert dump_fingerprint(windows) == dump_fingerprint(unix)


@pytest.mark.django_db
def test_a_page_saved_twice_with_different_line_endings_is_imported_once(tmp_path: Path) -> None:
    unix = (GATE_FR_HEAD + "Luc\n· Il y a 2 j\nMerci.\nRépondre 1\n").encode()
    (tmp_path / "a.txt").write_bytes(unix)
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + unix.replace(b"\n", b"\r\n"))

    call_command("import_post", str(tmp_path / "a.txt"), stdout=StringIO())
    out = StringIO()
    call_command("import_post", str(tmp_path / "b.txt"), stdout=out)

    assert "Already imported" in out.getvalue()
    assert Article.objects.count() == 1 and Comment.objects.count() == 1


def test_local_times_are_read_in_the_captures_offset_unless_a_zone_is_given() -> None:
    raw = (GATE_FR_HEAD + "WattElse\n· Hier à 18:02\nC'est pire.\nRépondre 3\n").encode()
    captured = dt.datetime.fromisoformat("2025-12-09T12:00:00+01:00")

    [mine] = plan_post_import(raw, captured_at=captured).comments
    [utc] = plan_post_import(raw, captured_at=captured, timezone="UTC").comments

    assert mine.posted_at == dt.datetime.fromisoformat("2025-12-08T18:02:00+01:00")
    assert utc.posted_at == dt.datetime.fromisoformat("2025-12-08T18:02:00+00:00")


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        ("12 mars", "2025-03-12T00:00:00+01:00"),
        ("le 12 mars 2024 à 09:15", "2024-03-12T09:15:00+01:00"),
        ("3 h", "2025-12-09T09:00:00+01:00"),
    ],
)
def test_older_and_shorter_french_times_resolve(time: str, expected: str) -> None:
    raw = (GATE_FR_HEAD + f"Luc\n· {time}\nMerci.\nRépondre 1\n").encode()
    captured = dt.datetime.fromisoformat("2025-12-09T12:00:00+01:00")

    [comment] = plan_post_import(raw, captured_at=captured).comments

    assert comment.posted_at == dt.datetime.fromisoformat(expected)


@pytest.mark.django_db
def test_an_unknown_time_zone_is_refused_even_for_a_file_already_imported(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes((GATE_FR_HEAD + "Luc\n· Il y a 2 j\nMerci.\nRépondre 1\n").encode())
    call_command("import_post", str(path), stdout=StringIO())

    with pytest.raises(CommandError, match="unknown time zone 'Paris'"):
        call_command("import_post", str(path), "--timezone", "Paris", stdout=StringIO())

"""Every dump in data/dumps/ against its expected file (LAYOUTS.md says what they encode): the
layout is detected, the body is exact and holds no chrome line, every complete comment is found
exactly, the truncated tail and the repeated post are reported. Then the same through the
import, on what is stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from articles.models import Article
from discussions.models import Comment
from editorial.importers import MISSING_HANDLE, decode_dump, parse_post_dump, title_from_body
from editorial.layouts import known_layouts
from editorial.services.articles import article_import_post

DUMPS = Path(__file__).resolve().parent / "data" / "dumps"
NAMES = sorted(path.name.removesuffix(".expected.json") for path in DUMPS.glob("*.expected.json"))


def expected(name: str) -> dict[str, Any]:
    return json.loads((DUMPS / f"{name}.expected.json").read_text(encoding="utf-8"))


def raw(name: str) -> bytes:
    return (DUMPS / f"{name}.txt").read_bytes()


def as_expected(post: Any) -> dict[str, Any]:
    return {
        "layout": post.layout,
        "body": post.body,
        "chrome_lines": post.chrome_lines,
        "comments": [
            {
                "handle": c.handle,
                "posted_raw": c.posted_raw,
                "body": c.body,
                "like_count": c.like_count,
            }
            for c in post.comments
        ],
        "truncated": {"dropped": post.truncated} if post.truncated is not None else None,
        "repeated_post": post.repeated_post,
    }


def test_the_fixtures_span_both_platforms_both_languages_and_a_truncated_copy() -> None:
    layouts = {expected(name)["layout"] for name in NAMES}
    assert len(NAMES) >= 6
    # every shipped layout entry is exercised by at least one realistic dump
    assert layouts == set(known_layouts().names)
    assert {expected(name)["language"] for name in NAMES} == {"fr", "en"}
    assert any(expected(name)["truncated"] for name in NAMES)
    assert any(expected(name)["repeated_post"] for name in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_dump_is_read_exactly_as_its_expected_file_says(name: str) -> None:
    want = expected(name)

    post = parse_post_dump(decode_dump(raw(name)))

    got = as_expected(post)
    assert got["layout"] == want["layout"]
    assert got["body"] == want["body"]
    assert got["comments"] == want["comments"]
    assert got["chrome_lines"] == want["chrome_lines"]
    assert got["truncated"] == want["truncated"]
    assert got["repeated_post"] == want["repeated_post"]
    assert post.unplaced == []


@pytest.mark.parametrize("name", NAMES)
def test_no_chrome_line_reaches_the_body(name: str) -> None:
    want = expected(name)

    body_lines = set(parse_post_dump(decode_dump(raw(name))).body.split("\n"))

    assert not body_lines & set(want["chrome_lines"])
    if want["layout"].startswith("forum"):  # the page's title line is the title, not the body
        assert want["title_hint"] not in body_lines


@pytest.mark.parametrize("name", NAMES)
def test_forcing_the_detected_layout_reads_the_same(name: str) -> None:
    text = decode_dump(raw(name))

    assert as_expected(parse_post_dump(text, layout=expected(name)["layout"])) == as_expected(
        parse_post_dump(text)
    )


@pytest.mark.parametrize("name", NAMES)
def test_title_is_the_page_title_line_or_the_first_sentence(name: str) -> None:
    want = expected(name)
    post = parse_post_dump(decode_dump(raw(name)))

    title = post.title or title_from_body(post.body)

    assert title == want["title_hint"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_import_stores_the_body_and_every_complete_comment(name: str) -> None:
    want = expected(name)

    result = article_import_post(raw=raw(name))

    article = Article.objects.get()
    assert result.created and article.body == want["body"]
    assert article.language == want["language"]
    assert article.title == want["title_hint"]
    for chrome in want["chrome_lines"]:
        assert chrome not in article.body.split("\n")
    stored = {
        (c.external_author, c.external_posted_raw, c.body, c.external_like_count)
        for c in Comment.objects.filter(article=article)
    }
    assert stored == {
        (c["handle"] or MISSING_HANDLE, c["posted_raw"], c["body"], c["like_count"])
        for c in want["comments"]
    }
    if want["truncated"]:
        dropped = want["truncated"]["dropped"].split("\n")[-1]
        assert not Comment.objects.filter(body__contains=dropped).exists()


@pytest.mark.django_db
def test_gate_comments_are_stored_oldest_first_and_forum_comments_as_shown() -> None:
    gate = article_import_post(raw=raw("gate-en-chip-export-rules")).article
    forum = article_import_post(raw=raw("forum-en-ireland-data-centres")).article

    def handles(article: Article) -> list[str]:
        comments = Comment.objects.filter(article=article).order_by("id")
        return list(comments.values_list("external_author", flat=True))

    gate_order, forum_order = handles(gate), handles(forum)
    assert gate_order[0] == "WaferThinMargins" and gate_order[-1] == "tape_reader_99"
    assert forum_order[0] == "kilowattkate" and forum_order[-1] == "ElectricSheepIE"


def test_a_comment_without_its_handle_line_keeps_its_own_text_only() -> None:
    post = parse_post_dump(decode_dump(raw("gate-fr-commentaire-sans-pseudo")))

    first, orphan, after = post.comments[0], post.comments[1], post.comments[2]
    assert orphan.handle is None and orphan.posted_raw == "Il y a 3h"
    assert orphan.body == (
        "Les opposants aux renouvelables ont sauté sur l'occasion avant même d'avoir les faits."
    )
    assert "Voir l'original" not in first.body + orphan.body
    assert after.handle == "TensionNominale" and after.body.startswith("Le contrôle de tension")


def test_a_line_that_only_looks_like_a_handle_stays_comment_text() -> None:
    post = parse_post_dump(decode_dump(raw("gate-fr-nucleaire-ligne-pseudo")))

    mention = next(c for c in post.comments if c.handle == "Wattson_Holmes")
    assert mention.body.split("\n")[1] == "NoeudCentral"
    assert [c.handle for c in post.comments].count("NoeudCentral") == 1

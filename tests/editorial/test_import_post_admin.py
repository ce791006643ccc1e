"""The article admin's "Import a post dump" page: the same preview as `import_post --dry-run`,
the same import as the command, for editors only."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from discussions.models import Comment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DUMPS = Path(__file__).resolve().parent / "data" / "dumps"
URL = reverse("admin:articles_article_import_post")
CHANGELIST = reverse("admin:articles_article_changelist")


def dump(name: str) -> bytes:
    return (DUMPS / f"{name}.txt").read_bytes()


def fields(**values: object) -> dict[str, object]:
    return {"language": "", "source_url": "", "layout": "", "timezone": "UTC", **values}


def test_changelist_offers_the_import_to_editors(editor, login) -> None:  # type: ignore[no-untyped-def]
    page = login(editor).get(CHANGELIST).content.decode()

    assert f'href="{URL}"' in page and "Import a post dump" in page


def test_page_and_button_are_for_editors_only(moderator, login, client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(URL).status_code == 302  # signed out: to the admin login

    staff = UserFactory(username="clerk", is_staff=True)
    assert login(staff).get(URL).status_code == 403
    assert login(moderator).get(URL).status_code == 403
    assert "Import a post dump" not in login(moderator).get(CHANGELIST).content.decode()


def test_preview_of_a_pasted_page_shows_what_would_be_stored_and_writes_nothing(
    editor, login
) -> None:  # type: ignore[no-untyped-def]
    text = dump("gate-en-chip-export-rules").decode()

    response = login(editor).post(
        URL,
        fields(text=text, captured_at="2025-12-09T02:00:00+00:00", _preview="Preview"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "gate-en (Gate social feed, post page, English interface)" in page
    assert "Quick recap of the AI chip export saga" in page
    assert "tape_reader_99" in page and "just now" in page and "2025-12-09T02:00:00+00:00" in page
    assert "nodeoperator.eth" in page and "6 comments" in page
    assert "15 lines left out as the platform" in page
    assert Article.objects.count() == 0 and Comment.objects.count() == 0


def test_import_writes_through_the_service_and_opens_the_new_article(editor, login) -> None:  # type: ignore[no-untyped-def]
    response = login(editor).post(
        URL,
        fields(
            upload=SimpleUploadedFile("smr.txt", dump("gate-en-truncated-smr-hype")),
            source_url="https://www.gate.com/post/42",
            _import="Import",
        ),
    )

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert article.status == Article.Status.DRAFT and article.created_by == editor
    assert article.source_url == "https://www.gate.com/post/42"
    assert Comment.objects.filter(article=article).count() == 2
    messages = [str(m) for m in response.wsgi_request._messages]  # type: ignore[attr-defined]
    assert any("2 comment(s)" in m for m in messages)
    assert any("stopped inside its last comment" in m for m in messages)


def test_a_previewed_upload_is_imported_without_choosing_the_file_again(editor, login) -> None:  # type: ignore[no-untyped-def]
    client = login(editor)
    preview = client.post(
        URL,
        fields(
            upload=SimpleUploadedFile("moat.txt", dump("gate-en-grid-is-the-moat")),
            _preview="Preview",
        ),
    ).content.decode()
    carried = re.search(r'name="carried" value="([^"]+)"', preview)
    assert carried is not None and "Import uses moat.txt" in preview

    client.post(URL, fields(carried=carried.group(1), carried_name="moat.txt", _import="Import"))

    article = Article.objects.get()
    assert article.body.startswith("Everyone is arguing") and article.comments.count() == 7


def test_refused_page_shows_the_lines_and_the_way_out_and_writes_nothing(editor, login) -> None:  # type: ignore[no-untyped-def]
    text = dump("gate-en-chip-export-rules").decode().replace("Repost\n", "Repost\nTip jar\n")

    page = login(editor).post(URL, fields(text=text, _import="Import")).content.decode()

    assert "no layout places every line" in page
    assert "line 11: &#x27;Tip jar&#x27;" in page
    assert "--as-plain-text" in page
    assert Article.objects.count() == 0


def test_choosing_plain_text_imports_the_whole_page_as_the_body(editor, login) -> None:  # type: ignore[no-untyped-def]
    text = "Erste Zeile.\n0/400\n· vor 17 Std.\n· vor 2 T.\n"

    login(editor).post(URL, fields(text=text, layout="plain-text", language="en", _import="1"))

    assert Article.objects.get().body == "Erste Zeile.\n\n0/400\n\n· vor 17 Std.\n\n· vor 2 T."


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "Choose a file or paste the page"),
        ({"text": "Body.", "captured_at": "yesterday"}, "Not an ISO 8601 date and time"),
        ({"text": "Body.", "captured_at": "2025-12-09T02:00:00"}, "Add the UTC offset"),
        ({"text": "Body.", "timezone": "Mars/Olympus"}, "Unknown time zone"),
        ({"text": "Body.", "layout": "gate-de"}, "Select a valid choice"),
        ({"text": "Text with a NUL \x00"}, "Null characters are not allowed"),
        ({"upload": b"\x00\x01binary"}, "looks binary"),
        ({"upload": "Latin-1: électricité".encode("latin-1")}, "not UTF-8"),
        ({"upload": b""}, "The submitted file is empty"),
        ({"upload": b"Voir l'original\nCommentaire\n0/400\n"}, "body before the platform"),
    ],
)
def test_bad_input_is_refused_on_the_form(editor, login, values, message) -> None:  # type: ignore[no-untyped-def]
    if "upload" in values:
        values = {**values, "upload": SimpleUploadedFile("dump.txt", values["upload"])}
    page = login(editor).post(URL, fields(**values, _import="Import")).content.decode()

    assert message in page
    assert Article.objects.count() == 0


def test_the_admin_and_the_command_store_the_same_article(editor, login, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "forum.txt"
    path.write_bytes(dump("forum-fr-eolien-en-mer"))
    options = {"captured_at": "2025-03-06T12:00:00+01:00", "timezone": "Europe/Paris"}

    call_command(
        "import_post",
        str(path),
        "--captured-at",
        options["captured_at"],
        "--timezone",
        options["timezone"],
        stdout=StringIO(),
    )
    by_command = Article.objects.get()
    command_comments = list(
        Comment.objects.filter(article=by_command)
        .order_by("id")
        .values_list("external_author", "external_posted_at", "external_like_count", "body")
    )
    by_command.delete()
    login(editor).post(
        URL,
        fields(
            upload=SimpleUploadedFile("forum.txt", path.read_bytes()), **options, _import="Import"
        ),
    )

    by_admin = Article.objects.get()
    assert (by_admin.title, by_admin.body, by_admin.language) == (
        by_command.title,
        by_command.body,
        by_command.language,
    )
    assert by_admin.import_fingerprint == by_command.import_fingerprint
    assert (
        list(
            Comment.objects.filter(article=by_admin)
            .order_by("id")
            .values_list("external_author", "external_posted_at", "external_like_count", "body")
        )
        == command_comments
    )

"""Comments copied from another platform go in through one bulk insert: the rows are the ones
comment_create would write, column by column, and they show as plain text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Model

from discussions.models import Comment
from discussions.rendering import render_plain_text
from discussions.services import ExternalComment, comment_create, comments_import_external
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# Columns that differ between two comments by nature: identity, time of writing, and the key.
OWN = {"id", "import_key", "created_at", "updated_at"}


def columns(comment: Model) -> dict[str, object]:
    return {
        field.attname: getattr(comment, field.attname)
        for field in comment._meta.concrete_fields
        if field.attname not in OWN
    }


def test_bulk_imported_comment_has_every_column_comment_create_writes() -> None:
    article = ArticleFactory()
    posted = dt.datetime(2025, 12, 8, 11, 46, tzinfo=dt.UTC)
    one = comment_create(
        article=article,
        body="Power is the real moat.",
        external_author="GridlockGoblin",
        external_posted_raw="17h ago",
        external_posted_at=posted,
        external_like_count=3,
        import_key="a" * 64,
        enforce_length=False,
    )

    stored = comments_import_external(
        article=article,
        comments=[
            ExternalComment(
                author="GridlockGoblin",
                body="Power is the real moat.",
                posted_raw="17h ago",
                posted_at=posted,
                like_count=3,
                import_key="b" * 64,
            )
        ],
    )

    bulk = Comment.objects.exclude(pk=one.pk).get()
    assert stored == 1
    assert columns(bulk) == columns(one)
    assert bulk.created_at is not None and bulk.import_key == "b" * 64


def test_comments_keep_their_order_and_unknown_likes_count_as_zero() -> None:
    article = ArticleFactory()
    comments_import_external(
        article=article,
        comments=[
            ExternalComment(author=f"reader_{n}", body=f"Comment {n}", like_count=None)
            for n in range(5)
        ],
    )

    stored = list(Comment.objects.filter(article=article).order_by("id"))
    assert [c.external_author for c in stored] == [f"reader_{n}" for n in range(5)]
    assert {(c.external_like_count, c.like_count) for c in stored} == {(None, 0)}
    assert all(c.is_imported and c.depth == 0 and c.root_id is None for c in stored)


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        (ExternalComment(author="  ", body="text"), "needs an author"),
        (ExternalComment(author="reader", body="  \n"), "cannot be empty"),
    ],
)
def test_one_bad_comment_stores_none_of_them(comment: ExternalComment, message: str) -> None:
    article = ArticleFactory()

    with pytest.raises(ValidationError, match=message):
        comments_import_external(
            article=article, comments=[ExternalComment(author="fine", body="ok"), comment]
        )
    assert Comment.objects.count() == 0


def test_imported_text_shows_as_written_with_its_line_breaks() -> None:
    html = render_plain_text("Trois remarques :\n1) les coûts\n2) <b>rien</b> & *rien*\n\nBref.")

    assert html == (
        "<p>Trois remarques :<br>\n1) les coûts<br>\n2) &lt;b&gt;rien&lt;/b&gt; &amp; *rien*</p>"
        "<p>Bref.</p>"
    )

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.models import Article, Language
from editorial.importers import DumpError
from editorial.services.articles import article_import_post


def _aware_datetime(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--captured-at {value!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise CommandError("--captured-at needs a UTC offset, e.g. 2025-12-09T02:00:00+08:00")
    return parsed


class Command(BaseCommand):
    help = (
        "Import a post page dump (the post, the platform's chrome, reader comments; the post may "
        "repeat at the end) or a plain text file as an article. Reader comments become external "
        "comments with their handle, time as written and like count. Importing the same file "
        "twice creates nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="UTF-8 text file to import")
        parser.add_argument("--language", choices=Language.values, help="default: guessed")
        parser.add_argument("--source-url", default="", help="URL of the original post")
        parser.add_argument("--source-name", default="", help="platform or publisher")
        parser.add_argument("--author", default="", help="the post's original author")
        parser.add_argument("--title", default="", help="default: the first sentence")
        parser.add_argument("--status", choices=Article.Status.values, default=Article.Status.DRAFT)
        parser.add_argument(
            "--captured-at",
            help=(
                "when the page was copied (ISO 8601 with offset); resolves relative comment "
                "times such as 'Il y a 14h' and the year of month-day times"
            ),
        )
        parser.add_argument(
            "--timezone",
            default="UTC",
            help="time zone the platform displayed comment times in (default UTC)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise CommandError(f"{path}: is a directory, not a file") from None
        except OSError as exc:
            raise CommandError(f"{path}: cannot read it ({exc.strerror})") from None
        captured_at = _aware_datetime(options["captured_at"]) if options["captured_at"] else None
        try:
            result = article_import_post(
                raw=raw,
                language=options["language"],
                source_url=options["source_url"],
                source_name=options["source_name"],
                original_author=options["author"],
                title=options["title"],
                status=options["status"],
                captured_at=captured_at,
                timezone=options["timezone"],
            )
        except DumpError as exc:
            raise CommandError(f"{path}: {exc}") from None
        except ValidationError as exc:
            raise CommandError(f"{path}: {'; '.join(exc.messages)}") from None

        article = result.article
        if not result.created:
            self.stdout.write(
                f"Already imported as '{article.slug}' (id {article.pk}); nothing changed."
            )
            return
        parsed = result.parsed
        assert parsed is not None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported '{article.title}' as '{article.slug}' (id {article.pk}, "
                f"{article.language}, {article.status}) with {result.comments_created} comments."
            )
        )
        if parsed.had_chrome:
            notes = ["platform chrome removed"]
            if parsed.repeated_body_dropped:
                notes.append("the repeated copy of the post dropped")
            if parsed.source_name:
                notes.append(f"source: {parsed.source_name}")
            self.stdout.write("  " + "; ".join(notes) + ".")
        unknown = [c.handle for c in parsed.comments if c.like_count is None]
        if unknown:
            self.stdout.write(f"  No like count in the dump for: {', '.join(unknown)}.")

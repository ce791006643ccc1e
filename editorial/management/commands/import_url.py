"""Import an article from a URL: `python manage.py import_url URL [--language fr|en]`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.models import ArticleImport, Language
from editorial.services.url_imports import ImportTemporarilyFailed, article_import_run


class Command(BaseCommand):
    help = (
        "Fetch a page (through the outbound guard), extract its title, author, date and main "
        "text into a draft article, and suggest claims. Importing the same page twice creates "
        "one article."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url")
        parser.add_argument("--language", choices=Language.values, default="")

    def handle(self, *args: Any, **options: Any) -> None:
        from core.outbound import OutboundRefused, check_scheme

        url = options["url"].strip()
        try:
            check_scheme(url)
        except OutboundRefused as exc:
            raise CommandError(str(exc)) from None
        request = ArticleImport.objects.create(url=url, language=options["language"])
        # Run here rather than queue: the command's user waits for the answer.
        try:
            done = article_import_run(import_id=request.pk)
        except ImportTemporarilyFailed:
            request.refresh_from_db()
            raise CommandError(f"{request.error} (temporary: try again later)") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if done is None or done.status != ArticleImport.Status.DONE or done.article is None:
            request.refresh_from_db()
            raise CommandError(request.error or "the import failed")
        article = done.article
        if article.created_at < request.created_at:
            # the page (same final URL or same content) was imported before: nothing new
            self.stdout.write(
                self.style.SUCCESS(
                    f"Already imported as article {article.slug!r}: nothing new was created."
                )
            )
            return
        claims = article.claims.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {article.title!r} as draft article {article.slug!r} "
                f"({len(article.body)} characters, {claims} claim(s) suggested)."
            )
        )

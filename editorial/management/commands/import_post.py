from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.models import Article, Language
from editorial.importers import DumpError, ImportPlan
from editorial.layouts import LayoutError, known_layouts
from editorial.services.articles import (
    PostImportPreview,
    article_import_post,
    article_import_post_preview,
)

BODY_LINES = 3


def _aware_datetime(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--captured-at {value!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise CommandError("--captured-at needs a UTC offset, e.g. 2025-12-09T02:00:00+08:00")
    return parsed


def _short(text: str, limit: int = 100) -> str:
    text = text.replace("\n", " / ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def preview_lines(plan: ImportPlan) -> list[str]:
    """The dry run as text: what would be stored, and what would be left out."""
    layout = f"{plan.layout} ({plan.layout_description})" if plan.layout else "plain text"
    paragraphs = [p for p in plan.body.split("\n") if p]
    lines = [
        f"Layout:        {layout}",
        f"Title:         {plan.title}",
        f"Language:      {plan.language}{' (guessed)' if plan.language_guessed else ''}",
    ]
    for label, value in (
        ("Source URL", plan.source_url),
        ("Source", plan.source_name),
        ("Author", plan.original_author),
        ("Published", plan.published_at.isoformat() if plan.published_at else ""),
        ("Front matter", ", ".join(plan.front_matter)),
    ):
        if value:
            lines.append(f"{label + ':':<15}{value}")
    lines.append(f"Body:          {len(paragraphs)} paragraphs, {len(plan.body)} characters")
    lines += [f"  | {_short(p)}" for p in paragraphs[:BODY_LINES]]
    if len(paragraphs) > BODY_LINES:
        lines.append(f"  | … {len(paragraphs) - BODY_LINES} more")
    order = (
        " (listed as on the page, newest first; stored oldest first)"
        if plan.newest_first and plan.comments
        else ""
    )
    lines.append(f"Comments:      {len(plan.comments)}{order}")
    for number, comment in enumerate(plan.comments, start=1):
        resolved = comment.posted_at.isoformat() if comment.posted_at else "unknown"
        likes = "likes unknown" if comment.like_count is None else f"{comment.like_count} likes"
        lines.append(
            f"  {number}. {comment.handle or comment.author + ' (handle missing)'} · "
            f"{comment.posted_raw} → {resolved} · {likes} (line {comment.line})"
        )
        lines.append(f"     {_short(comment.body, 90)}")
    lines.append(f"Chrome dropped: {len(plan.chrome_lines)} lines")
    lines += [f"  - {_short(line, 90)}" for line in plan.chrome_lines]
    if plan.repeated_post:
        lines.append("Repeated post: the copy of the post after the comments is dropped")
    if plan.truncated is not None:
        lines.append("Truncated: the copy stops inside its last comment, which is not imported:")
        lines += [f"  | {line}" for line in plan.truncated.split("\n")]
    if plan.unplaced:
        lines.append(f"Not placed by the layout, dropped: {len(plan.unplaced)} lines")
        lines += [f"  {line}" for line in plan.unplaced]
    return lines


def preview_as_dict(preview: PostImportPreview) -> dict[str, Any]:
    existing = preview.existing
    return {
        "dry_run": True,
        "already_imported": (
            {"id": existing.pk, "slug": existing.slug, "title": existing.title}
            if existing is not None
            else None
        ),
        "plan": preview.plan.as_dict() if preview.plan is not None else None,
    }


class Command(BaseCommand):
    help = (
        "Import a post page dump (the post, the platform's chrome, reader comments; the post may "
        "repeat at the end) or a plain text file as an article. Reader comments become external "
        "comments with their handle, time as written and like count. The page's layout is "
        "detected among the layout entries (editorial/layouts/); a page no layout places "
        "completely is refused. Importing the same file twice creates nothing new."
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
                "times such as 'Il y a 14h' or '17h ago' and the year of month-day times"
            ),
        )
        parser.add_argument(
            "--timezone",
            default=None,
            help=(
                "time zone the platform displayed comment times in (default: the offset of "
                "--captured-at, else UTC)"
            ),
        )
        parser.add_argument(
            "--layout",
            help="read the file with this layout instead of detecting it (e.g. gate-en)",
        )
        parser.add_argument(
            "--as-plain-text",
            action="store_true",
            help="import the whole file (after its front matter) as the article body",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be stored; write nothing"
        )
        parser.add_argument("--json", action="store_true", help="with --dry-run: print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["json"] and not options["dry_run"]:
            raise CommandError("--json goes with --dry-run")
        if options["layout"] and options["as_plain_text"]:
            raise CommandError("--layout and --as-plain-text exclude each other: choose one")
        if options["layout"]:
            try:
                known_layouts().get(options["layout"])
            except LayoutError as exc:
                raise CommandError(str(exc)) from None
        if options["timezone"]:
            try:
                zoneinfo.ZoneInfo(options["timezone"])
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise CommandError(
                    f"unknown time zone {options['timezone']!r} (an IANA name: Europe/Paris)"
                ) from None
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
        common: dict[str, Any] = {
            "raw": raw,
            "language": options["language"],
            "source_url": options["source_url"],
            "source_name": options["source_name"],
            "original_author": options["author"],
            "title": options["title"],
            "captured_at": captured_at,
            "timezone": options["timezone"],
            "layout": options["layout"],
            "as_plain_text": options["as_plain_text"],
        }
        try:
            if options["dry_run"]:
                self._dry_run(article_import_post_preview(**common), as_json=options["json"])
                return
            result = article_import_post(**common, status=options["status"])
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
        plan = result.plan
        assert plan is not None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported '{article.title}' as '{article.slug}' (id {article.pk}, "
                f"{article.language}, {article.status}) with {result.comments_created} comments."
            )
        )
        self._report(plan)

    def _dry_run(self, preview: PostImportPreview, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(preview_as_dict(preview), ensure_ascii=False, indent=2))
            return
        self.stdout.write("Dry run: nothing is written.")
        if preview.existing is not None:
            self.stdout.write(
                f"Already imported as '{preview.existing.slug}' (id {preview.existing.pk}); "
                "importing it would change nothing."
            )
            return
        assert preview.plan is not None
        for line in preview_lines(preview.plan):
            self.stdout.write(line)

    def _report(self, plan: ImportPlan) -> None:
        if plan.layout:
            notes = [f"layout {plan.layout}", f"{len(plan.chrome_lines)} chrome lines removed"]
            if plan.repeated_post:
                notes.append("the repeated copy of the post dropped")
            if plan.source_name:
                notes.append(f"source: {plan.source_name}")
            self.stdout.write("  " + "; ".join(notes) + ".")
        if plan.front_matter:
            self.stdout.write(f"  From the front matter: {', '.join(plan.front_matter)}.")
        unknown = [c.author for c in plan.comments if c.like_count is None]
        if unknown:
            self.stdout.write(f"  No like count in the dump for: {', '.join(unknown)}.")
        for comment in plan.comments:
            if comment.handle is None:
                self.stdout.write(
                    f"  The comment at line {comment.line} has no handle line; stored as "
                    f"'{comment.author}'."
                )
        if plan.truncated is not None:
            self.stdout.write(
                self.style.WARNING(
                    "  The copy stops inside its last comment; not imported: "
                    f"{_short(plan.truncated, 120)!r}"
                )
            )
        if plan.unplaced:
            self.stdout.write(
                self.style.WARNING(
                    f"  {len(plan.unplaced)} lines the layout could not place were dropped:"
                )
            )
            for line in plan.unplaced[:10]:
                self.stdout.write(f"    {line}")

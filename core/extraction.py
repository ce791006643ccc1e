"""Turn a fetched page into text and metadata (trafilatura), for article import and evidence."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from core.outbound import FetchResult

HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain", "text/markdown"}
_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLANK_LINES = re.compile(r"\n\s*\n+")


@dataclass(frozen=True)
class ExtractedPage:
    title: str
    author: str
    publisher: str
    published: dt.date | None
    text: str
    language: str


def _looks_like_html(result: FetchResult) -> bool:
    if result.content_type in HTML_TYPES:
        return True
    if result.content_type:
        return False
    return result.content.lstrip()[:100].lower().startswith((b"<!doctype html", b"<html"))


def _plain_text_from_html(markup: str) -> str:
    text = html.unescape(_TAG.sub("\n", _SCRIPT.sub("", markup)))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(line for line in lines if line)).strip()


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def extract_page(result: FetchResult) -> ExtractedPage | None:
    """Main text and metadata of an HTML or plain-text page; None for other content (PDF,
    images) or a page with no readable text."""
    host = urlsplit(result.final_url).hostname or ""
    if _looks_like_html(result):
        markup = result.text
        # trafilatura (with lxml and its date and language helpers) weighs ~27 MB: imported
        # on the first page that needs it, in a worker or command, never in the web process
        # that only reads.
        import trafilatura

        document = trafilatura.bare_extraction(
            markup,
            url=result.final_url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
        )
        text = ""
        title = author = publisher = language = ""
        published = None
        if document is not None and not isinstance(document, dict):
            text = (document.text or "").strip()
            title = (document.title or "").strip()
            author = (document.author or "").strip()
            publisher = (document.sitename or "").strip()
            language = (document.language or "").strip()
            published = _parse_date(document.date)
        if not text:
            # trafilatura found no main content (a very short page): keep the visible text.
            text = _plain_text_from_html(markup)
        if title and text.startswith(title + "\n"):
            text = text[len(title) + 1 :].lstrip()
        if not text:
            return None
        return ExtractedPage(title, author, publisher or host, published, text, language)
    if result.content_type in TEXT_TYPES or not result.content_type:
        text = result.text.strip()
        if not text:
            return None
        first_line = text.splitlines()[0].strip()
        return ExtractedPage(first_line[:300], "", host, None, text, "")
    return None

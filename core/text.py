"""Shared text vocabulary: sentences with exact offsets (fr, en), and text as search compares
it, the same on every database: casefolded and without accents.

SQLite gets fold() as a SQL function (ASSAY_FOLD) on each connection; PostgreSQL uses its own
unaccent-based text-search configuration (articles/migrations/0003).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pysbd
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Func, TextField
from django.dispatch import receiver


def fold(value: str | None) -> str | None:
    """Text as search compares it: casefolded (so "ß" meets "ss" and "É" meets "é") and
    without accents (NFKD, combining marks dropped)."""
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class Fold(Func):
    """fold() inside SQLite, registered on each connection (see register_fold)."""

    function = "ASSAY_FOLD"
    output_field = TextField()


@receiver(connection_created)
def register_fold(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("ASSAY_FOLD", 1, fold, deterministic=True)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@lru_cache(maxsize=4)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language if language in ("fr", "en") else "en", clean=False)


def split_sentences(body: str, language: str) -> list[Sentence]:
    """Sentences with exact offsets into `body` (body[start:end] == text), per paragraph."""
    sentences: list[Sentence] = []
    offset = 0
    for paragraph in body.split("\n"):
        cursor = 0
        if paragraph.strip():
            for piece in _segmenter(language).segment(paragraph):
                text = piece.strip()
                if not text:
                    continue
                found = paragraph.find(text, cursor)
                if found < 0:  # the splitter altered the text; never invent an offset
                    continue
                cursor = found + len(text)
                sentences.append(Sentence(offset + found, offset + cursor, text))
        offset += len(paragraph) + 1
    return sentences

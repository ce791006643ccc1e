"""Shared text vocabulary: sentences with exact offsets (fr, en), and text as search compares
it, the same on every database: casefolded, without accents, ligatures spelled out (œ, æ),
elided articles dropped (l’énergie) and words stemmed in French and English.

SQLite gets fold() and search_document() as SQL functions (ASSAY_FOLD, ASSAY_SEARCH_DOC) on
each connection; PostgreSQL does the same with its text-search configurations french, english
and its unaccent-based copy of french (articles/migrations/0003), on the same Snowball stemmers.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Func, TextField
from django.dispatch import receiver

if TYPE_CHECKING:
    import pysbd

# The stemmers and the sentence splitter (with their rule tables, ~4 MB) load when first used:
# a web process that only reads pages never needs them.


def fold(value: str | None) -> str | None:
    """Text as search compares it: casefolded (so "ß" meets "ss" and "É" meets "é") and
    without accents (NFKD, combining marks dropped)."""
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", _spell_ligatures(value.casefold()))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Ligatures Unicode does not decompose; PostgreSQL's unaccent spells them out the same way.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def _spell_ligatures(value: str) -> str:
    return value.translate(_LIGATURES)


# Words a search ignores: French elided articles and pronouns (l’, d’, qu’…), which
# PostgreSQL's french configuration drops as stop words.
_ELIDED = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu"})
_WORD = re.compile(r"\w+")
_stemmers = threading.local()  # Snowball stemmers keep state while stemming: one per thread


def _stem(language: str, word: str) -> str:
    stemmer = getattr(_stemmers, language, None)
    if stemmer is None:
        import snowballstemmer

        stemmer = snowballstemmer.stemmer(language)
        setattr(_stemmers, language, stemmer)
    return str(stemmer.stemWord(word))


@lru_cache(maxsize=65536)
def word_keys(word: str) -> tuple[str, ...]:
    """The keys one (casefolded) word is found under, as PostgreSQL's three configurations
    stem it: french on the accented word (f:), french on the unaccented word (u:), english
    (e:); each folded, so every comparison is accent-blind."""
    folded = fold(word) or ""
    return (
        f"f:{fold(_stem('french', word))}",
        f"u:{_stem('french', folded)}",
        f"e:{fold(_stem('english', folded))}",
    )


def search_words(text: str | None) -> list[str]:
    """The words of a text a search looks at: casefolded, ligatures spelled out, elided
    articles dropped ("l’énergie" is "énergie"; any apostrophe splits words)."""
    if not text:
        return []
    words = _WORD.findall(_spell_ligatures(text.casefold()))
    return [word for word in words if word not in _ELIDED]


def search_document(text: str | None) -> str:
    """Every key of every word of `text`, space-separated with a space at both ends, so that
    `" key "` in the document is a whole-key match (ASSAY_SEARCH_DOC in SQLite)."""
    keys = {key for word in search_words(text) for key in word_keys(word)}
    return f" {' '.join(sorted(keys))} " if keys else " "


def search_query(text: str) -> list[tuple[str, ...]]:
    """The query's words as keys: a document matches a word when it holds any of its keys,
    and the query when it matches every word."""
    seen: dict[str, tuple[str, ...]] = {}
    for word in search_words(text):
        seen.setdefault(word, word_keys(word))
    return list(seen.values())


class Fold(Func):
    """fold() inside SQLite, registered on each connection (see register_fold)."""

    function = "ASSAY_FOLD"
    output_field = TextField()


class SearchDocument(Func):
    """search_document() inside SQLite, registered on each connection (see register_fold)."""

    function = "ASSAY_SEARCH_DOC"
    output_field = TextField()


@receiver(connection_created)
def register_fold(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("ASSAY_FOLD", 1, fold, deterministic=True)
        connection.connection.create_function(
            "ASSAY_SEARCH_DOC", 1, search_document, deterministic=True
        )


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@lru_cache(maxsize=4)
def _segmenter(language: str) -> pysbd.Segmenter:
    import pysbd

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

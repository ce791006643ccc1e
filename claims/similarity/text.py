"""Text as the figure and place rules read it, and a guess at a text's language (French or
English) for texts that come without one: a reader's question, a statement."""

from __future__ import annotations

import re
import unicodedata

# narrow no-break, no-break, thin and figure spaces: French text puts them in "1 650 MW"
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
_PUNCT = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "‑": "-"})


def plain(text: str) -> str:
    """Lower case, accents dropped, one kind of space, apostrophe and dash."""
    text = text.translate(_SPACES).translate(_PUNCT)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


_FRENCH_WORDS = frozenset(
    ("le", "la", "les", "des", "du", "de", "un", "une", "et", "est", "sont", "en", "au", "aux",
     "dans", "pour", "par", "sur", "que", "qui", "ne", "pas", "plus", "ce", "cette", "ces", "d",
     "l", "qu", "n", "son", "sa", "ses", "leur", "leurs", "avec", "selon", "a", "ont", "ete")
)  # fmt: skip
_ENGLISH_WORDS = frozenset(
    ("the", "a", "an", "of", "and", "is", "are", "was", "were", "in", "on", "for", "by", "to",
     "that", "which", "not", "more", "this", "these", "its", "their", "with", "according",
     "has", "have", "been", "from", "as", "at", "it")
)  # fmt: skip


def guess_language(text: str) -> str:
    """ "fr" or "en", from the share of each language's most common words ("en" on a tie)."""
    words = re.findall(r"[a-z]+", plain(text))
    french = sum(word in _FRENCH_WORDS for word in words)
    english = sum(word in _ENGLISH_WORDS for word in words)
    return "fr" if french > english else "en"

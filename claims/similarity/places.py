"""The places a French or English sentence names, to tell apart two claims that say the same
thing of different places ("21 % of Ireland's electricity" / "… of Denmark's")."""

from __future__ import annotations

import re

from claims.similarity.text import plain

# Each place with its French and English names and adjectives, matched on plain text (lower
# case, no accents). Countries and cities that claims about energy and compute name most.
_PLACES = {
    "world": r"monde|mondial\w*|world\w*|global\w*|planete|planet",
    "europe": r"europ\w*|\bue\b|\beu\b",
    "france": r"france|francais\w*|french|hexagone",
    "china": r"chine|china|chinois\w*|chinese|pekin|beijing",
    "united states": r"etats[- ]unis|united states|americ\w*|washington|\bus\b|\busa\b",
    "united kingdom": r"\buk\b|royaume[- ]uni|britain|british|britannique\w*|london|londres",
    "ireland": r"irlande|ireland|irlandais\w*|irish|dublin",
    "denmark": r"danemark|denmark|danois\w*|danish",
    "germany": r"allemagne|germany|allemand\w*|\bgerman\b|germans",
    "spain": r"espagne|spain|spanish|espagnol\w*",
    "netherlands": r"pays[- ]bas|netherlands|dutch|neerlandais\w*",
    "norway": r"norvege|norway|norwegian|norvegien\w*",
    "poland": r"pologne|poland|polish|polonais\w*",
    "india": r"\binde\b|\bindia\w*|\bindien\w*",
    "japan": r"japon\w*|japan\w*|nippon\w*|fukushima",
    "taiwan": r"taiwan\w*",
    "paris": r"\bparis\b",
    "lyon": r"\blyon\b",
    "marseille": r"marseille",
    "virginia": r"virgini\w*",
    "texas": r"texas",
    "arizona": r"arizona",
}
_PATTERNS = {place: re.compile(pattern) for place, pattern in _PLACES.items()}


def places(text: str) -> frozenset[str]:
    folded = plain(text)
    return frozenset(place for place, pattern in _PATTERNS.items() if pattern.search(folded))


def places_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Each text names a place the other does not: they speak of different places."""
    return bool(a - b) and bool(b - a)

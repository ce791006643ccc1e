"""Suggest catalogue series for a claim: topic (tags and keywords, French and English) and
place (France, Chine/China, monde/world, l'Est, États-Unis/US, Europe).

A series is suggested when the claim shares its topic; a claim that names places gets the
series of those places (and the world's, for scale), a claim that names none gets the
world's. Suggestions are ClaimSeries(origin=suggested, status=suggested) that editors confirm
or reject in admin; a link an editor has touched (confirmed or rejected) is never changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from claims.models import Claim, ClaimSeries
from core.i18n import translations
from energy.models import Series

MAX_SUGGESTIONS = 6
# Tags so broad that sharing them says nothing about which series fits.
GENERIC_TAGS = {"energy", "electricity", "energie", "electricite"}

# Canonical place -> patterns on the normalised text (lower case, no accents); patterns on the
# original text where case matters ("US" the country, not "us"; "l'Est" the East, not "est").
PLACES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "World": (
        (r"monde", r"mondial\w*", r"world\w*", r"global\w*", r"planet\w*", r"planete"),
        (),
    ),
    "France": ((r"france", r"francais\w*", r"french", r"hexagone"), ()),
    "China": (
        (r"chine", r"china", r"chinois\w*", r"chinese", r"pekin", r"beijing"),
        (r"\bl['’]Est\b", r"\bthe East\b", r"\bde l['’]Est\b"),
    ),
    "United States": (
        (r"etats[- ]unis", r"united states", r"americ\w*", r"washington"),
        (r"\bUS\b", r"\bUSA\b", r"\bU\.S\.", r"\bÉ\.-U\."),
    ),
    "Europe": ((r"europ\w*", r"union europeenne"), (r"\bUE\b", r"\bEU\b")),
}


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", stripped.lower()))


def _keyword_pattern(keyword: str) -> tuple[re.Pattern[str], bool] | None:
    """Each word of a keyword matches the start of a word ("consomm" ~ "consomment").
    Keywords of three letters or fewer ("IA", "AI") match whole words, as typed, on the
    original text (so "AI" is not the French "ai"); the flag says which text to search."""
    words = normalise(keyword).split()
    if not words:
        return None
    if len(words) == 1 and len(words[0]) <= 3:
        return re.compile(rf"\b{re.escape(keyword.strip())}\b"), True
    return re.compile(r"\b" + r"\w*\s+".join(re.escape(w) for w in words) + r"\w*"), False


@dataclass
class _SeriesProfile:
    series: Series
    place: str
    tags: set[str]
    keywords: list[tuple[str, re.Pattern[str], bool]]


def _profile(series: Series) -> _SeriesProfile:
    keywords = []
    for keyword in series.keyword_list():
        compiled = _keyword_pattern(keyword)
        if compiled is not None:
            keywords.append((keyword, *compiled))
    place = _place_of(series.region or series.entity)
    return _SeriesProfile(
        series=series,
        place=place,
        tags={normalise(tag.name) for tag in series.tags.all()},
        keywords=keywords,
    )


def _place_of(name: str) -> str:
    normalised = normalise(name)
    for place, (patterns, exact) in PLACES.items():
        if any(re.fullmatch(p, normalised) for p in patterns) or any(
            re.search(p, name) for p in exact
        ):
            return place
    return name


def claim_places(text: str, tags: Iterable[str] = ()) -> set[str]:
    """The places a claim names, in French or English, from its text and tags."""
    normalised = normalise(" ".join([text, *tags]))
    found = set()
    for place, (patterns, exact) in PLACES.items():
        if any(re.search(rf"\b{p}\b", normalised) for p in patterns) or any(
            re.search(p, text) for p in exact
        ):
            found.add(place)
    return found


@dataclass
class Match:
    series: Series
    score: float
    reasons: str


def claim_match_series(claim: Claim, profiles: list[_SeriesProfile]) -> list[Match]:
    """Score every series against the claim; the best few that share its topic."""
    claim_tags = [tag.name for tag in claim.tags.all()]
    # the editor's wording in every language it is written in: series keywords are fr and en
    text = "\n".join([claim.quote, *translations(claim, "statement").values()])
    normalised = normalise(text)
    tag_set = {normalise(tag) for tag in claim_tags}
    places = claim_places(text, claim_tags)
    matches = []
    for profile in profiles:
        shared = sorted((profile.tags & tag_set) - GENERIC_TAGS)
        hits = sorted(
            {
                keyword
                for keyword, pattern, on_original in profile.keywords
                if pattern.search(text if on_original else normalised)
            }
        )
        topic = 2.0 * len(shared) + min(len(hits), 3)
        if topic == 0:
            continue
        reasons = [f"tag {t}" for t in shared] + [f"keyword “{k}”" for k in hits[:3]]
        if places:
            if profile.place in places:
                place_score = 2.0
                reasons.append(f"place {profile.place}")
            elif profile.place == "World":
                place_score = 0.5
                reasons.append("world figure for scale")
            else:
                continue
        elif profile.place == "World":
            place_score = 1.0
            reasons.append("no place named: world figure")
        else:
            continue
        score = round(min(1.0, (topic + place_score) / 8.0), 3)
        matches.append(Match(profile.series, score, "; ".join(reasons)[:500]))
    matches.sort(key=lambda m: (-m.score, m.series.pk))
    return matches[:MAX_SUGGESTIONS]


def _profiles() -> list[_SeriesProfile]:
    series = Series.objects.prefetch_related("tags").order_by("pk")  # type: ignore[misc]
    return [_profile(s) for s in series]


def claim_attach_related_series(
    *, claim: Claim, profiles: list[_SeriesProfile] | None = None
) -> int:
    """Create suggested links for a claim; returns how many were created.

    Idempotent: existing suggestions are re-scored, suggestions that no longer match are
    removed, and links an editor confirmed, rejected or added are left alone (a rejected
    series is never suggested again).
    """
    if claim.status == Claim.Status.REJECTED:
        return 0
    matches = claim_match_series(claim, profiles if profiles is not None else _profiles())
    created = 0
    with transaction.atomic():
        existing = {
            link.series_id: link
            for link in ClaimSeries.objects.select_for_update().filter(claim=claim)
        }
        wanted = set()
        new_links = []
        for match in matches:
            wanted.add(match.series.pk)
            link = existing.get(match.series.pk)
            if link is None:
                new_links.append(
                    ClaimSeries(
                        claim=claim,
                        series=match.series,
                        origin=ClaimSeries.Origin.SUGGESTED,
                        status=ClaimSeries.Status.SUGGESTED,
                        match_score=match.score,
                        match_reasons=match.reasons,
                    )
                )
            elif _untouched(link) and (
                link.match_score != match.score or link.match_reasons != match.reasons
            ):
                ClaimSeries.objects.filter(pk=link.pk).update(
                    match_score=match.score, match_reasons=match.reasons
                )
        if new_links:
            # A concurrent run may have added the same link: the unique constraint keeps one.
            ClaimSeries.objects.bulk_create(new_links, ignore_conflicts=True)
            created = len(new_links)
        stale = [
            link.pk
            for series_id, link in existing.items()
            if series_id not in wanted and _untouched(link)
        ]
        if stale:
            ClaimSeries.objects.filter(pk__in=stale).delete()
    return created


def _untouched(link: ClaimSeries) -> bool:
    return (
        link.origin == ClaimSeries.Origin.SUGGESTED
        and link.status == ClaimSeries.Status.SUGGESTED
        and link.confirmed_by_id is None
        and not link.assertion_operator
    )


def claims_attach_related_series(*, claim_ids: Iterable[int] | None = None) -> int:
    """Suggest series for many claims (all not rejected by default), profiling series once."""
    profiles = _profiles()
    claims = Claim.objects.exclude(status=Claim.Status.REJECTED)
    claims = claims.prefetch_related("tags")  # type: ignore[misc]
    if claim_ids is not None:
        claims = claims.filter(pk__in=list(claim_ids))
    return sum(
        claim_attach_related_series(claim=claim, profiles=profiles)
        for claim in claims.order_by("pk")
    )

"""Reads of claims and evidence shared by the pages and the API."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Case, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from articles.models import Article
from claims.models import (
    AssertionResultChange,
    Claim,
    ClaimEmbedding,
    ClaimSeries,
    Evidence,
    verdict_choices,
)
from claims.similarity.embedder import from_bytes, get_embedder
from claims.similarity.matching import Match, Side, Thresholds, compare
from core.i18n import columns, tags_of, translations
from core.roles import user_sees_drafts

if TYPE_CHECKING:
    from core.roles import AnyUser

SHOWN_SERIES_STATUSES = (ClaimSeries.Status.CONFIRMED, ClaimSeries.Status.SUGGESTED)
STANCE_ORDER = (Evidence.Stance.SUPPORTS, Evidence.Stance.REFUTES, Evidence.Stance.CONTEXT)
VERDICT_FIELDS = ("verdict", "verdict_summary", "verdict_as_of", "status")
CHANGELOG_LIMIT = 50


def confirmed_first() -> Case:
    """Series links an editor confirmed before those only suggested (ordering by the status
    name, descending, put "suggested" first)."""
    return Case(When(status=ClaimSeries.Status.CONFIRMED, then=Value(0)), default=Value(1))


def evidence_count() -> Coalesce:
    counts = (
        Evidence.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def verdict_is_public(*, claim: Claim, user: AnyUser | None) -> bool:
    """A verdict reaches readers only once the claim is published."""
    return claim.status == Claim.Status.PUBLISHED or user_sees_drafts(user)


def withhold_verdicts(claims: list[Claim], user: AnyUser) -> None:
    """Blank the verdict of unpublished claims on these in-memory instances (never saved),
    so no page can show what the reader may not see yet. One query at most (the reader's
    groups), and none when every claim is published."""
    unpublished = [c for c in claims if c.status != Claim.Status.PUBLISHED]
    if not unpublished or user_sees_drafts(user):
        return
    for claim in unpublished:
        claim.verdict = ""
        claim.verdict_summary = ""
        claim.verdict_as_of = None
        claim.verdict_withheld = True  # type: ignore[attr-defined]


def claim_for_page(*, pk: int, user: AnyUser) -> Claim | None:
    """One claim with its article, tags (`tag_list`, with their labels), stored vectors and
    the series shown with it (confirmed links first, then suggested ones; their data comes
    from series_points): a fixed number of queries. Its evidence comes with its family's
    (evidence_for_claims). Readers get no verdict on a claim that is not published yet."""
    series_links = Prefetch(
        "series_links",
        queryset=ClaimSeries.objects.filter(status__in=SHOWN_SERIES_STATUSES)
        .select_related("series")
        .order_by(confirmed_first(), "-match_score", "id"),
    )
    claim = (
        Claim.objects.visible_to(user)
        .filter(pk=pk)
        # the embedding: its vectors find the related claims without a query of their own
        .select_related("article", "reviewer", "embedding")
        .prefetch_related(
            series_links,
        )
        .first()
    )
    if claim is not None:
        claim.tag_list = tags_of(claim)  # type: ignore[attr-defined]
        withhold_verdicts([claim], user)
    return claim


def data_check_changes(*, links: list[ClaimSeries]) -> dict[int, list[AssertionResultChange]]:
    """The result history of each link's data check, oldest first: one query, none when no
    link carries a check."""
    checked = [link.pk for link in links if link.assertion_operator]
    history: dict[int, list[AssertionResultChange]] = {pk: [] for pk in checked}
    if checked:
        for change in AssertionResultChange.objects.filter(link_id__in=checked):
            history[change.link_id].append(change)
    return history


@dataclass
class EvidenceGroup:
    stance: str
    label: str
    items: list[Evidence] = field(default_factory=list)


def evidence_for_claims(
    *, claim_ids: Collection[int], related: Collection[str] = ()
) -> dict[int, list[Evidence]]:
    """The evidence of several claims (a claim and its family), by claim: one query.
    `related` joins what an app above needs in that same query (its provenance)."""
    found: dict[int, list[Evidence]] = {claim_id: [] for claim_id in claim_ids}
    for item in (
        Evidence.objects.filter(claim_id__in=list(claim_ids))
        .select_related(*related)
        .order_by("stance", "-created_at", "id")
    ):
        found[item.claim_id].append(item)
    return found


def evidence_by_stance(*, evidence: list[Evidence]) -> list[EvidenceGroup]:
    """Evidence grouped by stance, supports first; empty groups left out."""
    groups = {stance: EvidenceGroup(stance.value, str(stance.label)) for stance in STANCE_ORDER}
    for item in evidence:
        groups[Evidence.Stance(item.stance)].items.append(item)
    return [group for group in groups.values() if group.items]


@dataclass
class VerdictChange:
    changed_at: Any
    verdict: str
    verdict_label: str
    verdict_summary: str
    verdict_as_of: Any
    reason: str


def verdict_changelog(*, claim: Claim) -> list[VerdictChange]:
    """The public changelog: each recorded change of the verdict, newest first (one query).

    History records every save; only those that changed what a reader sees of the verdict
    are kept."""
    newest_first = claim.history.order_by("-history_date", "-history_id").values(
        "history_date", "history_change_reason", *VERDICT_FIELDS
    )[: CHANGELOG_LIMIT * 4]
    records = list(reversed(list(newest_first)))
    labels = dict(verdict_choices())
    changes: list[VerdictChange] = []
    previous: dict[str, Any] | None = None
    for record in records:
        seen = tuple(record[name] for name in VERDICT_FIELDS[:3])
        before = tuple(previous[name] for name in VERDICT_FIELDS[:3]) if previous else None
        previous = record
        if seen == before or not record["verdict"]:
            continue
        changes.append(
            VerdictChange(
                changed_at=record["history_date"],
                verdict=record["verdict"],
                verdict_label=labels.get(record["verdict"], record["verdict"]),
                verdict_summary=record["verdict_summary"],
                verdict_as_of=record["verdict_as_of"],
                reason=record["history_change_reason"] or "",
            )
        )
    changes.reverse()
    return changes[:CHANGELOG_LIMIT]


def family_members_visible_to(user: AnyUser) -> QuerySet[Claim]:
    """Members of families a reader may see: public claims, never rejected ones (editors:
    every claim not rejected)."""
    return Claim.objects.visible_to(user).exclude(status=Claim.Status.REJECTED).order_by("id")


def family_of(claim: Claim) -> list[Claim]:
    """The other members of a claim's family, from claim_list_with_links' prefetch."""
    if claim.family_id is None or claim.family is None:
        return []
    members: list[Claim] = getattr(claim.family, "visible_members", [])
    return [member for member in members if member.pk != claim.pk]


def claim_list_with_links(*, user: AnyUser) -> QuerySet[Claim]:
    """Claims with their tags, evidence and shown series links for the API and exports:
    four queries for a page of any size."""
    return (
        Claim.objects.visible_to(user)
        .select_related("article", "family")
        .prefetch_related(
            Prefetch("tags", to_attr="tag_list"),  # a plain list: see TagListField
            # the family's members the client may see (one query for the page; the family
            # itself comes with the claim)
            Prefetch(
                "family__members",
                queryset=family_members_visible_to(user).only("id", "family_id"),
                to_attr="visible_members",
            ),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("added_by").order_by("stance", "id"),
            ),
            Prefetch(
                "series_links",
                queryset=ClaimSeries.objects.filter(status__in=SHOWN_SERIES_STATUSES)
                .select_related("series")
                .order_by(confirmed_first(), "-match_score", "id"),
            ),
        )
    )


def evidence_list(*, user: AnyUser) -> QuerySet[Evidence]:
    """Evidence on the claims a reader may see."""
    return Evidence.objects.filter(
        claim__in=Claim.objects.visible_to(user).values("pk")
    ).select_related("added_by")


def evidence_for_archive(*, pk: int, user: AnyUser) -> Evidence | None:
    """An evidence link with its archived copy, on a claim this user may see."""
    return (
        evidence_list(user=user)
        .select_related("claim__article")
        .filter(pk=pk, archived_at__isnull=False)
        .first()
    )


def claim_for_review(*, pk: int) -> Claim | None:
    """A published claim on a published article, for its ClaimReview, with the public members
    of its family (every appearance of the claim): two queries."""
    return (
        Claim.objects.public()
        .filter(pk=pk, status=Claim.Status.PUBLISHED)
        .select_related("article", "family")
        .prefetch_related(
            Prefetch(
                "family__members",
                queryset=Claim.objects.public()
                .exclude(status=Claim.Status.REJECTED)
                .select_related("article")
                .order_by("id"),
                to_attr="visible_members",
            )
        )
        .first()
    )


# --- Similar claims and families ---------------------------------------------------------------

# The index ranks claims by one int8 vector each (the direction between quote and statement):
# fast, but not the score itself. The best CANDIDATES of it are scored exactly from their stored
# vectors (one query of vectors only), and the best of those (RULE_HEADROOM per result asked
# for) read in full and put through the figure and place rules.
CANDIDATES = 200
RULE_HEADROOM = 3


@dataclass(frozen=True)
class SimilarClaim:
    claim: Claim
    score: float
    match: Match
    figures_differ: bool = False
    places_differ: bool = False


def similarity_thresholds() -> Thresholds:
    return Thresholds(
        same=settings.SIMILARITY_SAME_THRESHOLD, related=settings.SIMILARITY_RELATED_THRESHOLD
    )


def claim_side(claim: Claim) -> Side | None:
    """A claim's side of a comparison, from its stored vectors (None: not embedded yet, or
    embedded by another model). No query when the claim was read with its embedding."""
    try:
        embedding = claim.embedding
    except ClaimEmbedding.DoesNotExist:
        return None
    if embedding.model_version != get_embedder().version:
        return None
    return _side(claim, embedding)


def _side(claim: Claim, embedding: ClaimEmbedding) -> Side | None:
    quote = from_bytes(embedding.quote_vector)
    if quote is None:
        return None
    statement = from_bytes(embedding.statement_vector)
    language = claim.article.language
    texts: list[tuple[str, str | None]] = [(claim.quote, language)]
    vectors = [quote]
    if statement is not None and (text := claim.matching_statement()):
        texts.append((text, None))
        vectors.append(statement)
    return Side.of(texts, vectors)


def text_side(text: str, language: str | None = None) -> Side:
    """A reader's sentence as one side of a comparison (embeds it: loads the encoder)."""
    vector = get_embedder().encode([text])[0]
    return Side.of([(text, language)], [vector])


def _visible(ids: list[int], editors: bool) -> Q:
    """Those of `ids` the reader may find: published claims on published articles (editors:
    every claim not rejected). Written as a plain condition, not a subquery: SQLite plans an
    IN (subquery) over a join badly."""
    if editors:
        return Q(pk__in=ids) & ~Q(status=Claim.Status.REJECTED)
    return Q(pk__in=ids, status=Claim.Status.PUBLISHED, article__status=Article.Status.PUBLISHED)


def _exact_scores(side: Side, ids: list[int], skip_family: int | None) -> list[tuple[int, float]]:
    """The candidates with their exact score (the best cosine between the two sides' vectors),
    best first: one query, of vectors only (who may see them is checked when they are read in
    full; the index already left out what the reader may not find). Members of `skip_family`
    are left out: the claim page lists them apart."""
    rows = (
        ClaimEmbedding.objects.filter(claim_id__in=ids, model_version=get_embedder().version)
        .values_list("claim_id", "claim__family_id", "quote_vector", "statement_vector")
        .order_by()
    )
    import numpy as np  # the similarity reads load numpy; the other reads here never do

    query = np.stack(side.vectors)
    scored = []
    for claim_id, family_id, quote, statement in rows:
        if skip_family is not None and family_id == skip_family:
            continue
        vectors = [v for v in (from_bytes(quote), from_bytes(statement)) if v is not None]
        if vectors:
            scored.append((claim_id, float((np.stack(vectors) @ query.T).max())))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored


def _ranked(side: Side, claims: Collection[Claim], thresholds: Thresholds) -> list[SimilarClaim]:
    model_version = get_embedder().version
    found: list[SimilarClaim] = []
    for candidate in claims:
        embedding = getattr(candidate, "embedding", None)
        if embedding is None or embedding.model_version != model_version:
            continue
        other = _side(candidate, embedding)
        if other is None:
            continue
        result = compare(side, other, thresholds)
        if result.match is None:
            continue
        found.append(
            SimilarClaim(
                candidate, result.score, result.match, result.figures_differ, result.places_differ
            )
        )
    found.sort(key=lambda s: (*rank_key_of(s), s.claim.pk))
    return found


def _search(
    side: Side,
    *,
    user: AnyUser | None,
    limit: int,
    exclude: Collection[int] = (),
    drafts: bool | None = None,
    family: int | None = None,
) -> tuple[list[SimilarClaim], list[Claim]]:
    """The similar claims, best first, and (read in the same query) the members of `family`
    the user may see, which are not among the similar ones: two queries, one of vectors and
    one of claims, whatever the family's size."""
    from claims.similarity.index import EDITORS, PUBLIC, combine
    from claims.similarity.live import current_index

    editors = user_sees_drafts(user) if drafts is None else drafts
    thresholds = similarity_thresholds()
    query = combine(side.vectors[0], side.vectors[1] if len(side.vectors) > 1 else None)
    ids, _approximate = current_index().search(
        query,
        candidates=max(CANDIDATES, limit * RULE_HEADROOM),
        min_visibility=EDITORS if editors else PUBLIC,
        exclude=exclude,
    )
    scored = _exact_scores(side, [int(i) for i in ids], family) if len(ids) else []
    best = [claim_id for claim_id, score in scored if score >= thresholds.related]
    best = best[: limit * RULE_HEADROOM]
    wanted = _visible(best, editors)
    if family is not None:
        members = Q(family_id=family)
        if not user_sees_drafts(user):  # as Claim.objects.public(), as a plain condition
            members &= Q(
                article__status=Article.Status.PUBLISHED,
                status__in=[
                    Claim.Status.ACCEPTED,
                    Claim.Status.IN_REVIEW,
                    Claim.Status.PUBLISHED,
                ],
            )
        wanted |= members
    elif not best:
        return [], []
    claims = list(
        Claim.objects.filter(wanted).select_related("article", "embedding").order_by("id")
    )
    chosen = set(best)
    similar = _ranked(side, [c for c in claims if c.pk in chosen], thresholds)[:limit]
    return similar, [c for c in claims if c.pk not in chosen]


def rank_key_of(similar: SimilarClaim) -> tuple[int, float]:
    return (0 if similar.match == Match.SAME else 1, -similar.score)


def similar_to_claim(
    *,
    claim: Claim,
    user: AnyUser | None,
    limit: int = 10,
    exclude: Collection[int] = (),
    drafts: bool | None = None,
) -> list[SimilarClaim]:
    """Claims like this one, best first (same-claim matches, then related), with their score
    and match. Readers get published claims only; editors (or `drafts=True`: the matcher, the
    editors' command) every claim not rejected; `drafts=False` published ones whoever asks.
    A claim not embedded yet has none. One query for the candidates (and one for the claim's
    vectors when they were not read with it)."""
    side = claim_side(claim)
    if side is None:
        return []
    found, _others = _search(
        side, user=user, limit=limit, exclude={claim.pk, *exclude}, drafts=drafts
    )
    return found


def similar_to_text(
    *,
    text: str,
    user: AnyUser | None,
    limit: int = 10,
    language: str | None = None,
    drafts: bool | None = None,
) -> list[SimilarClaim]:
    """Claims that say what `text` says (any supported language), best first (see
    similar_to_claim for who sees what)."""
    if not text.strip():
        return []
    found, _others = _search(text_side(text, language), user=user, limit=limit, drafts=drafts)
    return found


def _family_members(claim: Claim, claims: Collection[Claim], user: AnyUser) -> list[Claim]:
    members = [
        c
        for c in claims
        if c.family_id == claim.family_id and c.pk != claim.pk and c.status != Claim.Status.REJECTED
    ]
    members.sort(
        key=lambda c: (
            c.article.published_at is None,
            c.article.published_at or c.article.created_at,
            c.article.created_at,
            c.pk,
        )
    )
    withhold_verdicts(members, user)
    return members


def claim_family(*, claim: Claim, user: AnyUser) -> list[Claim]:
    """The other members of the claim's family a reader may see, with their article: one
    query (none without a family). Oldest first: the first appearance leads."""
    if claim.family_id is None:
        return []
    members = Claim.objects.visible_to(user).filter(family_id=claim.family_id)
    return _family_members(claim, list(members.select_related("article")), user)


def claim_family_and_related(
    *, claim: Claim, user: AnyUser, limit: int
) -> tuple[list[Claim], list[SimilarClaim]]:
    """The claim page's "same claim elsewhere" (the family members the user may see) and
    "related claims" (published claims outside the family, for everyone): two queries
    whatever the family's size; one for a claim not embedded yet."""
    side = claim_side(claim)
    if side is None:
        return claim_family(claim=claim, user=user), []
    related, members = _search(
        side, user=user, limit=limit, exclude={claim.pk}, drafts=False, family=claim.family_id
    )
    family = _family_members(claim, members, user) if claim.family_id is not None else []
    return family, related


def evidence_needing_attention() -> Q:
    """Evidence an editor should look at before readers see it: untitled (no title in any
    language: readers would see a bare address) or whose last link check found it broken."""
    untitled = Q()
    for column in columns("title"):
        untitled &= Q(**{column: ""}) | Q(**{f"{column}__isnull": True})
    return untitled | Q(ok=False)


def evidence_attention_reasons(evidence: Evidence) -> list[str]:
    """Why this evidence needs attention (empty when it does not), in the editor's words."""
    reasons = []
    if not any(text.strip() for text in translations(evidence, "title").values()):
        reasons.append(gettext("it has no title"))
    if evidence.ok is False:
        detail = evidence.http_status or evidence.check_error
        reasons.append(
            gettext("its last link check found it broken (%(detail)s)") % {"detail": detail}
            if detail
            else gettext("its last link check found it broken")
        )
    return reasons

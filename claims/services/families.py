"""Claim families: same-claim links suggested by the matcher, confirmed or rejected by editors,
and a published verdict carried to the other members of a family when an editor asks.

A confirmed link joins two claims' families (Claim.family); rejecting a confirmed link splits
a family again along the links that remain. Evidence stays on each claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim, ClaimFamily, ClaimLink
from claims.selectors import similar_to_claim
from claims.services.claims import claim_set_verdict
from claims.similarity.matching import Match
from core.roles import require_editor
from integrations.events import event_emit

if TYPE_CHECKING:
    from core.roles import AnyUser

# suggestions kept per claim: the best same-claim candidates
SUGGESTIONS_PER_CLAIM = 10


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def claim_links_suggest(*, claim: Claim) -> int:
    """Suggest the claims this one may be the same as (the matcher's `same`), for editors to
    confirm or reject. A pair an editor already decided is left alone; suggestions that no
    longer hold (the text changed) are withdrawn. Returns how many suggestions are new."""
    found = similar_to_claim(claim=claim, user=None, limit=SUGGESTIONS_PER_CLAIM, drafts=True)
    same = {s.claim.pk: s.score for s in found if s.match == Match.SAME}
    mine = Q(claim=claim) | Q(other=claim)
    created = 0
    with transaction.atomic():
        existing = {
            (link.claim_id, link.other_id): link
            for link in ClaimLink.objects.filter(mine).select_for_update()
        }
        for link in existing.values():
            other = link.other_id if link.claim_id == claim.pk else link.claim_id
            if link.status == ClaimLink.Status.SUGGESTED and other not in same:
                link.delete()
        for other_id, score in same.items():
            pair = _ordered(claim.pk, other_id)
            known = existing.get(pair)
            if known is None:
                ClaimLink.objects.get_or_create(
                    claim_id=pair[0], other_id=pair[1], defaults={"score": score}
                )
                created += 1
            elif known.status == ClaimLink.Status.SUGGESTED and known.score != score:
                known.score = score
                known.save(update_fields=["score", "updated_at"])
    return created


def _family_join(a: Claim, b: Claim) -> int:
    """Put two claims (and their families) in one family; returns its id."""
    rows = {
        c.pk: c
        for c in Claim.objects.select_for_update().filter(pk__in=[a.pk, b.pk]).order_by("pk")
    }
    fa, fb = rows[a.pk].family_id, rows[b.pk].family_id
    if fa is not None and fa == fb:
        return fa
    if fa is None and fb is None:
        family = ClaimFamily.objects.create()
        Claim.objects.filter(pk__in=[a.pk, b.pk]).update(family=family)
        return family.pk
    if fa is None or fb is None:
        keep = fa or fb
        assert keep is not None
        Claim.objects.filter(pk__in=[a.pk, b.pk]).update(family_id=keep)
        return keep
    # two families: the smaller joins the larger; lock both, in id order, against a
    # concurrent merge of either
    list(ClaimFamily.objects.select_for_update().filter(pk__in=[fa, fb]).order_by("pk"))
    sizes = {fa: Claim.objects.filter(family_id=fa).count(), fb: 0}
    sizes[fb] = Claim.objects.filter(family_id=fb).count()
    keep, gone = (fa, fb) if sizes[fa] >= sizes[fb] else (fb, fa)
    Claim.objects.filter(family_id=gone).update(family_id=keep)
    ClaimFamily.objects.filter(pk=gone).delete()
    return keep


def _families_rebuild(claim_ids: Iterable[int]) -> None:
    """Recompute the families of these claims from the confirmed links (after a confirmed
    link was undone): each connected group keeps or gets a family; a lone claim has none."""
    seen: set[int] = set()
    for start in claim_ids:
        if start in seen:
            continue
        group, frontier = {start}, [start]
        while frontier:
            links = ClaimLink.objects.filter(
                Q(claim_id__in=frontier) | Q(other_id__in=frontier),
                status=ClaimLink.Status.CONFIRMED,
            ).values_list("claim_id", "other_id")
            frontier = []
            for x, y in links:
                for node in (x, y):
                    if node not in group:
                        group.add(node)
                        frontier.append(node)
        seen |= group
        if len(group) == 1:
            Claim.objects.filter(pk=start).update(family=None)
            continue
        current = set(
            Claim.objects.filter(pk__in=group)
            .exclude(family=None)
            .values_list("family_id", flat=True)
        )
        # keep a family the group already uses unless another group keeps it too
        shared = Claim.objects.filter(family_id__in=current).exclude(pk__in=group)
        free = sorted(current - set(shared.values_list("family_id", flat=True)))
        family_id = free[0] if free else ClaimFamily.objects.create().pk
        Claim.objects.filter(pk__in=group).update(family_id=family_id)
    ClaimFamily.objects.filter(members=None).delete()


def matched_payload(link: ClaimLink) -> dict[str, object]:
    site = settings.SITE_URL
    family_id = Claim.objects.filter(pk=link.claim_id).values_list("family_id", flat=True).get()
    members = list(
        Claim.objects.public()
        .filter(family_id=family_id, status=Claim.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return {
        "claim": link.claim_id,
        "other": link.other_id,
        "score": link.score,
        "family": members,
        "api_urls": [
            site + reverse("api:claim-detail", args=[pk]) for pk in (link.claim_id, link.other_id)
        ],
    }


def claim_link_confirm(*, claim: Claim, other: Claim, by: AnyUser | None) -> ClaimLink:
    """An editor says two claims are the same claim: their families become one, and webhook
    subscribers hear `claim.matched` when both are public. Confirming a confirmed link (two
    editors at once, a second click) changes nothing and says nothing again."""
    require_editor(by)
    if claim.pk == other.pk:
        raise ValidationError(_("A claim is not linked to itself."), code="self")
    if Claim.Status.REJECTED in (claim.status, other.status):
        raise ValidationError(_("A rejected claim cannot join a family."), code="rejected")
    low, high = _ordered(claim.pk, other.pk)
    reviewer = by if by is not None and by.is_authenticated else None
    with transaction.atomic():
        link, created = ClaimLink.objects.get_or_create(
            claim_id=low,
            other_id=high,
            defaults={
                "status": ClaimLink.Status.CONFIRMED,
                "reviewed_by": reviewer,
                "reviewed_at": timezone.now(),
            },
        )
        # the one write that moves it to confirmed wins; a concurrent one updates no row
        changed = created or bool(
            ClaimLink.objects.filter(pk=link.pk)
            .exclude(status=ClaimLink.Status.CONFIRMED)
            .update(
                status=ClaimLink.Status.CONFIRMED,
                reviewed_by=reviewer,
                reviewed_at=timezone.now(),
                updated_at=timezone.now(),
            )
        )
        if not changed:
            link.refresh_from_db()
            return link
        _family_join(claim, other)
        link.refresh_from_db()
        public = Claim.objects.public().filter(pk__in=[low, high], status=Claim.Status.PUBLISHED)
        if public.count() == 2:
            event_emit("claim.matched", matched_payload(link))
    claim.refresh_from_db(fields=["family"])
    other.refresh_from_db(fields=["family"])
    return link


def claim_link_reject(*, claim: Claim, other: Claim, by: AnyUser | None) -> ClaimLink:
    """An editor says two claims are not the same claim: the pair is never suggested again,
    and if it was confirmed, the family splits along the links that remain."""
    require_editor(by)
    if claim.pk == other.pk:
        raise ValidationError(_("A claim is not linked to itself."), code="self")
    low, high = _ordered(claim.pk, other.pk)
    reviewer = by if by is not None and by.is_authenticated else None
    with transaction.atomic():
        link, _created = ClaimLink.objects.select_for_update().get_or_create(
            claim_id=low, other_id=high, defaults={"status": ClaimLink.Status.REJECTED}
        )
        was_confirmed = link.status == ClaimLink.Status.CONFIRMED
        link.status = ClaimLink.Status.REJECTED
        link.reviewed_by = reviewer
        link.reviewed_at = timezone.now()
        link.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
        if was_confirmed:
            _families_rebuild([low, high])
    claim.refresh_from_db(fields=["family"])
    other.refresh_from_db(fields=["family"])
    return link


def family_verdict_apply(
    *, source: Claim, targets: Sequence[Claim], by: AnyUser | None, reason: str
) -> list[Claim]:
    """Give other members of a family the published verdict of `source` (its verdict, summary
    and date), each through claim_set_verdict: the reason lands in each claim's public
    history. Editors choose the members; nothing is applied on its own."""
    require_editor(by)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the verdict applies.")}, code="reason")
    if source.status != Claim.Status.PUBLISHED or not source.verdict:
        raise ValidationError(
            _("Only a published verdict can be applied to the family."), code="unpublished"
        )
    problems: dict[int, str] = {}
    for target in targets:
        if target.pk == source.pk:
            problems[target.pk] = _("This is the claim the verdict comes from.")
        elif source.family_id is None or target.family_id != source.family_id:
            problems[target.pk] = _("Claim %(id)d is not in this claim's family.") % {
                "id": target.pk
            }
        elif target.status == Claim.Status.REJECTED:
            problems[target.pk] = _("Claim %(id)d is rejected.") % {"id": target.pk}
    if problems:
        raise ValidationError(list(problems.values()), code="not_in_family")
    assert source.verdict_as_of is not None
    why = _("%(reason)s (verdict of the same claim in “%(title)s”)") % {
        "reason": reason.strip(),
        "title": source.article.title,
    }
    changed = []
    with transaction.atomic():
        for target in targets:
            if (target.verdict, target.verdict_summary, target.verdict_as_of) == (
                source.verdict,
                source.verdict_summary,
                source.verdict_as_of,
            ):
                continue
            claim_set_verdict(
                claim=target,
                verdict=source.verdict,
                summary=source.verdict_summary,
                as_of=source.verdict_as_of,
                by=by,
                reason=why,
            )
            changed.append(target)
    return changed

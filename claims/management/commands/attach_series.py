from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.models import Claim, ClaimSeries
from claims.services.series_matching import (
    claim_attach_related_series,
    claims_attach_related_series,
)


class Command(BaseCommand):
    help = (
        "Suggest catalogue series for claims (all claims not rejected, or --claim ID ...). "
        "Links editors confirmed or rejected are left as they are; running it twice adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claim", type=int, action="append", dest="claim_ids", metavar="ID")

    def handle(self, *args: Any, **options: Any) -> None:
        claim_ids = options["claim_ids"]
        if claim_ids:
            found = set(Claim.objects.filter(pk__in=claim_ids).values_list("pk", flat=True))
            missing = sorted(set(claim_ids) - found)
            if missing:
                raise CommandError(f"no claim with id {', '.join(map(str, missing))}")
            claims = Claim.objects.filter(pk__in=claim_ids).prefetch_related(
                "tags"  # type: ignore[misc]  # taggit managers are prefetchable; the stubs do not know them
            )
            created: int = sum(claim_attach_related_series(claim=claim) for claim in claims)
        else:
            created = claims_attach_related_series()
        links = ClaimSeries.objects.filter(status=ClaimSeries.Status.SUGGESTED)
        if claim_ids:
            links = links.filter(claim_id__in=claim_ids)
        for link in links.select_related("claim", "series").order_by("claim_id", "-match_score"):
            self.stdout.write(
                f"claim {link.claim_id} -> {link.series.title} ({link.series.unit}) "
                f"score {link.match_score}: {link.match_reasons}"
            )
        self.stdout.write(f"{created} new suggestion(s); {links.count()} awaiting an editor.")

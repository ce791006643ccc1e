"""The editors' tool: which claims say what this claim (or this text) says?"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.models import Claim
from claims.selectors import similar_to_claim, similar_to_text
from claims.serializers import SimilarClaimSerializer
from claims.similarity.embedder import EmbedderUnavailable


class Command(BaseCommand):
    help = (
        "Find the claims most like a claim (--claim ID) or a sentence (--text '…') among every "
        "claim that is not rejected, best first: same-claim matches, then related ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--claim", type=int, metavar="ID", help="a claim's id")
        which.add_argument("--text", help="a sentence, in any supported language")
        parser.add_argument("--limit", type=int, default=10, help="most results (default 10)")
        parser.add_argument("--json", action="store_true", help="print a JSON list")

    def handle(self, *args: Any, **options: Any) -> None:
        limit = options["limit"]
        if limit < 1:
            raise CommandError("--limit must be at least 1.")
        try:
            if options["claim"] is not None:
                claim = (
                    Claim.objects.select_related("article", "embedding")
                    .filter(pk=options["claim"])
                    .first()
                )
                if claim is None:
                    raise CommandError(f"No claim with id {options['claim']}.")
                found = similar_to_claim(claim=claim, user=None, limit=limit, drafts=True)
            else:
                text = options["text"]
                if not text.strip():
                    raise CommandError("The text is empty: give a sentence to look for.")
                if len(text) > settings.SIMILARITY_TEXT_MAX_LENGTH:
                    raise CommandError(
                        f"The text is too long: at most {settings.SIMILARITY_TEXT_MAX_LENGTH} "
                        "characters."
                    )
                found = similar_to_text(text=text, user=None, limit=limit, drafts=True)
        except EmbedderUnavailable as exc:
            raise CommandError(f"The sentence encoder cannot run here: {exc}") from None
        rows = SimilarClaimSerializer(found, many=True).data
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("No similar claim.")
            return
        for row in rows:
            text = row["statement"] or row["quote"]
            self.stdout.write(
                f"{row['score']:.3f} {row['match']:<7} claim {row['claim']:<6} "
                f"[{row['language']}] {row['article_title'][:40]} — {text[:100]}"
            )

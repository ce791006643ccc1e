"""Suggest check-worthy claims for an article: `python manage.py suggest_claims SLUG`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.models import Article
from core.management.migrated import require_migrated
from editorial.services.suggestion import article_suggest_claims


class Command(BaseCommand):
    help = (
        "Split an article into sentences, score how check-worthy each is, and store the best "
        "as suggested claims (tagged from the topic lexicon). Running it again adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the article's slug")
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="minimum score, 0-1 (default: the model's threshold, or 0.35 with the rules "
            "alone)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = options["threshold"]
        if threshold is not None and not 0 <= threshold <= 1:
            raise CommandError("--threshold must be between 0 and 1")
        require_migrated()
        article = Article.objects.filter(slug=options["slug"]).first()
        if article is None:
            raise CommandError(f"no article with slug {options['slug']!r}")
        result = article_suggest_claims(article=article, threshold=threshold)
        self.stdout.write(f"scorer: {result.scorer}")
        for claim, why in zip(result.created, result.whys, strict=True):
            tags = ", ".join(sorted(claim.tags.names())) or "no tag"
            self.stdout.write(f"  [{claim.check_worthiness:.2f}] ({tags}) {claim.quote}")
            self.stdout.write(f"      why: {why}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.created)} claim(s) suggested for {article.slug!r}; "
                f"{result.existing} sentence(s) already had a claim."
            )
        )

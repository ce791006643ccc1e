from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.models import OutboxJob
from core.tasks import OUTBOX_BATCH_SIZE, outbox_flush


class Command(BaseCommand):
    help = "Re-send jobs kept in the outbox while the broker was unreachable."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=OUTBOX_BATCH_SIZE)

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        if limit < 1:
            raise CommandError("--limit must be at least 1.")
        sent, failed = outbox_flush(limit=limit)
        waiting = OutboxJob.objects.count()
        self.stdout.write(f"sent {sent}, failed {failed}, waiting in the outbox {waiting}")
        if failed:
            raise SystemExit(1)

"""What the claims app does when another app, which must not know it, reports a change."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from core.tasks import enqueue_on_commit
from energy.signals import series_data_changed


@receiver(series_data_changed, dispatch_uid="claims.recheck_assertions")
def _recheck_assertions(sender: Any, series_id: int, **_: Any) -> None:
    # the data behind some claims' data checks changed: re-check them after the commit
    enqueue_on_commit("claims.tasks.evaluate_assertions", series_id)

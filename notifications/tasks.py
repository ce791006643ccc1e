"""Notification mails: thin callers of notifications.services."""

from __future__ import annotations

from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task

from core.tasks import AssayTask, TemporaryJobError
from notifications.services import digests_send, mail_pending


class MailServerUnavailable(TemporaryJobError):
    """The mail server refused or did not answer: the notifications stay to be mailed."""


@shared_task(
    name="notifications.mail_pending",
    base=AssayTask,
    bind=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def mail_pending_task(self: Task[Any, Any], user_id: int) -> int:
    try:
        return mail_pending(user_id=user_id)
    except (SMTPException, OSError) as exc:
        raise MailServerUnavailable(str(exc)) from exc


@shared_task(name="notifications.send_digests", soft_time_limit=600, time_limit=660)
def send_digests() -> int:
    """Daily (beat): one digest mail per reader with notifications waiting."""
    return digests_send()

"""Jobs queued after a write: sent after commit, kept in the outbox while the broker is down."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import redis
import time_machine
from celery import shared_task
from django.db import transaction
from django.utils import timezone
from kombu import Connection

from config.celery import app
from core.models import OutboxJob
from core.request_id import reset_request_id, set_request_id
from core.tasks import REQUEST_ID_HEADER, enqueue_on_commit, outbox_flush

RAN: list[int] = []


@shared_task(name="tests.core.remember")
def remember(value: int) -> None:
    RAN.append(value)


@pytest.fixture(autouse=True)
def _forget() -> None:
    RAN.clear()


@pytest.fixture
def redis5(scratch_redis_url: str) -> Iterator[str]:
    """The run's scratch Redis database (ASSAY_TEST_REDIS_URL), emptied, so queued messages
    can be read back."""
    client = redis.Redis.from_url(scratch_redis_url)
    client.flushdb()
    yield scratch_redis_url
    client.flushdb()
    client.close()


def _queued_messages(url: str) -> list[dict[str, object]]:
    messages = []
    with Connection(url) as conn:
        queue = conn.SimpleQueue("celery")
        while True:
            try:
                message = queue.get(block=False)
            except queue.Empty:
                break
            messages.append({"headers": message.headers, "body": message.decode()})
            message.ack()
        queue.close()
    return messages


@pytest.mark.django_db
def test_job_runs_only_after_the_transaction_commits(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(remember, 1)
        assert RAN == []
    assert RAN == [1]


@pytest.mark.django_db(transaction=True)
def test_job_is_dropped_when_the_transaction_rolls_back() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(remember, 1)
        raise RuntimeError("write failed")
    assert RAN == []
    assert OutboxJob.objects.count() == 0


@pytest.mark.django_db
def test_broker_down_keeps_the_job_in_the_outbox_without_raising(
    use_broker, closed_port, django_capture_on_commit_callbacks
) -> None:
    use_broker(f"redis://127.0.0.1:{closed_port}/5")
    token = set_request_id("req-123")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_on_commit(remember, 7)
    finally:
        reset_request_id(token)
    job = OutboxJob.objects.get()
    assert (job.task_name, job.args, job.kwargs) == ("tests.core.remember", [7], {})
    assert job.request_id == "req-123"
    assert "Error" in job.last_error
    assert RAN == []


@pytest.mark.django_db
def test_flush_while_the_broker_is_still_down_keeps_the_job_and_backs_off(
    use_broker, closed_port
) -> None:
    use_broker(f"redis://127.0.0.1:{closed_port}/5")
    job = OutboxJob.objects.create(task_name="tests.core.remember", args=[3])
    assert outbox_flush() == (0, 1)
    job.refresh_from_db()
    assert job.attempts == 1
    assert job.next_attempt_at > timezone.now()
    # not due yet: a second flush right away does not hammer the broker
    assert outbox_flush() == (0, 0)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        assert outbox_flush() == (0, 1)
    job.refresh_from_db()
    assert job.attempts == 2


@pytest.mark.django_db
def test_flush_stops_at_the_first_failure_while_the_broker_is_down(use_broker, closed_port) -> None:
    use_broker(f"redis://127.0.0.1:{closed_port}/5")
    first, second = (
        OutboxJob.objects.create(task_name="tests.core.remember", args=[n]) for n in (1, 2)
    )
    assert outbox_flush() == (0, 1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attempts, second.attempts) == (1, 0)


@pytest.mark.django_db
def test_flush_sends_outbox_jobs_once_the_broker_is_back(use_broker, redis5) -> None:
    OutboxJob.objects.create(task_name="tests.core.remember", args=[5], request_id="req-9")
    use_broker(redis5)
    assert outbox_flush() == (1, 0)
    assert OutboxJob.objects.count() == 0
    [message] = _queued_messages(redis5)
    assert message["headers"]["task"] == "tests.core.remember"  # type: ignore[index]
    assert message["headers"][REQUEST_ID_HEADER] == "req-9"  # type: ignore[index]
    assert message["body"][0] == [5]  # type: ignore[index]
    # sent once: flushing again sends nothing more
    assert outbox_flush() == (0, 0)
    assert _queued_messages(redis5) == []


@pytest.mark.django_db
def test_job_queued_from_a_request_carries_its_request_id_to_the_broker(
    use_broker, redis5, django_capture_on_commit_callbacks
) -> None:
    use_broker(redis5)
    token = set_request_id("req-abc")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_on_commit(remember, 11)
            remember.delay(12)  # a plain .delay() is stamped too
    finally:
        reset_request_id(token)
    messages = _queued_messages(redis5)
    assert [m["headers"][REQUEST_ID_HEADER] for m in messages] == ["req-abc", "req-abc"]  # type: ignore[index]
    assert OutboxJob.objects.count() == 0


@pytest.mark.django_db
def test_unknown_task_name_in_the_outbox_is_kept_with_its_error(use_broker, redis5) -> None:
    use_broker(redis5)
    job = OutboxJob.objects.create(task_name="tests.core.no_such_task", args=[1])
    assert outbox_flush() == (0, 1)
    job.refresh_from_db()
    assert "no_such_task" in job.last_error


def test_outbox_flush_is_on_the_beat_schedule() -> None:
    entry = app.conf.beat_schedule["core.outbox_flush"]
    assert entry["task"] == "core.outbox_flush"


@pytest.mark.django_db
def test_outbox_flush_command_reports_and_fails_while_the_broker_is_down(
    use_broker, closed_port
) -> None:
    from io import StringIO

    from django.core.management import call_command

    use_broker(f"redis://127.0.0.1:{closed_port}/5")
    OutboxJob.objects.create(task_name="tests.core.remember", args=[1])
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("outbox_flush", stdout=out)
    assert exit_info.value.code == 1
    assert "sent 0, failed 1, waiting in the outbox 1" in out.getvalue()

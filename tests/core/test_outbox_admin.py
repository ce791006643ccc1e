from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.models import OutboxJob
from tests.core.test_outbox import RAN, remember  # noqa: F401 - registers the task

CHANGELIST = "admin:core_outboxjob_changelist"


@pytest.fixture
def superuser(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw")


@pytest.mark.django_db
def test_admin_lists_waiting_jobs_and_sends_only_the_selected_ones(
    client, login, superuser
) -> None:
    RAN.clear()
    chosen = OutboxJob.objects.create(task_name="tests.core.remember", args=[1])
    other = OutboxJob.objects.create(task_name="tests.core.remember", args=[2])
    login(superuser)
    page = client.get(reverse(CHANGELIST))
    assert page.status_code == 200
    assert b"tests.core.remember" in page.content
    response = client.post(
        reverse(CHANGELIST), {"action": "send_now", "_selected_action": [chosen.pk]}
    )
    assert response.status_code == 302
    assert RAN == [1]  # the embedded default runs the job in-process
    assert list(OutboxJob.objects.values_list("pk", flat=True)) == [other.pk]


@pytest.mark.django_db
def test_outbox_jobs_cannot_be_edited_or_added(client, login, superuser) -> None:
    job = OutboxJob.objects.create(task_name="tests.core.remember", args=[1])
    login(superuser)
    assert client.get(reverse("admin:core_outboxjob_add")).status_code == 403
    client.post(reverse("admin:core_outboxjob_change", args=[job.pk]), {"task_name": "x"})
    job.refresh_from_db()
    assert job.task_name == "tests.core.remember"


@pytest.mark.django_db
def test_readers_cannot_see_the_outbox(client, login, alice) -> None:
    OutboxJob.objects.create(task_name="tests.core.remember", args=[1])
    login(alice)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from core.roles import user_can_write
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_integrator_group_grants_the_write_scopes_it_is_checked_against():
    user = UserFactory(username="integra")
    assert not user_can_write(user, "write:evidence")
    user.groups.add(Group.objects.get(name="Integrator"))
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    assert user_can_write(user, "write:evidence")
    assert user_can_write(user, "write:claims")
    assert user.has_perm("integrations.add_webhooksubscription")
    assert not user.has_perm("claims.delete_claim")


def test_editors_can_edit_the_series_catalogue(editor):
    editor = type(editor).objects.get(pk=editor.pk)
    assert editor.has_perm("energy.add_series")
    assert editor.has_perm("energy.change_series")


def test_editors_can_open_and_change_periodic_task_schedules(editor, moderator, login):
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    every = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    nightly = CrontabSchedule.objects.create(minute="0", hour="3")
    task = PeriodicTask.objects.create(name="refresh", task="claims.refresh", interval=every)
    client = login(editor)
    for url in (
        "/admin/django_celery_beat/periodictask/",
        f"/admin/django_celery_beat/periodictask/{task.pk}/change/",
        f"/admin/django_celery_beat/crontabschedule/{nightly.pk}/change/",
        f"/admin/django_celery_beat/intervalschedule/{every.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    editor = type(editor).objects.get(pk=editor.pk)
    assert editor.has_perm("django_celery_beat.change_periodictask")
    assert not editor.has_perm("django_celery_beat.delete_periodictask")
    # a moderator's role has nothing to do with schedules
    assert login(moderator).get("/admin/django_celery_beat/periodictask/").status_code == 403

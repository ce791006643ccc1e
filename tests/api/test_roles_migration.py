from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from integrations.roles import user_can_write
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
    assert editor.has_perm("claims.add_series")
    assert editor.has_perm("claims.change_series")

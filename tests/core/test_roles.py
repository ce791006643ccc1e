"""Editor and Moderator roles come from a data migration and gate the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import ClaimFactory, CommentFactory

pytestmark = pytest.mark.django_db


def test_migration_creates_both_groups_with_permissions() -> None:
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    moderator = set(
        Group.objects.get(name="Moderator").permissions.values_list("codename", flat=True)
    )

    assert {"change_claim", "add_evidence", "change_claimseries", "add_articleimport"} <= editor
    assert {"change_moderationqueueitem", "add_moderationaction"} <= editor
    assert {"change_comment", "change_moderationqueueitem", "change_flag"} <= moderator
    assert "change_claim" not in moderator
    assert not {"change_user", "delete_article"} & (editor | moderator)
    # editors delete unpublished, undiscussed claims (the service refuses the others)
    assert "delete_claim" in editor and "delete_claim" not in moderator


def test_editor_edits_a_claim_someone_else_created(editor, alice, login) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory(created_by=alice)
    client = login(editor)

    assert client.get(reverse("admin:claims_claim_change", args=[claim.pk])).status_code == 200
    assert client.get(reverse("admin:claims_claim_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_moderator_sees_comments_but_cannot_change_claims(moderator, alice, login) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory(created_by=alice)
    comment = CommentFactory(author=alice, article=claim.article)
    client = login(moderator)

    assert (
        client.get(reverse("admin:discussions_comment_change", args=[comment.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("admin:discussions_moderationqueueitem_changelist")).status_code == 200
    )
    # view-only on claims: the change page renders read-only, and a POST is refused
    response = client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]), {"statement": "rewritten"}
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.statement == ""


def test_reader_without_a_role_cannot_enter_admin(alice, login) -> None:  # type: ignore[no-untyped-def]
    response = login(alice).get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302


def test_editor_picks_an_assignee_among_staff_only(editor, moderator, alice, login) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory(created_by=alice)
    page = login(editor).get(reverse("admin:claims_claim_change", args=[claim.pk]))

    assignee = page.context["adminform"].form.fields["assignee"]
    assert set(assignee.queryset) == {editor, moderator}  # staff; alice (a reader) is not

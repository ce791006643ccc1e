from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _login(client, login: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("account_login"),
        {"login": login, "password": password},
        REMOTE_ADDR="203.0.113.7",
    )


def test_sign_up_creates_an_account_and_signs_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "dora@example.org",
            "username": "dora",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.filter(username="dora").exists()
    page = client.get("/").content.decode()
    assert "Signed in as dora" in page


def test_login_page_uses_the_site_layout_and_a_csrf_token(client):
    page = client.get(reverse("account_login")).content.decode()
    assert 'class="skip-link"' in page and 'id="main"' in page
    assert "csrfmiddlewaretoken" in page


def test_login_with_the_right_password_works(client, alice):
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert "Signed in as alice" in client.get("/").content.decode()


def test_every_login_past_the_failure_limit_gets_the_lockout_page(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "alice", "wrong password").status_code == 200
    # the failure that reaches the limit and every attempt after it (the right password
    # included) are answered the same way: the 429 lockout page in the site layout
    for password in ("wrong password", "wrong password", PASSWORD):
        locked = _login(client, "alice", password)
        assert locked.status_code == 429
        assert "Too many failed logins" in locked.content.decode()
        assert 'class="skip-link"' in locked.content.decode()
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username="alice")
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
    # another account from the same address is not locked by alice's attempts
    other = _login(client, "bob-does-not-exist", "x")
    assert other.status_code == 200


def test_password_reset_sends_a_mail_with_a_link(client, alice):
    response = client.post(reverse("account_reset_password"), {"email": alice.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_logout_needs_a_post(client, alice, login):
    login(alice)
    page = client.get(reverse("account_logout")).content.decode()
    assert "csrfmiddlewaretoken" in page
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_the_lockout_counts_every_spelling_of_an_account_together(client, alice, settings):
    """Finding of an outside audit: the login lockout counted failures per submitted string
    while login accepts any letter case and the e-mail address, so `reader2` locked still let
    `READER2` or the e-mail in with the right password, each spelling with its own counter."""
    spellings = ["alice", "ALICE", alice.email.upper(), "Alice", alice.email]
    for index in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, spellings[index % len(spellings)], "wrong").status_code == 200
    assert _login(client, "aLiCe", "wrong").status_code == 429
    for spelling in ("alice", "ALICE", alice.email, alice.email.upper()):
        assert _login(client, spelling, PASSWORD).status_code == 429, spelling
    assert "_auth_user_id" not in client.session
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["alice"]


def test_unknown_logins_are_counted_whatever_their_case(client, alice, settings):
    for index in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "Nobody" if index % 2 else "NOBODY", "x")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["nobody"]
    assert _login(client, "alice", PASSWORD).status_code == 302

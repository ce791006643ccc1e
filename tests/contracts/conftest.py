"""Contract tests: the same write through every door that offers it (page, admin form, admin
action, API, job or command) must have the same effects. A door runs inside `observe`, which
records what the write left behind beyond its own rows:

- history: the claim history rows it added (type and reason);
- webhooks: the webhook events it emitted (a subscriber listens to all of them);
- jobs: the jobs it queued, read back from the outbox: the broker is down during the test, so
  every job queued on commit lands in OutboxJob (core.tasks.enqueue_on_commit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from claims.models import Claim
from core.models import OutboxJob
from integrations.models import WebhookDelivery, WebhookEvent
from integrations.services import token_create, webhook_subscription_create
from tests.factories import UserFactory


@dataclass(frozen=True)
class Effects:
    history: tuple[tuple[str, str], ...]
    webhooks: tuple[str, ...]
    jobs: tuple[str, ...]


def _last_id(model: Any) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def observe(
    use_broker: Callable[[str], None],
    closed_port: int,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> Callable[[Callable[[], Any]], Effects]:
    settings.OUTBOUND_ALLOW_LOOPBACK = True  # the subscriber is a local address (never called)
    admin = UserFactory(username="hooked", is_superuser=True, is_staff=True)
    webhook_subscription_create(
        owner=admin,
        target_url=f"http://127.0.0.1:{closed_port}/hook",
        events=list(WebhookEvent.values),
    )
    use_broker(f"redis://127.0.0.1:{closed_port}/0")
    history_model = Claim.history.model

    def run(door: Callable[[], Any]) -> Effects:
        marks = [_last_id(m) for m in (history_model, WebhookDelivery, OutboxJob)]
        with django_capture_on_commit_callbacks(execute=True):
            door()
        history = history_model.objects.filter(pk__gt=marks[0]).order_by("pk")
        deliveries = WebhookDelivery.objects.filter(pk__gt=marks[1]).order_by("pk")
        jobs = OutboxJob.objects.filter(pk__gt=marks[2]).order_by("pk")
        return Effects(
            history=tuple(
                (h.history_type, h.history_change_reason or "")
                for h in history.values_list("history_type", "history_change_reason", named=True)
            ),
            # one delivery per subscriber; there is one subscriber
            webhooks=tuple(deliveries.values_list("event", flat=True)),
            jobs=tuple(sorted(jobs.values_list("task_name", flat=True))),
        )

    return run


class _Form(HTMLParser):
    """The values a browser would submit from the admin's main form (inputs, selects,
    textareas; empty inline templates left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "option":
            if self._select and "selected" in a:
                self.data[self._select].append(a.get("value") or "")
            return
        name = a.get("name")
        if not name or "__prefix__" in name:
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file", "image"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value") or "on")
            else:
                self.data[name] = [a.get("value") or ""]
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][0] += data


def admin_form(client: Client, url: str) -> dict[str, Any]:
    """The admin form at `url` as a browser would post it back unchanged."""
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Form()
    parser.feed(response.content.decode())
    # textareas start with a newline in Django's markup that browsers drop
    return {k: (v[0].lstrip("\n") if len(v) == 1 else v) for k, v in parser.data.items()}


def admin_post(client: Client, page: str, /, **changes: Any) -> Any:
    """Load the admin form at `page`, change some fields, post it; the admin must redirect."""
    data = admin_form(client, page)
    data.update(changes)
    response = client.post(page, data)
    assert response.status_code == 302, _form_errors(response)
    return response


def _form_errors(response: Any) -> str:
    """What the admin said was wrong with the form, to make a failing test readable."""
    context = getattr(response, "context", None)
    if context is None:
        return f"HTTP {response.status_code}"
    found: list[str] = []
    adminform = context.get("adminform")
    if adminform is not None:
        found.append(f"form: {dict(adminform.form.errors)}")
    for inline in context.get("inline_admin_formsets") or ():
        formset = inline.formset
        found.append(f"{formset.prefix}: {formset.errors} {formset.non_form_errors()}")
    return "; ".join(found) or f"HTTP {response.status_code}"


@pytest.fixture
def editor_admin(editor: Any) -> Client:
    client = Client()
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def editor_api(editor: Any) -> APIClient:
    """The API as an editor's integration uses it: a token with every scope."""
    issued = token_create(
        user=editor,
        name="contract",
        scopes=["read", "write:articles", "write:claims", "write:evidence", "write:comments"],
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    return client


@pytest.fixture
def reader_page(alice: Any) -> Iterator[Client]:
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    yield client


@pytest.fixture
def reader_api(alice: Any) -> APIClient:
    issued = token_create(user=alice, name="contract", scopes=["read", "write:comments"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    return client

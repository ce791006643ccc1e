"""Evidence links: the check job records link health, fills metadata and archives the text."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from pytest_httpserver import HTTPServer

from claims.models import Evidence
from claims.services import evidence_add
from claims.services.evidence import LinkTemporarilyUnavailable, evidence_checks_queue
from claims.tasks import check_evidence_link, recheck_evidence_links
from core.models import OutboxJob
from core.tasks import TemporaryJobError, outbox_flush
from tests.factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db

PAGE = """<!doctype html><html lang="en"><head><title>Nuclear share 2023 | Grid Report</title>
<meta property="og:site_name" content="Grid Report">
<meta property="og:title" content="Nuclear share of French electricity in 2023"></head>
<body><nav>Home | About | Subscribe</nav><article>
<h1>Nuclear share of French electricity in 2023</h1>
<p>In 2023 French reactors produced 320 TWh, about 65 percent of the electricity generated in
the country, after the low output of 2022 when many reactors were stopped for checks.</p>
<p>The grid operator expects output to rise again in 2024 as maintenance ends.</p>
</article><footer>All rights reserved</footer></body></html>"""


def _add(claim, url: str, django_capture_on_commit_callbacks, **kwargs):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        evidence = evidence_add(claim=claim, url=url, stance="supports", **kwargs)
    evidence.refresh_from_db()
    return evidence


def test_adding_evidence_checks_the_link_and_archives_the_text(
    httpserver: HTTPServer,
    editor,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    httpserver.expect_request("/report").respond_with_data(PAGE, content_type="text/html")

    evidence = _add(
        ClaimFactory(), httpserver.url_for("/report"), django_capture_on_commit_callbacks, by=editor
    )

    assert evidence.ok is True and evidence.http_status == 200 and evidence.check_error == ""
    assert evidence.title == "Nuclear share of French electricity in 2023"
    assert evidence.publisher == "Grid Report"
    assert "320 TWh" in evidence.archived_text and "Subscribe" not in evidence.archived_text
    assert evidence.archived_sha256 == hashlib.sha256(evidence.archived_text.encode()).hexdigest()
    assert evidence.archived_at == evidence.last_checked_at


def test_editor_title_is_kept_and_the_first_archive_is_never_replaced(
    httpserver: HTTPServer,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    httpserver.expect_ordered_request("/r").respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_ordered_request("/r").respond_with_data(
        PAGE.replace("320 TWh", "999 TWh"), content_type="text/html"
    )
    with time_machine.travel(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), tick=False):
        evidence = _add(
            ClaimFactory(),
            httpserver.url_for("/r"),
            django_capture_on_commit_callbacks,
            title="RTE",
        )
    first_archive = (evidence.archived_text, evidence.archived_sha256, evidence.archived_at)

    with (
        time_machine.travel(dt.datetime(2025, 1, 9, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        evidence_checks_queue(evidence_ids=[evidence.pk])

    evidence.refresh_from_db()
    assert evidence.title == "RTE"
    assert (evidence.archived_text, evidence.archived_sha256, evidence.archived_at) == first_archive
    assert evidence.last_checked_at == dt.datetime(2025, 1, 9, tzinfo=dt.UTC)


def test_a_dead_link_is_recorded_as_broken(
    httpserver: HTTPServer, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/gone").respond_with_data("not here", status=404)

    evidence = _add(ClaimFactory(), httpserver.url_for("/gone"), django_capture_on_commit_callbacks)

    assert (evidence.ok, evidence.http_status, evidence.check_error) == (False, 404, "HTTP 404")
    assert evidence.archived_at is None and evidence.archived_text == ""


def test_a_temporary_error_is_recorded_and_raised_for_the_worker_to_retry(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/busy").respond_with_data("busy", status=503)
    evidence = EvidenceFactory(url=httpserver.url_for("/busy"))

    with pytest.raises(LinkTemporarilyUnavailable):
        check_evidence_link(evidence.pk)  # as a worker runs it: autoretry_for catches this

    evidence.refresh_from_db()
    assert (evidence.ok, evidence.http_status, evidence.check_error) == (False, 503, "HTTP 503")
    assert issubclass(LinkTemporarilyUnavailable, TemporaryJobError)
    assert check_evidence_link.autoretry_for == (TemporaryJobError,)


def test_without_a_broker_the_retry_waits_in_the_outbox_instead_of_holding_the_request(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/busy").respond_with_data("busy", status=503)
    evidence = EvidenceFactory(url=httpserver.url_for("/busy"))

    check_evidence_link.delay(evidence.pk)

    evidence.refresh_from_db()
    assert (evidence.ok, evidence.http_status) == (False, 503)
    assert len(httpserver.log) == 1  # the editor's request is not held by retries
    deferred = OutboxJob.objects.get()
    assert deferred.task_name == check_evidence_link.name and deferred.args == [evidence.pk]
    assert deferred.retries == 1 and deferred.next_attempt_at > timezone.now()
    assert "HTTP 503" in deferred.last_error


def test_a_deferred_retry_runs_when_due_and_stops_after_its_last_try(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/busy").respond_with_data("busy", status=503)
    evidence = EvidenceFactory(url=httpserver.url_for("/busy"))
    check_evidence_link.delay(evidence.pk)

    for _ in range(check_evidence_link.max_retries):
        OutboxJob.objects.update(next_attempt_at=timezone.now())
        outbox_flush()

    assert len(httpserver.log) == 1 + check_evidence_link.max_retries
    assert not OutboxJob.objects.exists()


def test_an_internal_address_is_refused_and_flagged(
    settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.OUTBOUND_ALLOW_LOOPBACK = False

    evidence = _add(
        ClaimFactory(),
        "http://169.254.169.254/latest/meta-data/",
        django_capture_on_commit_callbacks,
    )

    assert evidence.ok is False and evidence.http_status is None
    assert evidence.check_error.startswith("refused:")


def test_the_check_of_a_deleted_link_returns_quietly() -> None:
    evidence = EvidenceFactory()
    evidence_id = evidence.pk
    evidence.delete()

    assert check_evidence_link.apply(args=[evidence_id]).get() == "gone"


@pytest.mark.parametrize(
    ("url", "stance"), [("ftp://example.org/x", "supports"), ("https://example.org/x", "maybe")]
)
def test_bad_evidence_is_refused_and_nothing_is_stored(url: str, stance: str) -> None:
    with pytest.raises(ValidationError):
        evidence_add(claim=ClaimFactory(), url=url, stance=stance)
    assert not Evidence.objects.exists()


def test_the_same_link_twice_on_a_claim_is_refused(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, url="https://example.org/a")
    with pytest.raises(ValidationError, match="already"):
        evidence_add(claim=claim, url="https://example.org/a", stance="refutes")


def test_weekly_recheck_queues_links_not_checked_for_a_week(
    httpserver: HTTPServer, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/ok").respond_with_data("fine", content_type="text/plain")
    url = httpserver.url_for("/ok")
    now = dt.datetime(2025, 3, 10, 3, 30, tzinfo=dt.UTC)
    fresh = EvidenceFactory(url=url, last_checked_at=now - dt.timedelta(days=1), ok=True)
    stale = EvidenceFactory(
        url=url + "?stale", last_checked_at=now - dt.timedelta(days=7), ok=False
    )
    never = EvidenceFactory(url=url + "?never")

    with (
        time_machine.travel(now, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert recheck_evidence_links() == 2

    for evidence in (fresh, stale, never):
        evidence.refresh_from_db()
    assert fresh.last_checked_at == now - dt.timedelta(days=1)
    assert stale.last_checked_at == now and stale.ok is True
    assert never.last_checked_at == now and never.archived_text == "fine"


def test_the_weekly_recheck_is_scheduled() -> None:
    task = PeriodicTask.objects.get(task="claims.evidence_tasks.recheck_evidence_links")
    assert task.enabled and task.crontab.day_of_week == "0"


def test_admin_flags_broken_links(admin_client) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    EvidenceFactory(claim=claim, url="https://example.org/ok", ok=True, http_status=200)
    EvidenceFactory(claim=claim, url="https://example.org/dead", ok=False, http_status=404)

    response = admin_client.get(reverse("admin:claims_evidence_changelist") + "?link=broken")

    assert [e.url for e in response.context["cl"].result_list] == ["https://example.org/dead"]
    assert "BROKEN 404" in response.content.decode()

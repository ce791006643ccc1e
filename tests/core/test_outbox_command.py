"""`manage.py outbox_flush` in a process of its own runs every kind of job the outbox can hold."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

# Each job Assay registers, with arguments naming rows that do not exist: a job must return
# quietly then, so the flush proves the job ran, not what it did.
JOB_ARGS: dict[str, tuple[list[object], dict[str, object]]] = {
    "articles.tasks.import_article_from_url": ([987654], {}),
    "claims.evidence_tasks.check_evidence_link": ([987654], {}),
    "claims.evidence_tasks.recheck_evidence_links": ([], {}),
    "claims.sweep_evidence_checks": ([], {}),
    "claims.tasks.attach_related_series": ([987654], {}),
    "claims.tasks.attach_related_series_all": ([], {}),
    "claims.tasks.embed_claim": ([987654], {}),
    "claims.tasks.evaluate_assertions": ([987654], {}),
    "claims.tasks.refresh_series": ([], {"series_ids": [987654]}),
    "core.outbox_flush": ([], {}),
    "editorial.sweep_url_imports": ([], {}),
    "energy.refresh_series": ([], {"series_ids": [987654], "job_ids": [987654]}),
    "energy.sweep_refresh_jobs": ([], {}),
    "integrations.sweep_webhook_deliveries": ([], {}),
    "integrations.tasks.deliver_webhook": ([987654], {}),
    "integrations.tasks.run_series_refresh_job": ([987654], {}),
    "notifications.mail_pending": ([987654], {}),
    "notifications.send_digests": ([], {}),
}


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_outbox_flush_runs_every_registered_job_kind_from_a_plain_command(
    tmp_path: Path,
) -> None:
    """Finding of an outside audit: `manage.py outbox_flush` failed on series-refresh jobs
    (NotRegistered): the task module was imported by the worker only. Apps now import their
    tasks in AppConfig.ready(); a plain command process knows every job and runs it."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")},
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'outbox.sqlite3'}",
    }
    migrated = _manage(env, "migrate", "--noinput", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    script = (
        "import json, sys\n"
        "from celery import current_app\n"
        "from core.models import OutboxJob\n"
        "jobs = json.loads(sys.argv[1])\n"
        "for name, (args, kwargs) in jobs.items():\n"
        "    OutboxJob.objects.create(task_name=name, args=args, kwargs=kwargs)\n"
        "print(json.dumps(sorted(n for n in current_app.tasks if not n.startswith('celery.'))))\n"
    )
    # the outbox rows are written, and the registered names read, by a process of their own
    seed = _manage(env, "shell", "-c", script.replace("sys.argv[1]", repr(json.dumps(JOB_ARGS))))
    assert seed.returncode == 0, seed.stderr[-3000:]
    registered = json.loads(seed.stdout.strip().splitlines()[-1])
    assert set(registered) == set(JOB_ARGS), "a job kind is missing from JOB_ARGS"

    flushed = _manage(env, "outbox_flush")
    assert flushed.returncode == 0, flushed.stdout + flushed.stderr[-3000:]
    assert f"sent {len(JOB_ARGS)}, failed 0, waiting in the outbox 0" in flushed.stdout
    assert "NotRegistered" not in flushed.stderr

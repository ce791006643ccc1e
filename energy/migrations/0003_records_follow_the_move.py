"""What refers to the moved models by app name follows them to the energy app:

- content types (claims.series, claims.observation, integrations.seriesrefreshjob) are renamed
  in place, so tags on series (taggit stores the content type), permissions granted to groups
  (Editor, Integrator) and admin log entries keep pointing at the same rows;
- beat schedules that named `claims.tasks.refresh_series` now name `energy.refresh_series`
  (the old name stays registered as an alias for messages already queued);
- a schedule sweeps refresh jobs whose worker was lost.
"""

import json

from django.db import migrations

MOVED = {
    ("claims", "series"): "energy",
    ("claims", "observation"): "energy",
    ("integrations", "seriesrefreshjob"): "energy",
}
RENAMED_TASKS = {"claims.tasks.refresh_series": "energy.refresh_series"}
SWEEP_NAME = "Sweep lost series refresh jobs"
SWEEP_TASK = "energy.sweep_refresh_jobs"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for (old_app, model), new_app in MOVED.items():
        if ContentType.objects.filter(app_label=new_app, model=model).exists():
            continue
        ContentType.objects.filter(app_label=old_app, model=model).update(app_label=new_app)
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in RENAMED_TASKS.items():
        PeriodicTask.objects.filter(task=old).update(task=new)
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SWEEP_NAME,
        defaults={"task": SWEEP_TASK, "interval": every, "kwargs": json.dumps({}), "enabled": True},
    )


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for (old_app, model), new_app in MOVED.items():
        ContentType.objects.filter(app_label=new_app, model=model).update(app_label=old_app)
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in RENAMED_TASKS.items():
        PeriodicTask.objects.filter(task=new).update(task=old)
    PeriodicTask.objects.filter(name=SWEEP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("energy", "0002_refresh_job_task_id"),
        ("claims", "0008_series_moved_to_energy"),
        ("integrations", "0004_series_refresh_job_moved_to_energy"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

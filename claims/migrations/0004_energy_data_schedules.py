"""Beat schedules for the energy-data jobs, stored with django-celery-beat so editors see and
change them in admin (Periodic tasks). Created once; later edits in admin are kept."""

import json

from django.db import migrations

# name -> (task, kwargs, crontab minute, hour, day_of_week)
SCHEDULES = {
    "Refresh Our World in Data series": ("claims.tasks.refresh_series", {"source": "owid"}, "15", "5", "*"),
    "Refresh EIA series": ("claims.tasks.refresh_series", {"source": "eia"}, "30", "5", "*"),
    "Refresh Ember series": ("claims.tasks.refresh_series", {"source": "ember"}, "45", "5", "*"),
    "Refresh CSV series": ("claims.tasks.refresh_series", {"source": "csv"}, "0", "6", "1"),
    "Suggest series for claims": ("claims.tasks.attach_related_series_all", {}, "20", "*", "*"),
}


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, kwargs, minute, hour, day_of_week) in SCHEDULES.items():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="UTC",
        )
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={"task": task, "kwargs": json.dumps(kwargs), "crontab": crontab, "enabled": True},
        )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_editor_moderator_groups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]

"""Editors change when the periodic jobs run (the README sends them to Periodic tasks in the
admin): view and change on django-celery-beat's tasks and their crontab and interval schedules.
"""

from django.db import migrations

EDITOR_SCHEDULES = {
    ("django_celery_beat", "periodictask"): ("view", "change"),
    ("django_celery_beat", "crontabschedule"): ("view", "change"),
    ("django_celery_beat", "intervalschedule"): ("view", "change"),
}


def _permissions(apps, grants):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
        for (app_label, model), actions in grants.items()
        for action in actions
    ]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*_permissions(apps, EDITOR_SCHEDULES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        editor.permissions.remove(*_permissions(apps, EDITOR_SCHEDULES))


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0002_integrator_role_and_catalogue_editing"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

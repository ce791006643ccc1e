"""Roles, continued: an Integrator group, and editors who curate the series catalogue.

Integrators write through the API with scoped tokens; the group grants the model permissions
their scopes are checked against (core.roles.SCOPE_PERMISSIONS) and lets them manage
their own webhook subscriptions. Editors add and correct catalogue series (a CSV URL with its
unit and attribution is entered by hand), so they need more than read access to Series.
"""

from django.db import migrations

INTEGRATOR = {
    ("claims", "claim"): ("add", "change", "view"),
    ("claims", "evidence"): ("add", "view"),
    ("integrations", "webhooksubscription"): ("add", "change", "delete", "view"),
}
EDITOR_CATALOGUE = {("claims", "series"): ("add", "change")}


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
    integrator, _ = Group.objects.get_or_create(name="Integrator")
    integrator.permissions.add(*_permissions(apps, INTEGRATOR))
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*_permissions(apps, EDITOR_CATALOGUE))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Integrator").delete()
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        editor.permissions.remove(*_permissions(apps, EDITOR_CATALOGUE))


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_tokens_webhooks_jobs"),
        ("claims", "0003_editor_moderator_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

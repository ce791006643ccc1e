"""Editors review same-claim links and answer readers' check requests in admin."""

from django.db import migrations

CODENAMES = (
    "view_checkrequest",
    "change_checkrequest",
    "view_checkrequester",
    "view_claimlink",
    "change_claimlink",
)


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    claims_config = apps.get_app_config("claims")
    claims_config.models_module = True
    create_permissions(claims_config, apps=apps, verbosity=0)
    claims_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        editor.permissions.add(
            *Permission.objects.filter(content_type__app_label="claims", codename__in=CODENAMES)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        editor.permissions.remove(
            *Permission.objects.filter(content_type__app_label="claims", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_claim_graph"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

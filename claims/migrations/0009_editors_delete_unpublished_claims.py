"""Editors may delete a claim (a mistaken span, a duplicate) from admin and the API; the claims
service still refuses published claims and claims readers discussed."""

from django.db import migrations


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
            Permission.objects.get(content_type__app_label="claims", codename="delete_claim")
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        editor.permissions.remove(
            *Permission.objects.filter(content_type__app_label="claims", codename="delete_claim")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_series_moved_to_energy"),
        # content types of the moved models are renamed first (energy 0003)
        ("energy", "0003_records_follow_the_move"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

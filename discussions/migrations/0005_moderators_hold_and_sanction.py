"""Moderators (and editors, who moderate too) edit the holding rules, sanction accounts and
read which comments became evidence."""

from django.db import migrations

GRANTS = {
    ("discussions", "holdrule"): ("add", "change", "delete", "view"),
    ("discussions", "accountsanction"): ("add", "change", "view"),
    ("discussions", "commentevidence"): ("view",),
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ("Editor", "Moderator"):
        group, _ = Group.objects.get_or_create(name=name)
        for (app_label, model), actions in GRANTS.items():
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=["Editor", "Moderator"]):
        for (app_label, model), actions in GRANTS.items():
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("claims", "0015_editors_review_the_claim_graph"),
        ("discussions", "0004_community_moderation"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""The Editor and Moderator roles, as Django groups with their permissions."""

from django.db import migrations

# (app_label, model) -> the actions the role may take on it
EDITOR = {
    ("articles", "article"): ("add", "change", "view"),
    ("articles", "articleimport"): ("add", "change", "view"),
    ("claims", "claim"): ("add", "change", "view"),
    ("claims", "evidence"): ("add", "change", "delete", "view"),
    ("claims", "claimseries"): ("add", "change", "delete", "view"),
    ("claims", "series"): ("view",),
    ("claims", "observation"): ("view",),
    ("claims", "topic"): ("add", "change", "view"),
    ("taggit", "tag"): ("add", "change", "view"),
}
# Editors moderate too (they answer for the discussion under their articles).
MODERATOR = {
    ("articles", "article"): ("view",),
    ("claims", "claim"): ("view",),
    ("discussions", "comment"): ("change", "view"),
    ("discussions", "moderationqueueitem"): ("change", "view"),
    ("discussions", "flag"): ("change", "view"),
    ("discussions", "reaction"): ("view",),
    ("discussions", "moderationaction"): ("add", "view"),
}


def _grants(*tables):
    merged = {}
    for table in tables:
        for key, actions in table.items():
            merged.setdefault(key, set()).update(actions)
    return merged


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran (post_migrate); make sure the
    # ones the roles need exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in (
        ("Editor", _grants(EDITOR, MODERATOR)),
        ("Moderator", _grants(MODERATOR)),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for (app_label, model), actions in grants.items():
            for action in sorted(actions):
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
        group.permissions.add(*wanted)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Moderator"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("articles", "0001_initial"),
        ("claims", "0002_series_http_validators_and_catalogue_key"),
        ("discussions", "0002_moderation_queue"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

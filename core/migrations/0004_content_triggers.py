"""Every table readers see bumps the content version when it changes (core/content_triggers.py):
cached anonymous pages are never served after a write."""

from django.db import migrations

from core.content_triggers import content_triggers

TABLES = [
    "articles_article",
    "claims_claim",
    "claims_evidence",
    "claims_claimseries",
    "claims_topic",
    "claims_series",  # energy.Series and Observation keep the tables they had in the claims app
    "claims_observation",
    "discussions_comment",
    "taggit_tag",
    "taggit_taggeditem",
]


def seed(apps, schema_editor):
    apps.get_model("core", "ContentVersion").objects.get_or_create(key="site")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_content_version"),
        ("articles", "0003_accent_blind_search"),
        ("claims", "0009_editors_delete_unpublished_claims"),
        ("energy", "0003_records_follow_the_move"),
        ("discussions", "0003_comment_thread_key_index"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        content_triggers(TABLES),
    ]

"""GIN indexes for full-text search in French and English (PostgreSQL only).

The expressions match articles.selectors.SEARCH_DOCUMENT exactly, so the planner uses them.
On SQLite search falls back to a plain match and this migration does nothing.
"""

from django.db import migrations

CONFIGS = ("french", "english")


def _document(config: str) -> str:
    return f"to_tsvector('{config}'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, ''))"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS article_search_{config} "
            f"ON articles_article USING GIN (({_document(config)}))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS:
        schema_editor.execute(f"DROP INDEX IF EXISTS article_search_{config}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]

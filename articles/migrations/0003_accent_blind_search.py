"""Accent-blind full-text search on PostgreSQL ("electricite" finds "électricité").

A third text-search configuration, assay_french, copies PostgreSQL's french one and runs
`unaccent` before stemming. It does not replace french: the Snowball stemmer stems accented
words better ("électrique" and "électricité" share a stem only with their accents), so the
search matches on french, english or assay_french, each on its own GIN index. `unaccent`
ships with PostgreSQL and is a trusted extension (13+): the database owner can create it.
On SQLite the search folds accents itself and this does nothing.
"""

from django.db import migrations

DOCUMENT = (
    "to_tsvector('assay_french'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, ''))"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS assay_french")
    schema_editor.execute("CREATE TEXT SEARCH CONFIGURATION assay_french (COPY = french)")
    schema_editor.execute(
        "ALTER TEXT SEARCH CONFIGURATION assay_french "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS article_search_assay_french "
        f"ON articles_article USING GIN (({DOCUMENT}))"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS article_search_assay_french")
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS assay_french")


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_article_search_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

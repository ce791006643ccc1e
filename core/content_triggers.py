"""Database triggers that bump the content version (core.models.ContentVersion) in the same
transaction as any change to a table readers see, whatever code made the change.

Which tables: each app names the models readers see in its AppConfig (`content_models`), and
after every `migrate` (post_migrate) the triggers are put on all of them, idempotently. So a new
content model only needs naming there, and a table SQLite rebuilt during a migration (its way to
alter a table, which drops the triggers with the old one) gets them back.

- PostgreSQL: a deferred constraint trigger per row, which runs at commit and bumps the version
  once per statement that fires it (a transaction-local flag holding that statement's start):
  deferred, that is once per transaction, at COMMIT, so the version row is locked only while
  the transaction commits and writers never wait on each other mid-way (nor does a bulk write
  update the row once per row). Tests that never commit (a test case inside one transaction)
  make the triggers IMMEDIATE with `immediate_sql()`: then every write statement bumps it.
- SQLite (one writer at a time): a trigger per row and operation.

The version is upserted, so it also survives a test that empties every table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.apps import apps
from django.db import migrations

# the key is core.page_cache.VERSION_KEY, "site"
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION assay_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('assay.content_bumped', true) IS DISTINCT FROM statement_timestamp()::text
  THEN
    PERFORM set_config('assay.content_bumped', statement_timestamp()::text, true);
    INSERT INTO core_contentversion (key, version, changed_at) VALUES ('site', 1, now())
    ON CONFLICT (key) DO UPDATE
      SET version = core_contentversion.version + 1, changed_at = now();
  END IF;
  RETURN NULL;
END $$;
"""

_SQLITE_BUMP = (
    "INSERT INTO core_contentversion (key, version, changed_at) "
    "VALUES ('site', 1, strftime('%Y-%m-%d %H:%M:%f', 'now')) "
    "ON CONFLICT (key) DO UPDATE SET version = version + 1, "
    "changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now');"
)
_OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def _name(table: str, operation: str = "") -> str:
    return f"assay_content_{table}" + (f"_{operation.lower()}" if operation else "")


def content_tables() -> list[str]:
    """The tables of every model an app declares readers see (AppConfig.content_models:
    "Model" in the app itself, or "app_label.Model")."""
    tables: list[str] = []
    for config in apps.get_app_configs():
        for name in getattr(config, "content_models", ()):
            label, _dot, model = name.rpartition(".")
            table = apps.get_model(label or config.label, model)._meta.db_table
            if table not in tables:
                tables.append(table)
    return tables


def _create_sql(vendor: str, tables: Sequence[str]) -> list[str]:
    statements: list[str] = []
    if vendor == "postgresql":
        statements.append(_PG_FUNCTION)
        for table in tables:
            statements.append(f"DROP TRIGGER IF EXISTS {_name(table)} ON {table}")
            statements.append(
                f"CREATE CONSTRAINT TRIGGER {_name(table)} AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                "EXECUTE FUNCTION assay_content_changed()"
            )
    elif vendor == "sqlite":
        for table in tables:
            for operation in _OPERATIONS:
                name = _name(table, operation)
                statements.append(f"DROP TRIGGER IF EXISTS {name}")
                statements.append(
                    f"CREATE TRIGGER {name} AFTER {operation} ON {table} BEGIN {_SQLITE_BUMP} END"
                )
    return statements


def create(schema_editor: Any, tables: Sequence[str]) -> None:
    for statement in _create_sql(schema_editor.connection.vendor, tables):
        schema_editor.execute(statement)


def install(connection: Any) -> None:
    """Put the triggers on every content table that exists on this connection (post_migrate,
    after every migrate; a table not created yet gets them on the migrate that creates it)."""
    existing = set(connection.introspection.table_names())
    if "core_contentversion" not in existing:
        return
    tables = [table for table in content_tables() if table in existing]
    with connection.cursor() as cursor:
        for statement in _create_sql(connection.vendor, tables):
            cursor.execute(statement)


def triggered_tables(connection: Any) -> set[str]:
    """The tables that carry a content trigger now (for checks and tests)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname LIKE %s",
                ["assay\\_content\\_%"],
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s"
            " ESCAPE '\\'",
            ["assay\\_content\\_%"],
        )
        return {row[0] for row in cursor.fetchall()}


def drop(schema_editor: Any, tables: Sequence[str]) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table)} ON {table}")
        elif vendor == "sqlite":
            for operation in _OPERATIONS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table, operation)}")


def immediate_sql(connection: Any) -> str | None:
    """The statement that makes this transaction's content triggers fire at each statement
    rather than at commit (PostgreSQL; None elsewhere, where they always do)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 't' AND conname LIKE %s",
            ["assay\\_content\\_%"],
        )
        names = [row[0] for row in cursor.fetchall()]
    return f"SET CONSTRAINTS {', '.join(names)} IMMEDIATE" if names else None


def content_triggers(tables: Sequence[str]) -> migrations.RunPython:
    """The migration operation that puts (or, backwards, takes off) the triggers."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        create(schema_editor, tables)

    def backwards(apps: Any, schema_editor: Any) -> None:
        drop(schema_editor, tables)

    operation: Callable[[Any, Any], None] = forwards
    return migrations.RunPython(operation, backwards)

"""Commands that read the database say so plainly when it has not been migrated, instead of
failing with `no such table` deep inside a query."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def require_migrated(using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise CommandError when migrations are pending on the `using` database."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        name = connection.settings_dict.get("NAME") or using
        raise CommandError(
            f"the database {name} is not migrated ({len(pending)} migrations pending): "
            "run `python manage.py migrate` first"
        )

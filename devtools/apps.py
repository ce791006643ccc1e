from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Not the product: the demo, benchmarks and evaluations, with their data.

    Installed everywhere because `scripts/serve` loads the demo and operators run `bench`; no
    product module imports it (import-linter checks that)."""

    name = "devtools"
    default_auto_field = "django.db.models.BigAutoField"

"""Settings mypy's Django plugin loads to read the models (pyproject.toml, [tool.django-stubs]).

django-modeltranslation swaps the manager of each model it translates for a class it builds at
run time, which the plugin cannot find by name: every query on Claim would type as Any. The
last app here puts the declared manager classes back once the translation columns are added,
so the plugin sees both the columns (statement_en, ...) and the managers the code declares.
Only the type checker loads these settings."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "config.typecheck.DeclaredManagersConfig"]

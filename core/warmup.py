"""Load in gunicorn's master what each worker would otherwise load on its first requests.

With the app preloaded, workers are forked from the master and inherit its memory. Without a
warm-up, each new worker — at start, and again every GUNICORN_MAX_REQUESTS when it is
recycled — compiles the templates, imports the views behind the URL patterns, reads the
translation catalogues and fingerprints the release on its first pages, a few hundred
milliseconds of CPU during which requests queue behind it. Doing it once in the master makes
every fork ready at once.

Nothing here opens a database, cache or broker connection: a connection made before the fork
would be shared by every worker.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

from core.page_cache import release, template_directories

logger = logging.getLogger(__name__)


def _template_names() -> list[str]:
    """The names of Assay's own templates (the project's directory and each Assay app's)."""
    roots = template_directories()
    names: set[str] = set()
    for root in roots:
        if root.is_dir():
            names.update(str(path.relative_to(root)) for path in root.rglob("*.html"))
    return sorted(names)


def warm_up() -> dict[str, int]:
    """Compile the templates, import the URL patterns' views, load every language's catalogue
    and the release fingerprint; returns what was loaded."""
    patterns = len(get_resolver().url_patterns)
    engine = engines["django"]
    compiled = 0
    for name in _template_names():
        try:
            engine.get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):
            continue  # a fragment meant for another engine or for inclusion with context
        compiled += 1
    with translation.override(None):
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                translation.gettext("Claims")
    release()
    return {"url_patterns": patterns, "templates": compiled, "languages": len(settings.LANGUAGES)}

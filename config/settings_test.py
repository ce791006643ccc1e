"""Test settings: the real settings, with what makes tests fast and hermetic."""

import uuid

from config.settings import *  # noqa: F403
from config.settings import CACHES, DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests point the sources and webhooks at a local pytest-httpserver.
OUTBOUND_ALLOW_LOOPBACK = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests run with DEBUG off but without collectstatic: WhiteNoise serves from the finders.
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in memory
# On Redis, the run's cache keys carry a prefix of their own: clearing the cache between tests
# deletes those keys only (tests/conftest.py), never a whole database a developer uses.
if "KEY_PREFIX" in CACHES["default"]:
    CACHES["default"]["KEY_PREFIX"] = f"assay-test-{uuid.uuid4().hex[:12]}"
SIMILARITY_INDEX_CHECK_SECONDS = (
    0  # every read sees the writes before it (no on_commit in most tests)
)

"""Test settings: the real settings, with what makes tests fast and hermetic."""

from config.settings import *  # noqa: F403
from config.settings import DATABASES

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
SIMILARITY_INDEX_CHECK_SECONDS = (
    0  # every read sees the writes before it (no on_commit in most tests)
)

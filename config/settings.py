"""Assay settings: one module, read from the environment.

With nothing set, Assay runs on the embedded default: SQLite in the project
folder, Celery tasks run eagerly in-process, a local-memory cache. Production
sets DATABASE_URL, CELERY_BROKER_URL and REDIS_URL (every variable: docs/configuration.md).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    env_bool,
    env_float,
    env_folder_url,
    env_int,
    env_list,
    env_rate,
    env_str,
    env_time_zone,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# Django's generic classes (ModelAdmin[Article], QuerySet[Claim], ...) take type parameters at
# run time too, as the type checker reads them.
django_stubs_ext.monkeypatch()

DEBUG = env_bool("DEBUG", True)

_INSECURE_DEV_KEY = "django-insecure-assay-development-only-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _INSECURE_DEV_KEY
elif not DEBUG and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https")).rstrip("/")

# Assay, from the bottom layer up (see README.md: a module imports only from below)
ASSAY_APPS = [
    "core",
    "integrations",
    "notifications",
    "energy",
    "articles",
    "claims",
    "discussions",
    "editorial",
    "reading",
    "devtools",
]
INSTALLED_APPS = [
    # before admin: it patches the models registered in each app's translation.py
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "taggit",
    "simple_history",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "axes",
    "csp",
    *ASSAY_APPS,
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "core.middleware.NulByteMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "core.middleware.ReplicaPinMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.page_cache.PageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "notifications.context_processors.bell",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
_database_url = env_url("DATABASE_URL", "", schemes=("postgres", "postgresql", "pgsql", "sqlite"))
if _database_url:
    try:
        _db = dj_database_url.parse(_database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    _db["CONN_HEALTH_CHECKS"] = True
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(BASE_DIR / "db.sqlite3"),
            "OPTIONS": {"timeout": 20},
        }
    }
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
# A PostgreSQL read replica for pages and API lists (core/db_router.py); writes, transactions
# and a client's reads for REPLICA_PIN_SECONDS after its own write stay on the primary.
_replica_url = env_url("DATABASE_REPLICA_URL", "", schemes=("postgres", "postgresql", "pgsql"))
if _replica_url:
    if not IS_POSTGRES:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL set to the primary.")
    try:
        _replica = dj_database_url.parse(_replica_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a valid URL: {exc}") from None
    _replica["CONN_HEALTH_CHECKS"] = True
    # A replica that stopped answering must fail fast: reads then fall back to the primary.
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 5, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # A cache outage must degrade to cache misses, never to errors on pages.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
            "KEY_PREFIX": "assay",
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------------------------
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", "", schemes=("redis", "rediss", "amqp", "memory"))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Embedded default: tasks run in-process, but Celery still opens a producer to serialise
    # them. An in-memory transport keeps it from looking for a broker on localhost (and logging
    # about it). CELERY_BROKER_URL stays empty: that is what marks the embedded default.
    CELERY_BROKER_READ_URL = CELERY_BROKER_WRITE_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = env_url("CELERY_RESULT_BACKEND", "", schemes=("redis", "rediss")) or None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360, minimum=1)
# Redis re-delivers an unacknowledged task after the visibility timeout; it must exceed the
# longest task or a slow task would run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 4}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
# Workers log through LOGGING below (JSON lines in production), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Auth and accounts --------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
if ACCOUNT_EMAIL_VERIFICATION not in ("none", "optional", "mandatory"):
    raise ImproperlyConfigured(
        f"ACCOUNT_EMAIL_VERIFICATION={ACCOUNT_EMAIL_VERIFICATION!r} "
        "must be none, optional or mandatory."
    )
# django-axes alone counts failed logins: every attempt past AXES_FAILURE_LIMIT gets its 429
# lockout page. allauth's own login_failed limit would answer some of them first, with a form
# error and 200.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Every spelling of one account (any letter case, its e-mail address) counts as one username.
AXES_USERNAME_CALLABLE = "core.accounts.login_identity"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"  # in the site layout, answered with 429

# How long an anonymous page rendered for one content version stays in the cache (seconds):
# any write moves the version, so this only bounds the memory old versions take.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 86400, minimum=0)
# Notifications: after a mail went out at once, what comes within this many minutes waits for
# the daily digest (a burst of replies makes one mail and one digest, not one mail each).
NOTIFICATION_BURST_MINUTES = env_int("NOTIFICATION_BURST_MINUTES", 10, minimum=0)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Assay <noreply@localhost>")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Editorial text (claim statements, verdict summaries, evidence titles, series titles, tag
# labels) is stored in each of LANGUAGES by django-modeltranslation: one column per language
# (statement_en, statement_fr) on the same row, so reading it costs no query. Each app's
# translation.py names its fields. A reader gets their language, else the other one, which the
# pages mark as such (core.translation).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "fr"), "en": ("fr",), "fr": ("en",)}
TIME_ZONE = env_time_zone("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security -----------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- REST framework -----------------------------------------------------------------------------
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50, minimum=1)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 1000, minimum=1)
API_THROTTLE_ANON = env_rate("API_THROTTLE_ANON", "120/min", multiple=False)
API_THROTTLE_USER = env_rate("API_THROTTLE_USER", "600/min", multiple=False)
REST_FRAMEWORK = {
    # Bearer first: an anonymous request is then answered 401 with WWW-Authenticate: Bearer.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "integrations.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["integrations.permissions.ScopedPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "integrations.filters.StrictOrderingFilter",
    ],
    # an unknown ?format= answers 406 naming the formats on offer (DRF's default: 404)
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "integrations.negotiation.ApiContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "integrations.pagination.ApiCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "integrations.throttling.ApiAnonThrottle",
        "integrations.throttling.ApiUserThrottle",
    ],
    "EXCEPTION_HANDLER": "integrations.exceptions.api_exception_handler",
    # JSON within DATA_UPLOAD_MAX_MEMORY_SIZE and a sane depth; forms for the browsable API
    "DEFAULT_PARSER_CLASSES": [
        "integrations.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "integrations.schema.ApiAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Assay API",
    "DESCRIPTION": "Articles, claims, evidence, energy-data series and discussion.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # the API documents JSON bodies (forms are read too, for the browsable API only)
    "PARSER_WHITELIST": ["integrations.parsers.BoundedJSONParser"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "integrations.schema.api_schema_postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ArticleStatusEnum": "articles.models.Article.Status",
        "ClaimStatusEnum": "claims.models.Claim.Status",
        "SeriesStatusEnum": "energy.models.Series.Status",
        "CommentStatusEnum": "discussions.models.Comment.Status",
        "EvidenceStanceEnum": "claims.models.Evidence.Stance",
        "CommentStanceEnum": "discussions.models.Comment.Stance",
        "WebhookEventEnum": "integrations.models.WebhookEvent",
        "DeliveryStatusEnum": "integrations.models.WebhookDelivery.Status",
        "JobStatusEnum": "energy.models.SeriesRefreshJob.Status",
    },
}
# Webhook deliveries: attempts before giving up, first retry delay (doubling each time).
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6, minimum=1)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30, minimum=1)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1)

# --- Energy-data sources ------------------------------------------------------------------------
OWID_BASE_URL = env_folder_url(
    "OWID_BASE_URL", "https://nyc3.digitaloceanspaces.com/owid-public/data/energy/"
)
EIA_BASE_URL = env_folder_url("EIA_BASE_URL", "https://api.eia.gov/v2/")
EMBER_BASE_URL = env_folder_url("EMBER_BASE_URL", "https://api.ember-energy.org/v1/")
EIA_API_KEY = env_str("EIA_API_KEY")
EMBER_API_KEY = env_str("EMBER_API_KEY")
SOURCE_CONNECT_TIMEOUT = float(env_int("SOURCE_CONNECT_TIMEOUT", 10, minimum=1))
SOURCE_READ_TIMEOUT = float(env_int("SOURCE_READ_TIMEOUT", 60, minimum=1))
SOURCE_MAX_BYTES = env_int("SOURCE_MAX_BYTES", 64 * 1024 * 1024, minimum=1024)
HTTP_USER_AGENT = env_str("HTTP_USER_AGENT", "Assay/0.1 (+https://github.com/assay; data refresh)")
# Temporary source errors (timeouts, refused connections, 429/5xx) are retried in place this many
# times in all, with exponential backoff from SOURCE_RETRY_BACKOFF_MS plus jitter; a Retry-After
# longer than SOURCE_RETRY_AFTER_MAX seconds is not waited for (the task retries later instead).
SOURCE_MAX_ATTEMPTS = env_int("SOURCE_MAX_ATTEMPTS", 3, minimum=1)
SOURCE_RETRY_BACKOFF_MS = env_int("SOURCE_RETRY_BACKOFF_MS", 1000, minimum=0)
SOURCE_RETRY_AFTER_MAX = env_int("SOURCE_RETRY_AFTER_MAX", 30, minimum=0)
# Where `refresh_series` fetches the demo's data-centre figures (a date,value-style CSV). By
# default Assay serves its own copy as a static file; point it at a newer file to update it.
DATACENTRE_CSV_URL = env_url(
    "DATACENTRE_CSV_URL",
    f"{SITE_URL}/static/energy/data/datacentre-electricity.csv",
    schemes=("http", "https"),
)
# Outbound fetches (evidence links, article import, webhooks) refuse loopback and private
# addresses; tests and local development against a local server switch this on.
OUTBOUND_ALLOW_LOOPBACK = env_bool("OUTBOUND_ALLOW_LOOPBACK", False)
# Those fetches give up after this many seconds (whole download) and keep at most this many bytes.
OUTBOUND_TIMEOUT = env_int("OUTBOUND_TIMEOUT", 20, minimum=1)
OUTBOUND_MAX_BYTES = env_int("OUTBOUND_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)

# --- Editorial ----------------------------------------------------------------------------------
# The verdict scale: (key, label, schema.org ClaimReview ratingValue on a 1-5 scale, or 0 where
# the scale has no place for it). Keys are stored on claims; labels are shown.
VERDICT_SCALE = [
    ("accurate", _("Accurate"), 5),
    ("mostly_accurate", _("Mostly accurate"), 4),
    ("misleading", _("Misleading"), 2),
    ("inaccurate", _("Inaccurate"), 1),
    ("unsupported", _("Unsupported"), 0),
    ("unverifiable", _("Unverifiable"), 0),
]

# --- Claim graph: similar claims, families, check requests ---------------------------------------
# The sentence embedder (a class with `version`, `dimensions` and `encode`, see
# claims/similarity/embedder.py) and the BLAS threads it may use (1: web and job processes share
# their cores; the encoder's own default of 4 oversubscribes a small machine).
SIMILARITY_EMBEDDER = "claims.similarity.embedder.UniversalSentenceEncoder"
SIMILARITY_ENCODER_THREADS = env_int("SIMILARITY_ENCODER_THREADS", 1, minimum=1)
# Cosine thresholds, chosen on devtools/data/similarity (docs/reading.md#similar-claims):
# `same` also needs the two sides to state no different figures and name no different places.
SIMILARITY_SAME_THRESHOLD = env_float("SIMILARITY_SAME_THRESHOLD", 0.5, minimum=0, maximum=1)
SIMILARITY_RELATED_THRESHOLD = env_float("SIMILARITY_RELATED_THRESHOLD", 0.25, minimum=0, maximum=1)
if SIMILARITY_RELATED_THRESHOLD > SIMILARITY_SAME_THRESHOLD:
    raise ImproperlyConfigured(
        "SIMILARITY_RELATED_THRESHOLD must not be above SIMILARITY_SAME_THRESHOLD."
    )
# How often (seconds) a process asks the database whether its similarity index is behind.
SIMILARITY_INDEX_CHECK_SECONDS = env_int("SIMILARITY_INDEX_CHECK_SECONDS", 2, minimum=0)
# The longest text "Has this been checked?" and the API's ?text= accept (characters).
SIMILARITY_TEXT_MAX_LENGTH = env_int("SIMILARITY_TEXT_MAX_LENGTH", 1000, minimum=20)
# Check requests a reader may send (N/unit or N/Kunit, as COMMENT_POST_RATE).
CHECK_REQUEST_RATE = env_rate("CHECK_REQUEST_RATE", "5/h")

# --- Discussion ---------------------------------------------------------------------------------
COMMENT_MAX_LENGTH = env_int("COMMENT_MAX_LENGTH", 400, minimum=1)
COMMENT_EDIT_WINDOW_MINUTES = env_int("COMMENT_EDIT_WINDOW_MINUTES", 15, minimum=0)
COMMENT_POST_RATE = env_rate("COMMENT_POST_RATE", "10/m")
COMMENT_TOP_LEVEL_PAGE_SIZE = env_int("COMMENT_TOP_LEVEL_PAGE_SIZE", 50, minimum=1)
# Hold a new account's first N comments for a moderator (0: off).
COMMENT_PREMODERATE_FIRST = env_int("COMMENT_PREMODERATE_FIRST", 0, minimum=0)
# Hold a link in an account's first comment (before any of its comments was published).
COMMENT_HOLD_FIRST_LINK = env_bool("COMMENT_HOLD_FIRST_LINK", False)

# --- Logging ------------------------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} must be 'text' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            # time in UTC, ISO 8601 (…T08:00:00.123+00:00), as gunicorn's access log: lines from
            # the web, the workers and the proxy sort and compare on one clock
            "()": "core.logging.UtcJsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {
            "()": "core.logging.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        # A job logs one line (core.signals); Celery's received/succeeded lines would repeat it.
        # Failures still log from celery.app.trace at ERROR, with the traceback.
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
    },
}

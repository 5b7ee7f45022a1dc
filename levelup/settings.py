"""The one settings module. Every knob is an environment variable read by
`levelup.lib.env`; `.env.example` documents them all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from levelup.lib.env import env_bool, env_choice, env_int, env_list, env_str, env_url
from levelup.lib.security import (
    SECRET_KEY_MIN_LENGTH,
    data_dir_prepare,
    private_file_create,
    secret_key_load_or_create,
)

BASE_DIR = Path(__file__).resolve().parent

LEVELUP_ENV = env_choice("LEVELUP_ENV", "development", ("development", "production"))
PRODUCTION = LEVELUP_ENV == "production"

DATA_DIR = Path(env_str("LEVELUP_DATA_DIR", "var")).expanduser().resolve()
try:
    # Mode 0700, and the database, keys and backups in it 0600 (docs/security.md).
    data_dir_prepare(DATA_DIR)
except OSError as exc:
    raise ImproperlyConfigured(f"LEVELUP_DATA_DIR: cannot create {DATA_DIR}: {exc}") from None


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data directory."""
    given = env_str("SECRET_KEY").strip()
    if given:
        if len(given) < SECRET_KEY_MIN_LENGTH:
            raise ImproperlyConfigured(
                f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} characters long"
            )
        return given
    return secret_key_load_or_create(DATA_DIR)


SECRET_KEY = _secret_key()
# Off unless asked for, also in development: Django's debug page lists every URL
# pattern and setting, and `make run` must be safe to show to someone else.
# `make dev` (or LEVELUP_DEBUG=1) is the explicit opt-in.
DEBUG = env_bool("LEVELUP_DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ("127.0.0.1", "localhost", "[::1]", "testserver"))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so its `runserver` (loopback only with DEBUG on) wins.
    "levelup.cli",
    "django.contrib.staticfiles",
    "ninja",
    "levelup.accounts",
    "levelup.roadmaps",
    "levelup.progress",
    "levelup.journal",
    "levelup.resources",
    "levelup.planning",
    "levelup.mentoring",
    "levelup.readcache",
    "levelup.portfolio",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "levelup.lib.security.ContentSecurityPolicyMiddleware",
    # Before anything that could read the body; after the two above so a 413 still
    # carries the security headers.
    "levelup.lib.request_size.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF and the views: refuses NUL bytes in paths, queries and forms (issue 14).
    "levelup.lib.inputguard.InputGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "levelup.accounts.middleware.UserTimezoneMiddleware",
    # Last, so every other middleware still wraps a cached answer (headers, CSP, CSRF).
    "levelup.readcache.middleware.ReadCacheMiddleware",
]

ROOT_URLCONF = "levelup.urls"
WSGI_APPLICATION = "levelup.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "levelup.accounts.context_processors.registration",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
else:
    private_file_create(DATA_DIR / "levelup.sqlite3")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "levelup.sqlite3"),
            # A worker keeps its connection: opening the file and running the pragmas
            # on every request cost about 1 ms, the health check's whole floor.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the
                # write lock at BEGIN so two writers queue instead of deadlocking.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("LEVELUP_SQLITE_TIMEOUT", 20, minimum=1),
            },
            "TEST": {"NAME": env_str("LEVELUP_TEST_SQLITE_NAME") or None},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, rate limits -------------------------------------------
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss", "unix"))
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # The same sessions, read from Redis first (accounts/sessions.py).
    SESSION_ENGINE = "levelup.accounts.cached_sessions"
else:
    # A file cache is shared by every worker process of one server, which is
    # what login throttling needs; several servers should set REDIS_URL.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            # Django's default of 300 entries is a few dozen learners' answers: past it,
            # each write drops a random third, plan computations (forecasts) included.
            "OPTIONS": {"MAX_ENTRIES": env_int("LEVELUP_CACHE_ENTRIES", 5000, minimum=300)},
        }
    }
    SESSION_ENGINE = "levelup.accounts.sessions"

LOGIN_FAILURE_LIMIT = env_int("LEVELUP_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW = env_int("LEVELUP_LOGIN_FAILURE_WINDOW", 900, minimum=1)
LOGIN_CLIENT_LIMIT = env_int("LEVELUP_LOGIN_CLIENT_LIMIT", 20, minimum=1)
# Dashboard, plan, review and calendar answers from the cache while their inputs are
# unchanged (levelup/readcache); off only to measure or debug without it.
READ_CACHE_ENABLED = env_bool("LEVELUP_READ_CACHE", default=True)

# --- Request size and abuse limits (docs/security.md#request-size, #abuse-limits) ---
# The largest body an ordinary address accepts (forms, JSON, a 2 MB roadmap document);
# the CSV and archive imports have their own caps in levelup/lib/request_size.py.
REQUEST_MAX_BYTES = env_int("LEVELUP_REQUEST_MAX_BYTES", 2_621_440, minimum=65_536)
# Equal to the cap, so a body that passed the middleware never raises RequestDataTooBig.
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES
# Uploaded files over 1 MB are spooled to a temporary file while the form is parsed.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1_048_576
# A self-assessment screen posts one field per topic of a phase; a roadmap holds at
# most 5,000 items.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 6_000
# No form takes more than one file.
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# Sign-ups per client address per window, and password-reset requests per client
# address and per e-mail address per window.
SIGNUP_LIMIT = env_int("LEVELUP_SIGNUP_LIMIT", 5, minimum=1)
SIGNUP_WINDOW = env_int("LEVELUP_SIGNUP_WINDOW", 3600, minimum=1)
PASSWORD_RESET_CLIENT_LIMIT = env_int("LEVELUP_PASSWORD_RESET_CLIENT_LIMIT", 10, minimum=1)
PASSWORD_RESET_EMAIL_LIMIT = env_int("LEVELUP_PASSWORD_RESET_EMAIL_LIMIT", 3, minimum=1)
PASSWORD_RESET_WINDOW = env_int("LEVELUP_PASSWORD_RESET_WINDOW", 3600, minimum=1)
# A reset link works once, for this long.
PASSWORD_RESET_TIMEOUT = env_int("LEVELUP_PASSWORD_RESET_TIMEOUT", 3 * 3600, minimum=300)
# open: anyone signs up; invite: only with a one-time invitation from staff;
# closed: staff create every account (`levelup user create`, the admin).
REGISTRATION = env_choice("LEVELUP_REGISTRATION", "open", ("open", "invite", "closed"))
INVITE_DAYS = env_int("LEVELUP_INVITE_DAYS", 14, minimum=1, maximum=365)

# --- Passwords ------------------------------------------------------------
# Django's model backend with the per-request user lookup written out (accounts/sessions.py).
AUTHENTICATION_BACKENDS = ["levelup.accounts.sessions.UserBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Security -------------------------------------------------------------
SECURE_HTTPS = env_bool("LEVELUP_HTTPS", default=PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("LEVELUP_SESSION_AGE", 14 * 24 * 3600, minimum=300)
SECURE_SSL_REDIRECT = env_bool("LEVELUP_SSL_REDIRECT", default=SECURE_HTTPS)
SECURE_HSTS_SECONDS = env_int("LEVELUP_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("LEVELUP_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a reverse proxy: trust its X-Forwarded-Proto, and take the client
# address for login throttling from the last X-Forwarded-For hop.
BEHIND_PROXY = env_bool("LEVELUP_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Internationalisation and time ----------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise expects the folder to exist even before the first collectstatic.
STATIC_ROOT.mkdir(exist_ok=True)
# The project's own assets live in levelup/static, which is not an app directory.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("LEVELUP_MANIFEST_STATIC", default=PRODUCTION)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (development, tests) WhiteNoise serves from the finders.
WHITENOISE_USE_FINDERS = True

# --- Logging and error pages (docs/operations.md#the-access-log) -------------
# The one handler redacts tokens, calendar secrets and URL passwords from what it
# writes; `django.server` is the development server's request log.
LOG_LEVEL = env_choice(
    "LEVELUP_LOG_LEVEL", "info", ("debug", "info", "warning", "error", "critical")
).upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "levelup.lib.logs.RedactingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own defaults give these handlers of their own; here they go to the root's.
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "levelup.lib.reporting.LevelupExceptionReporterFilter"

# Email: mentoring notifications, sent only to users who turned them on. Without
# EMAIL_HOST, messages are printed to the server's console instead of sent.
EMAIL_HOST = env_str("EMAIL_HOST")
# EMAIL_BACKEND names another Django backend (e.g. locmem, or filebased with EMAIL_FILE_PATH).
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or str(DATA_DIR / "mail")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "levelup <levelup@localhost>")

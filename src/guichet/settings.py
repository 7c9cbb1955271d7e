"""Settings for Guichet: one flat file, driven by environment variables (see docs/configuration.md).

Every secret may also come from ``<NAME>_FILE`` (a path whose content is the value). Unsafe
production settings raise ``ImproperlyConfigured`` at start rather than serve insecurely.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    """Return a variable's value, reading ``<NAME>_FILE`` when it is set."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_path} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("GUICHET_TESTING", False)
_DEV_SECRET = "insecure-dev-only-secret-key-change-me-in-production-0123456789"  # noqa: S105 - refused in production below
SECRET_KEY = env("SECRET_KEY") or _DEV_SECRET
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
GUICHET_CITY_NAME = env("GUICHET_CITY_NAME", "Créteil")
# The public address of the site, for links in emails and receipts (no trailing slash).
GUICHET_BASE_URL = env("GUICHET_BASE_URL", "http://127.0.0.1:8000")
# Working days before the due date from which a case shows as "near due" and is escalated.
GUICHET_CASE_NEAR_DUE_DAYS = env_int("GUICHET_CASE_NEAR_DUE_DAYS", 2)
# Portal sign-ups whose address is not confirmed after this many days are deleted (nightly job).
GUICHET_UNCONFIRMED_ACCOUNT_DAYS = env_int("GUICHET_UNCONFIRMED_ACCOUNT_DAYS", 7)
if GUICHET_UNCONFIRMED_ACCOUNT_DAYS < 3:
    raise ImproperlyConfigured(
        "GUICHET_UNCONFIRMED_ACCOUNT_DAYS must be at least 3: the confirmation link is valid "
        "3 days."
    )
# Alsace and Moselle keep two more public holidays: Good Friday and 26 December.
GUICHET_ALSACE_MOSELLE = env_bool("GUICHET_ALSACE_MOSELLE", False)
# The demo city may only be served with its printed logins when this is set (make run sets it).
GUICHET_DEMO = env_bool("GUICHET_DEMO", False)

if not DEBUG and not GUICHET_DEMO and not TESTING:
    if SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 40 characters in production "
            "(or set DEBUG=true for development)."
        )
    if "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names, not '*'.")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "guichet.core",
    "guichet.organisation",
    "guichet.catalogue",
    "guichet.residents",
    "guichet.audit",
    "guichet.notifications",
    "guichet.contacts",
    "guichet.cases",
    "guichet.portal",
    "guichet.backoffice",
    "guichet.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "guichet.urls"
WSGI_APPLICATION = "guichet.wsgi.application"
AUTH_USER_MODEL = "organisation.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "portal:home"

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
                "guichet.core.context_processors.city",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, anything dj-database-url understands with DATABASE_URL.
DATA_DIR = Path(env("GUICHET_DATA_DIR", str(PROJECT_DIR / "var")))
_database_url = env("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "guichet.sqlite3"),
            # Kept per server thread, as PostgreSQL's: opening one (and its PRAGMAs) per
            # request cost about a twentieth of a short request's time.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["guichet.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("GUICHET_STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("GUICHET_MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded documents: anything larger is refused with a message before it is stored.
GUICHET_MAX_UPLOAD_BYTES = env_int("GUICHET_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = GUICHET_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Email and SMS.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "guichet@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
SMS_BACKEND = env("SMS_BACKEND", "console")
# Notifications (docs/notifications.md): SMS gateway, retries, when a send counts as stuck.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
SMS_HTTP_URL = env("SMS_HTTP_URL")
SMS_HTTP_TOKEN = env("SMS_HTTP_TOKEN")
SMS_HTTP_TIMEOUT = env_int("SMS_HTTP_TIMEOUT", 10)
GUICHET_SMS_FILE_PATH = env("GUICHET_SMS_FILE_PATH")
if SMS_BACKEND == "http" and not SMS_HTTP_URL:
    raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_HTTP_URL, the SMS gateway's address.")
GUICHET_NOTIFICATION_MAX_ATTEMPTS = env_int("GUICHET_NOTIFICATION_MAX_ATTEMPTS", 5)
GUICHET_NOTIFICATION_RETRY_DELAY = env_int("GUICHET_NOTIFICATION_RETRY_DELAY", 300)
GUICHET_NOTIFICATION_STUCK_MINUTES = env_int("GUICHET_NOTIFICATION_STUCK_MINUTES", 15)
# With a broker: how long a server process gathers committed notifications into one task
# (docs/configuration.md). 0 queues each one on its own, as soon as it is committed.
GUICHET_NOTIFICATION_BATCH_MS = env_int("GUICHET_NOTIFICATION_BATCH_MS", 200)
if GUICHET_NOTIFICATION_BATCH_MS < 0 or GUICHET_NOTIFICATION_BATCH_MS > 10_000:
    raise ImproperlyConfigured("GUICHET_NOTIFICATION_BATCH_MS must be between 0 and 10000.")
if GUICHET_NOTIFICATION_MAX_ATTEMPTS < 1 or GUICHET_NOTIFICATION_RETRY_DELAY < 1:
    raise ImproperlyConfigured(
        "GUICHET_NOTIFICATION_MAX_ATTEMPTS and GUICHET_NOTIFICATION_RETRY_DELAY must be at least 1."
    )

# Background work.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "guichet.core.authentication.AgentTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "guichet.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guichet API",
    "DESCRIPTION": "Residents, contacts and the procedure catalogue of a city's one-stop desk.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from our own static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "guichet.organisation.choices.Channel",
        "CaseStatusEnum": "guichet.cases.choices.CaseStatus",
        "CaseEventKindEnum": "guichet.cases.choices.CaseEventKind",
        "DeadlineStateEnum": "guichet.cases.choices.DeadlineState",
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG and env_bool("GUICHET_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000

# Residents' login with an OpenID Connect provider (FranceConnect or another): off unless the
# issuer, client id and client secret are all set (see docs/portal.md).
OIDC_ISSUER = env("OIDC_ISSUER").strip().rstrip("/")
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID").strip()
OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET").strip()
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", "FranceConnect").strip() or "FranceConnect"
OIDC_SCOPES = env("OIDC_SCOPES", "openid email given_name family_name birthdate").split()
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
# Asked of the provider as acr_values when set (FranceConnect requires "eidas1").
OIDC_ACR_VALUES = env("OIDC_ACR_VALUES").strip()
_oidc_values = {
    "OIDC_ISSUER": OIDC_ISSUER,
    "OIDC_CLIENT_ID": OIDC_CLIENT_ID,
    "OIDC_CLIENT_SECRET": OIDC_CLIENT_SECRET,
}
if any(_oidc_values.values()) and not all(_oidc_values.values()):
    _missing = ", ".join(name for name, value in _oidc_values.items() if not value)
    raise ImproperlyConfigured(f"OpenID Connect is half configured: set {_missing} too.")
if OIDC_ISSUER and not OIDC_ISSUER.startswith("https://") and not (DEBUG or TESTING):
    raise ImproperlyConfigured("OIDC_ISSUER must be an https:// URL in production.")
if OIDC_ISSUER and "openid" not in OIDC_SCOPES:
    raise ImproperlyConfigured("OIDC_SCOPES must include openid.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # fontTools logs dozens of lines at INFO for every PDF it subsets a font for (receipts).
    "loggers": {"fontTools": {"level": "WARNING"}},
}

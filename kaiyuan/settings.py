"""Settings of the Kaiyuan linkage platform: the only settings module, driven by the environment.

Defaults give the embedded mode of ``make run`` (SQLite under var/, no Redis, background jobs run
in-process). Production sets ``KAIYUAN_ENV=production``; then a missing secret fails at start-up.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kaiyuan.checks import check_encryption_key_format, check_production_secrets
from kaiyuan.env import env_bool, env_int, env_list, env_networks, env_secret, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KAIYUAN_VAR_DIR", str(BASE_DIR / "var")))

# =============================================================================================
# Environment
# =============================================================================================
KAIYUAN_ENV = env_str("KAIYUAN_ENV", "development")
if KAIYUAN_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"KAIYUAN_ENV must be development, production or test, got {KAIYUAN_ENV!r}"
    )
PRODUCTION = KAIYUAN_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be false when KAIYUAN_ENV=production")

# The defaults are public (they are in this file): production refuses them (kaiyuan/checks.py).
DEVELOPMENT_SECRETS = {
    "SECRET_KEY": "dev-only-insecure-key-3c1e8a0f9b7d4e2a8c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2918",
    # The Fernet key that the former derivation, base64url(sha256("kaiyuan-pii-encryption:" +
    # key)), made of the former default "dev-only-pii-encryption-key-change-me": developers'
    # local databases hold ID numbers encrypted with it.
    "PII_ENCRYPTION_KEY": "Oqt7RNnKFV4fBPHzGo86keF7KUtYTwfEZJDCX6NUKvg=",
    "PII_INDEX_KEY": "dev-only-pii-index-key-change-me",
}
SECRET_KEY = env_secret(
    "SECRET_KEY", default=DEVELOPMENT_SECRETS["SECRET_KEY"], required=PRODUCTION
)
# Keys for personal data: the encryption key protects ID numbers at rest; the index key makes the
# blind index (an HMAC) so that a stolen database alone cannot be searched for a known number.
# PII_ENCRYPTION_KEY is one Fernet key or a comma-separated list (the first encrypts, any
# decrypts), so that keys can rotate with ``manage.py rotate_pii_key``.
PII_ENCRYPTION_KEY = env_secret(
    "PII_ENCRYPTION_KEY",
    default=DEVELOPMENT_SECRETS["PII_ENCRYPTION_KEY"],
    required=PRODUCTION,
)
if not PRODUCTION:  # production checks every key together below, with the database URL
    check_encryption_key_format(PII_ENCRYPTION_KEY)
PII_INDEX_KEY = env_secret(
    "PII_INDEX_KEY", default=DEVELOPMENT_SECRETS["PII_INDEX_KEY"], required=PRODUCTION
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks). Empty: the
# direct peer is the client, whatever the header says (kaiyuan.audit.context.client_ip).
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", [])

# =============================================================================================
# Applications
# =============================================================================================
INSTALLED_APPS = [
    "kaiyuan.areas",
    "kaiyuan.accounts",
    "kaiyuan.audit",
    "kaiyuan.policy",
    "kaiyuan.jobs",
    "kaiyuan.inbox",
    "kaiyuan.web",
    "monitoring",
    "projects",
    "funds",
    "assets",
    "employment",
    "reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kaiyuan.audit.context.RequestSourceMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kaiyuan.web.middleware.ChineseByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kaiyuan.accounts.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After every other middleware, as django-axes asks; with AXES_LOCKOUT_CALLABLE below it
    # leaves the page as it is.
    "axes.middleware.AxesMiddleware",
    # Innermost, so that it sees a view's exception first (a locked SQLite answers 409).
    "kaiyuan.web.middleware.DatabaseLockedMiddleware",
]

ROOT_URLCONF = "kaiyuan.urls"
WSGI_APPLICATION = "kaiyuan.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Widgets render with the templates of templates/django/forms/ (Bootstrap choice rows) before
# Django's own, which "django.forms" in INSTALLED_APPS provides.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaiyuan.web.context_processors.navigation",
            ],
        },
    },
]

# =============================================================================================
# Database
# =============================================================================================
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'kaiyuan.sqlite3'}",
    schemes={"sqlite", "postgres", "postgresql", "pgsql"},
)
if PRODUCTION and DATABASE_URL.startswith("sqlite"):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL in production")
if PRODUCTION:
    check_production_secrets(
        {
            "SECRET_KEY": SECRET_KEY,
            "PII_ENCRYPTION_KEY": PII_ENCRYPTION_KEY,
            "PII_INDEX_KEY": PII_INDEX_KEY,
            "DATABASE_URL": DATABASE_URL,
            # docker compose hands the whole .env to the application containers too.
            "POSTGRES_PASSWORD": os.environ.get("POSTGRES_PASSWORD"),
        },
        development_defaults=DEVELOPMENT_SECRETS,
    )
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The platform's queries are short and many: PostgreSQL's JIT compiler only adds start-up
    # time to them (it spent 17 s compiling a county-wide coverage query that runs in 1 s).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Two saves at once must answer as on PostgreSQL (one 200, one 409), not "database is
    # locked". A deferred transaction reads under a shared lock and fails at once when it then
    # tries to write while another transaction writes (SQLite cannot wait there without a
    # deadlock); IMMEDIATE takes the write lock at BEGIN, so the second transaction waits up to
    # the busy timeout, then reads the version the first wrote. WAL lets pages read meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# =============================================================================================
# Redis, cache and Celery
# =============================================================================================
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must start with redis://, got {REDIS_URL!r}")
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must be set in production")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kaiyuan",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without Redis (embedded mode) tasks run in the web process as they are enqueued: slower pages
# for a big job, but nothing is lost and no broker is needed on a laptop.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Embedded mode (no Redis, so no worker): a background job (a large export, an import) runs on a
# thread of the web process once its request has answered, instead of inside the request, so the
# user gets the job's progress page at once there too. A job that a restart interrupts stays
# "running"; a deployment runs Celery workers.
JOBS_IN_THREAD = env_bool("JOBS_IN_THREAD", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 3600, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60 if CELERY_TASK_TIME_LIMIT > 120 else None
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every periodic job of the platform, in one place.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "mark-overdue-daily": {
        "task": "monitoring.tasks.mark_overdue_task",
        "schedule": crontab(hour=1, minute=30),
    },
    "purge-files-daily": {
        "task": "kaiyuan.jobs.tasks.purge_files_task",
        "schedule": crontab(hour=2, minute=15),
    },
}

# =============================================================================================
# Accounts, sessions and passwords
# =============================================================================================
# django-axes first: it refuses a locked user name/address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle sessions expire: every request renews the cookie, so only inactivity ends a session.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCKOUT = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))

# Lock-out by django-axes, counted per user name AND client address: a stranger's failures
# elsewhere never lock the real user out. Every refusal reads the same (LoginForm, the token
# endpoint), so the lock-out tells nobody which user names exist.
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = LOGIN_LOCKOUT
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "kaiyuan.audit.context.client_ip"
AXES_RESET_ON_SUCCESS = True
# Axes would answer a locked login with its own page and status; the login page's one message
# is the answer instead.
AXES_LOCKOUT_CALLABLE = "kaiyuan.accounts.lockout.lockout_response"
# Logins are in the audit trail already; axes' own access log would keep a second copy forever.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# API tokens (kaiyuan.accounts.models.ApiToken): idle and absolute limits, and how often one
# address may ask for a token.
API_TOKEN_IDLE = timedelta(minutes=env_int("API_TOKEN_IDLE_MINUTES", 60, minimum=1))
API_TOKEN_MAX_AGE = timedelta(hours=env_int("API_TOKEN_MAX_HOURS", 12, minimum=1))
API_TOKEN_REQUESTS_PER_MINUTE = env_int("API_TOKEN_REQUESTS_PER_MINUTE", 10, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "kaiyuan.accounts.validators.CharacterClassValidator"},
]

DEMO_PASSWORD = env_str("DEMO_PASSWORD", "kaiyuan2024")

# =============================================================================================
# Language, time and formats
# =============================================================================================
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# =============================================================================================
# Static and uploaded files
# =============================================================================================
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "kaiyuan" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# In development and tests static files are served straight from the source folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20, minimum=1)
# The ID-number check beside the forms answers this many numbers a minute per user: enough to
# type, too few to sweep a township's numbers for who is registered where.
ID_CHECKS_PER_MINUTE = env_int("ID_CHECKS_PER_MINUTE", 30, minimum=1)
# Exports, marked import workbooks and kept uploads hold personal data: deleted after this many
# days (kaiyuan.jobs.services.files_purge, daily); the audit trail keeps each file's SHA-256.
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 30, minimum=1)
# Checks of every imported workbook before anything parses it (kaiyuan.common.imports.guard): a
# small .xlsx can unpack to hundreds of MB or declare millions of empty cells.
IMPORT_MAX_UNPACKED_MB = env_int("IMPORT_MAX_UNPACKED_MB", 300, minimum=1)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100, minimum=2)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000, minimum=1)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200, minimum=1)
# Larger files are parsed only in the worker, never in the user's request.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 300, minimum=0)
IMPORT_BACKGROUND_KB = env_int("IMPORT_BACKGROUND_KB", 512, minimum=1)

# =============================================================================================
# REST API
# =============================================================================================
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: DRF takes the first class's WWW-Authenticate header, so an expired
        # token is answered 401 (ask for a new one) rather than 403.
        "kaiyuan.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Throttles are named per view (throttle_scope); the counters live in the cache (Redis).
    "DEFAULT_THROTTLE_RATES": {"api_token": f"{API_TOKEN_REQUESTS_PER_MINUTE}/min"},
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Ids validated as ids, ID numbers refused in query strings, errors in the API's format.
    "DEFAULT_FILTER_BACKENDS": ["kaiyuan.common.api_filters.FilterBackend"],
    # Pages that never COUNT (next/previous links, no total).
    "DEFAULT_PAGINATION_CLASS": "kaiyuan.common.api_paging.ProbePagination",
    "PAGE_SIZE": 50,
    # Documents every operation's refusals, nullable read-only fields and blank choices.
    "DEFAULT_SCHEMA_CLASS": "kaiyuan.common.api.ApiSchema",
    "EXCEPTION_HANDLER": "kaiyuan.common.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "开原市衔接工作平台 API",
    "DESCRIPTION": "巩固拓展脱贫攻坚成果同乡村振兴有效衔接工作平台接口 (v1)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Several models have a "kind" or "status"; named here so the schema's enums are stable.
    "ENUM_NAME_OVERRIDES": {
        "IncomeKindEnum": "monitoring.models.incomes.IncomeRecord.Kind",
        "CaseKindEnum": "monitoring.models.cases.MonitoringCase.Kind",
        "CaseStatusEnum": "monitoring.models.cases.MonitoringCase.Status",
        "LeadStatusEnum": "monitoring.models.cases.RiskLead.Status",
        "LeadSourceEnum": "monitoring.models.cases.RiskLead.Source",
        "MemberStatusEnum": "monitoring.models.members.Member.Status",
        "MeasureStatusEnum": "monitoring.models.measures.AssistanceMeasure.Status",
        "MonitoringCategoryEnum": "monitoring.codes.MonitoringCategory",
        "ProjectStatusEnum": "projects.models.projects.Project.Status",
        "ProjectCategoryEnum": "projects.codes.Category",
        "PublicityLevelEnum": "projects.models.publicity.PublicityRecord.Level",
        "IndicatorGroupEnum": "projects.codes.IndicatorGroup",
        "IndicatorKindEnum": "projects.codes.IndicatorKind",
        "AcceptanceResultEnum": "projects.codes.AcceptanceResult",
        "OperatingModeEnum": "projects.codes.OperatingMode",
        "PreworkStatusEnum": "projects.codes.PreworkStatus",
        "DepartmentEnum": "kaiyuan.accounts.roles.Department",
        "FundLevelEnum": "funds.codes.FundLevel",
        "AssetClassEnum": "assets.codes.AssetClass",
        "AssetTypeEnum": "assets.codes.AssetType",
        "AssetStatusEnum": "assets.codes.AssetStatus",
        "OwnerKindEnum": "assets.codes.OwnerKind",
        "FundingSourceEnum": "assets.codes.FundingSource",
        "LineUseEnum": "assets.codes.LineUse",
        "FourBatchesEnum": "projects.codes.FourBatches",
        "DistributionStatusEnum": "assets.models.distributions.Distribution.Status",
        "EmploymentBatchEnum": "employment.codes.Batch",
        "EmploymentSourceEnum": "employment.codes.Source",
    },
}

# =============================================================================================
# Security (production)
# =============================================================================================
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp), in every environment so that development and the browser
# tests see what production enforces. Scripts come only from our own static files: no inline
# script, no inline event handler, no eval (htmx is configured without it, base.html). Inline
# <style> elements need the request's nonce (the household card's screen styles). Inline style
# *attributes* are allowed: progress bars take their width from the job's percentage, and
# layouts their max-width, as attributes in templates and in htmx-swapped fragments; an
# attribute can restyle its own element only, and with img-src limited to this site it cannot
# send anything elsewhere. The API documentation pages get their own policy (kaiyuan/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        # Bootstrap draws its icons (menu, select arrow, close) as data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if PRODUCTION:
    # nginx (deploy/nginx.conf) terminates TLS and always sets this header itself, so a client
    # cannot forge it; without it Django would see every request as http and send no HSTS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# =============================================================================================
# E-mail and logging
# =============================================================================================
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kaiyuan-platform@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-axes logs every login and reset at INFO; the audit trail already keeps them.
        "axes": {"level": "WARNING"},
    },
}

# The covering index of the visit scope (monitoring.Household) names non-key columns that only
# PostgreSQL keeps; SQLite (the embedded mode) builds the same index without them, which is fine.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

SITE_TITLE = _("Kaiyuan linkage platform")

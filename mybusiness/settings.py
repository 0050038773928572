"""Settings of the myBusiness portal, read from environment variables.

Unset variables give the embedded defaults for a zero-setup local run (SQLite,
eager Celery, files in a private local folder, emails on the console). Every
value is parsed strictly: a malformed one stops the start-up with a clear error.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mybusiness.env import env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.bool("DEBUG", default=False)

# With DEBUG off a real key is required: mybusiness/checks.py refuses to serve without one, while
# commands that sign nothing (makemigrations, migrate, collectstatic) still run.
SECRET_KEY = env.str("SECRET_KEY") or (
    "insecure-local-development-key-only-used-with-debug-on-0123456789" if DEBUG else ""
)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS")
# The address of the portal as seen by the people it emails (links in emails).
SITE_URL = (env.str("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "mybusiness.apps.MybusinessConfig",
    # The admin under the portal's one login page, its second step included (mybusiness.admin_site).
    "mybusiness.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "bootstrap",
    "fontawesome",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "import_export",
    # django-ninja: the API's documentation page, with its own copy of Swagger UI (no CDN).
    "ninja",
    "webhooks.apps.WebhooksConfig",
    "catalog.apps.CatalogConfig",
    "sites.apps.SitesConfig",
    "opportunities.apps.OpportunitiesConfig",
    "orders.apps.OrdersConfig",
    "certificates.apps.CertificatesConfig",
    "backoffice.apps.BackofficeConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the CSRF check, which reads the body: an oversized one is refused unread (mybusiness.limits).
    "mybusiness.limits.BodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor; then the portal's rule.
    "django_otp.middleware.OTPMiddleware",
    "mybusiness.middleware.SecondFactorMiddleware",
    "mybusiness.middleware.PortalLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mybusiness.urls"
WSGI_APPLICATION = "mybusiness.wsgi.application"

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
                "mybusiness.context_processors.portal",
            ],
        },
    },
    {
        # The few hot fragments (a list's rows, header, pager): Jinja2 compiles a template to Python
        # code, a tenth of the Django engine's cost per node. Templates live in each app's jinja2/.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "mybusiness.jinja2_environment.environment",
            "autoescape": True,
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    },
    {
        # Emails' subjects and text parts (mybusiness.emails): plain text, so nothing is HTML-escaped
        # (« Bureau d'études » stays as typed). Last: a template name without ``using`` never reaches it.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {"default": env.database("DATABASE_URL", sqlite_path=str(BASE_DIR / "db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "mybusiness.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "mybusiness.auth_backends.PortalBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # an invitation link lives three days

# Login lockout (django-axes): after repeated failures for one account, whatever the case or spaces of
# the email typed (mybusiness.security.login_username) and whoever tries, the account is locked for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "mybusiness.security.login_username"
AXES_CLIENT_IP_CALLABLE = "mybusiness.security.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# One client address trying many accounts: its failures are capped across accounts over the same window.
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", 30, minimum=1)
# axes.W006 asks for "ip_address" among axes' parameters: axes would lock an address at the account's
# limit (5), which a company's shared address reaches in a morning. The address has its own, higher cap above.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
LOGIN_THROTTLE_SECONDS = int(AXES_COOLOFF_TIME.total_seconds())
# Password reset: this many requests per email typed and per client address each hour; past them the
# answer is the same and no email leaves.
PASSWORD_RESETS_PER_EMAIL = env.int("PASSWORD_RESETS_PER_EMAIL", 3, minimum=1)
PASSWORD_RESETS_PER_ADDRESS = env.int("PASSWORD_RESETS_PER_ADDRESS", 20, minimum=1)
PASSWORD_RESET_THROTTLE_SECONDS = 3600
# The reverse proxies in front of the portal (docker-compose runs one): the client's address is the
# one the last of them saw (mybusiness.security.client_ip). 0: the portal is reached directly.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Two-factor authentication (django-otp): an authenticator application's six-digit code, or a single-use
# recovery code, after the password. Required of the vendor's staff (the back office); offered to partners,
# then asked of those who turned it on (mybusiness.middleware.SecondFactorMiddleware).
OTP_REQUIRED_FOR_STAFF = env.bool("OTP_REQUIRED_FOR_STAFF", default=True)
OTP_TOTP_ISSUER = "myBusiness"
OTP_RECOVERY_CODES = 10

# Internationalisation: French first, English available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["mybusiness.formats"]  # one date and one date-time format per language
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / ".tmp" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Files: a private local folder by default, an S3-compatible bucket when its
# variables are set. Documents are never served from a public URL: downloads go
# through views that check the user's rights.
MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / ".tmp" / "private")))
AWS_STORAGE_BUCKET_NAME = env.str("S3_BUCKET")
if AWS_STORAGE_BUCKET_NAME:
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("S3_ENDPOINT_URL"),
            "region_name": env.str("S3_REGION", "us-east-1"),
            "access_key": env.str("S3_ACCESS_KEY_ID", required=True),
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", required=True),
            "addressing_style": env.str("S3_ADDRESSING_STYLE", "path"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": env.str("S3_LOCATION", "private") or "",
        },
    }
else:
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # No base_url: nothing in this folder has a public address.
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    }
STORAGES = {
    "default": _private_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads. Order documents are bounded while they stream (orders.uploads.SizeLimitedUploadHandler):
# past DOCUMENT_MAX_UPLOAD_BYTES the upload stops, nothing bigger is kept on disk or in memory.
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024)
DOCUMENT_MAX_FILES_PER_REQUEST = 5
# Other forms: their non-file fields are bounded in memory, their files go to disk past 1 MiB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 1_048_576
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Every request's body, refused unread past its route's limit (mybusiness.limits): the forms' data and a
# margin by default; the routes that take files declare their own. docker-compose's proxy holds the same.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", 3 * 1024 * 1024, minimum=DATA_UPLOAD_MAX_MEMORY_SIZE)
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024)
_MULTIPART_MARGIN = 64 * 1024
REQUEST_BODY_LIMITS = {
    "order_document_upload": DOCUMENT_MAX_UPLOAD_BYTES * DOCUMENT_MAX_FILES_PER_REQUEST + _MULTIPART_MARGIN,
    # The admin's CSV imports (django-import-export).
    "admin:customer_sites_site_import": IMPORT_MAX_UPLOAD_BYTES + _MULTIPART_MARGIN,
    "admin:opportunities_opportunity_import": IMPORT_MAX_UPLOAD_BYTES + _MULTIPART_MARGIN,
    # The API's document upload (one file per request).
    "api:order_document_upload": DOCUMENT_MAX_UPLOAD_BYTES + _MULTIPART_MARGIN,
}

# The partner REST API (mybusiness.api): its path, each key's rate ("<n>/s", "/m", "/h") and how long the
# answer to a POST sent with an Idempotency-Key is kept for the same request sent again.
API_PATH_PREFIX = "/api/"
API_RATE_LIMIT = env.str("API_RATE_LIMIT", "600/m") or "600/m"
API_IDEMPOTENCY_HOURS = env.int("API_IDEMPOTENCY_HOURS", 24, minimum=1)

# Email: the console by default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env.str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", "") or ""
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", "") or ""
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
else:
    EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Never wait forever on a mail server (the cloud hand-off sends inside a short transaction).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env.email("DEFAULT_FROM_EMAIL", "mybusiness@divalto.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SALES_ADMIN_EMAIL = env.email("SALES_ADMIN_EMAIL", "adv@divalto.example")
CLOUD_TEAM_EMAIL = env.email("CLOUD_TEAM_EMAIL", "cloud@divalto.example")

# Django's cache holds the catalog's rows (catalog.references). A Redis URL shares it between
# processes, so a catalog change shows everywhere at once; unset, each process keeps its own copy
# and sees another process's change within a minute. Only a shared cache also holds the sessions.
# Django's own Redis backend. A former subclass kept one Redis client per pool through the backend's
# private attributes: with redis-py 8 it measured no faster (a cache read ~165 µs either way).
CACHE_URL = env.redis_url("CACHE_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
CACHE_IS_SHARED = CACHE_URL is not None
# How long the back-office dashboard's figures are kept before they are counted again.
BACKOFFICE_DASHBOARD_CACHE_SECONDS = env.int("BACKOFFICE_DASHBOARD_CACHE_SECONDS", 300, minimum=0)
if CACHE_IS_SHARED:
    # Sessions read from the shared cache, written through to the database (they survive a cache
    # restart): one query less on every request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Celery: eager when no broker is configured, so the portal runs with nothing else.
CELERY_BROKER_URL = env.redis_url("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=10)}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "sessions-cleanup": {"task": "mybusiness.tasks.clear_expired_sessions", "schedule": crontab(minute=17, hour=3)},
    # Certificates whose delivery date has come (Europe/Paris), and any whose email was lost.
    "certificates-issue-due": {"task": "certificates.tasks.issue_due_certificates", "schedule": crontab(minute="*/5")},
    # Re-queues the cloud hand-offs a lost message left behind (broker down, worker killed).
    "orders-sweep-lost-handoffs": {"task": "orders.tasks.sweep_lost_handoffs", "schedule": 60.0},
    # Re-queues the emails of the outbox still unsent (lost message, killed worker, mail server down).
    "mybusiness-sweep-unsent-emails": {"task": "mybusiness.tasks.sweep_unsent_emails", "schedule": 60.0},
    # The dashboard's lead times of the months just closed, counted before the day's first visit.
    "backoffice-keep-closed-months": {
        "task": "backoffice.tasks.keep_closed_months", "schedule": crontab(minute=7, hour=0)
    },
    # Sends again the webhook messages due (a failed try's delay over, a lost queue message, a killed worker).
    "webhooks-sweep": {"task": "webhooks.tasks.sweep_webhooks", "schedule": 60.0},
    # Forgets the API's answers kept for an Idempotency-Key once API_IDEMPOTENCY_HOURS have passed.
    "mybusiness-purge-idempotent-requests": {
        "task": "mybusiness.tasks.purge_idempotent_requests", "schedule": crontab(minute=47, hour=3)
    },
    # Deletes the outbox emails sent long ago (unsent and failed ones stay).
    "mybusiness-purge-sent-emails": {
        "task": "mybusiness.tasks.purge_sent_emails", "schedule": crontab(minute=37, hour=3)
    },
}
# A hand-off still not notified this long after it was queued is queued again by the sweep.
HANDOFF_SWEEP_AFTER_SECONDS = env.int("HANDOFF_SWEEP_AFTER_SECONDS", 180, minimum=0)
# An outbox email still unsent this long after it was queued is queued again by the sweep; after a failed
# send it waits OUTBOX_RETRY_AFTER_SECONDS, doubled at each failure (at most an hour), and after
# OUTBOX_MAX_FAILURES failures it is given up and shown as failed in the admin.
OUTBOX_SWEEP_AFTER_SECONDS = env.int("OUTBOX_SWEEP_AFTER_SECONDS", 180, minimum=0)
OUTBOX_RETRY_AFTER_SECONDS = env.int("OUTBOX_RETRY_AFTER_SECONDS", 60, minimum=0)
OUTBOX_MAX_FAILURES = env.int("OUTBOX_MAX_FAILURES", 8, minimum=1)
# A sent email stays this many days in the outbox (what the admin shows support), then the nightly purge
# deletes it.
OUTBOX_KEEP_SENT_DAYS = env.int("OUTBOX_KEEP_SENT_DAYS", 90, minimum=1)
# Webhooks (webhooks.services): a message still pending this long after it was queued is queued again by
# the sweep; a failed try waits WEBHOOK_RETRY_SECONDS, doubled each time (at most an hour), for
# WEBHOOK_RETRY_HOURS, then the endpoint is disabled. Plain http:// and this machine's addresses (loopback)
# only where allowed (the demo, the tests); private networks never.
WEBHOOK_SWEEP_AFTER_SECONDS = env.int("WEBHOOK_SWEEP_AFTER_SECONDS", 120, minimum=0)
WEBHOOK_RETRY_SECONDS = env.int("WEBHOOK_RETRY_SECONDS", 10, minimum=1)
WEBHOOK_RETRY_HOURS = env.int("WEBHOOK_RETRY_HOURS", 24, minimum=1)
WEBHOOKS_ALLOW_HTTP_LOCALHOST = env.bool("WEBHOOKS_ALLOW_HTTP_LOCALHOST", default=DEBUG)

# The admin's CSV imports (django-import-export): only who may add sites or opportunities imports them.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"

# Service levels, in working days (Monday to Friday, French public holidays off: mybusiness.workdays):
# a submitted order is due for review, a validated order's activation is due for the cloud team.
ORDER_REVIEW_WORKING_DAYS = env.int("ORDER_REVIEW_WORKING_DAYS", 2, minimum=1)
ACTIVATION_WORKING_DAYS = env.int("ACTIVATION_WORKING_DAYS", 2, minimum=1)

# Shared UI pieces.
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
PARTNER_PRICE_SHEET_URL = env.str("PARTNER_PRICE_SHEET_URL", "https://www.divalto.example/partenaires/tarifs")

# Security. Production defaults are strict; each can be relaxed by a variable
# (e.g. SECURE_SSL_REDIRECT=false behind a TLS-terminating proxy on loopback).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", False) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): only our own scripts and styles, no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

"""Settings for the K-City Network Proposal Portal.

Every value that differs between the embedded default (no environment set: SQLite and a filesystem broker
under var/) and production (DATABASE_URL, REDIS_URL) is read here, once, from the environment.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="embedded-mode-only-not-a-secret-kcity-portal-0123456789abcdef")
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY")  # required: refuses to start without it
    # A weak key (what `check --deploy` would only warn about) signs sessions and password-reset links: refuse it
    # at start, by the same measure as Django's check (length, distinct characters, the insecure prefix).
    if (
        len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
        or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)
    ):
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is too weak for DEBUG off: use {SECRET_KEY_MIN_LENGTH} or more random characters "
            f"(with at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones), e.g. "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(64))'"
        )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("SITE_NAME", default="K-City Network")  # in e-mails ("Hello from ...") and the Sites row
# IATI: the reporting organisation (MOLIT) and its organisation identifier; a project's activity identifier is
# "<ref>-<proposal reference>". KR-GOV-... is the Korean government's prefix on the IATI organisation registry.
IATI_REPORTING_ORG_REF = env("IATI_REPORTING_ORG_REF", default="KR-GOV-1613000")
IATI_REPORTING_ORG_NAME = env("IATI_REPORTING_ORG_NAME",
                              default="Ministry of Land, Infrastructure and Transport (MOLIT), Republic of Korea")

INSTALLED_APPS = [
    # Before the admin: modeltranslation's admin classes and its translation.py autodiscovery.
    "modeltranslation",
    "core.admin_site.PortalAdminConfig",  # django.contrib.admin, its app list built only where shown
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files: /api/docs/ works offline
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "axes",
    "django_countries",
    "django_celery_beat",
    "import_export",
    "rules.apps.AutodiscoverRulesConfig",
    "core",
    "kcity",
    "audit",
    "accounts",
    "notifications",
    "proposals",
    "consulting",
    "committee",
    "cooperation",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",  # the Content-Security-Policy block below
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kcity.urls"
WSGI_APPLICATION = "kcity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notices",
                "proposals.context_processors.staff_inbox",
                "kcity.context_processors.site_section",
            ],
        },
    },
    {
        # Plain text (e-mail subjects and bodies, minutes): no HTML escaping, or "R&D" arrives as "R&amp;D".
        # Rendered with `using="text"`; the HTML engine above stays the default for every page.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "autoescape": False,
            "context_processors": ["django.template.context_processors.i18n", "django.template.context_processors.tz"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kcity.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Worker, beat and web share the file: wait for a lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # A transaction that reads then writes (the outbox's "still pending? then send") must hold the write lock
    # from its start, or two processes both read "pending" and both send; WAL lets pages read meanwhile.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL;"
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# core.compiled's reads as server-side prepared statements on PostgreSQL (planned once per connection, not on each
# request): off behind a pooler that hands a connection to another client between transactions (PgBouncer in
# transaction mode), where a statement prepared on one session is not there on the next.
# Their plan is the generic one, made once (the server would otherwise plan a list's page for each viewer again,
# several times what running it costs); plan_cache_mode governs prepared statements alone, and these are the only
# ones Django sends.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_PREPARED_STATEMENTS:
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c plan_cache_mode=force_generic_plan".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.ModelBackend",  # Django's and allauth's, the request's user read by a compiled statement
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "proposals:workspace"
SITE_ID = 1

# django-allauth: e-mail is the login, and it must be verified before the first sign-in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
ACCOUNT_ADAPTER = "accounts.adapter.PortalAccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.signup.PortalSignupForm"}
ACCOUNT_PREVENT_ENUMERATION = True  # sign-up, reset and sign-in never say whether an address is registered
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[K-City Network] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_RATE_LIMITS = {"login_failed": None}  # django-axes owns lockout

# django-axes: lock an e-mail address out after repeated failed sign-ins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "accounts.axes.username_from_request"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_VERBOSE = False
# Lockout is per account on purpose: officials of one ministry often share an office address, and locking
# a whole ministry out because one colleague mistyped would be worse than the risk axes.W006 warns about.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ko", _("Korean")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("id", _("Indonesian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content staff keep in the back office (programmes, tracks, next steps, rubric criteria, session types, centres)
# gets one column per language (django-modeltranslation, <app>/translation.py); what a language lacks falls
# back to English, and core.templatetags.translated marks that text with lang="en".
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# The admin's language tabs (modeltranslation's TabbedTranslationAdmin) need jQuery UI: our own copy, not a CDN
# (the CSP allows scripts from this site only, and the back office works offline).
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
FORMAT_MODULE_PATH = ["kcity.formats"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "private")  # never served directly: see proposals views
# Uploads: the private folder in embedded mode; with AWS_STORAGE_BUCKET_NAME set, an S3 (or S3-compatible, with
# AWS_S3_ENDPOINT_URL) bucket that every web and worker host reaches. Either way attachments are private: they are
# only read through the permission-checking download views (file.open(), never .path or .url). django-storages
# and boto3 are imported only when the bucket is set, so the embedded install does not need them.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # Empty (as Compose passes an unset variable) means AWS itself; a URL: MinIO, Ceph, another S3 store.
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment, or the host's role (boto3).
            "default_acl": "private",
            "querystring_auth": True,  # a URL, if one is ever built, is signed and expires; none is served
            "file_overwrite": False,  # two uploads of "report.pdf" get distinct names, as on the filesystem
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "core.static_files.PortalStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
ATTACHMENT_MAX_PER_PROPOSAL = env.int("ATTACHMENT_MAX_PER_PROPOSAL", default=30)
# What a Word/Excel file may declare it expands to (its ZIP directory is read, never inflated): see attachments.py
ATTACHMENT_OFFICE_MAX_UNCOMPRESSED_BYTES = env.int(
    "ATTACHMENT_OFFICE_MAX_UNCOMPRESSED_BYTES", default=200 * 1024 * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600

# E-mail: by default files under var/mail/ that a person can open; SMTP when EMAIL_URL is set.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="K-City Network <no-reply@kcity-network.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# Celery: Redis when REDIS_URL is set, otherwise a filesystem broker under var/broker/ (kcity.broker: kombu's
# filesystem transport with atomic message files; see there).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A broker that does not answer must not hold a submission for the OS's TCP timeout: fail fast, the outbox
    # row waits for the redrive sweep (notifications.services._enqueue).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 3}
else:
    BROKER_DIR = env.path("BROKER_DIR", default=VAR_DIR / "broker")
    for _folder in ("queue", "processed", "control"):
        (Path(BROKER_DIR) / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "kcityfs://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(Path(BROKER_DIR) / "queue"),
        "data_folder_out": str(Path(BROKER_DIR) / "queue"),
        "processed_folder": str(Path(BROKER_DIR) / "processed"),
        "control_folder": str(Path(BROKER_DIR) / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Worker and beat ride out a broker outage of any length: they retry the connection forever (kombu backs off
# 2, 4, 6 ... up to 30 s between attempts) and resume by themselves. A finite budget made the worker exit ~6 s
# and beat ~12 s into an outage, and nothing was delivered until someone restarted them. The web process does
# not use this budget: it publishes with CELERY_TASK_PUBLISH_RETRY_POLICY, short, and the outbox redrive sends
# what it could not publish.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CHANNEL_ERROR_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat has a worker record that it is alive (kcity.tasks.worker_heartbeat); /healthz reports the age of the
# latest record, so a worker that is gone, or a broker that delivers nothing, shows there.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=30)
WORKER_HEARTBEAT_STALE_SECONDS = env.int("WORKER_HEARTBEAT_STALE_SECONDS", default=3 * WORKER_HEARTBEAT_SECONDS)
CELERY_BEAT_SCHEDULE = {
    "kcity: worker heartbeat": {
        "task": "kcity.tasks.worker_heartbeat",
        "schedule": float(WORKER_HEARTBEAT_SECONDS),
        # A heartbeat held up by an outage is worthless later: drop it rather than run a backlog of them.
        "options": {"expires": WORKER_HEARTBEAT_SECONDS},
    },
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to "no cache" (rate limits fail open, with a log line) while Redis is down: see kcity.cache.
            "BACKEND": "kcity.cache.DegradingRedisCache",
            "LOCATION": env("REDIS_CACHE_URL", default=REDIS_URL),
            # An unreachable Redis costs a request at most about a second, not the OS's TCP timeout.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }

# Sessions: in the database without Redis (embedded mode). With Redis, "cached_db": reads come from Redis, so
# several web processes share a session without a database read per request, but every write also goes to the
# database, which stays the truth. A cache-only session would sign everyone out when Redis restarts or evicts;
# and while Redis is down (kcity.cache degrades to "nothing cached") cached_db falls back to the database, so
# people can still sign in and stay signed in.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "accounts.sessions"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ExpiringTokenAuthentication",  # DRF's token with an expiry (API_TOKEN_TTL_DAYS)
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.schema.PortalAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PortalPageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # The public open-data API (opendata.api) is throttled per client address; the other endpoints need a token.
    "DEFAULT_THROTTLE_RATES": {"open_data": env("OPEN_DATA_API_RATE", default="120/minute")},
}

# --- API tokens (issue 8): days an API token lives; it also ends on a password change or deactivation.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)

SPECTACULAR_SETTINGS = {
    "TITLE": "K-City Network Proposal Portal API",
    "DESCRIPTION": "Proposals, pre-consulting, committee review and cooperation projects of MOLIT's K-City Network.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",  # tags by resource (proposals, auth, ...), not "v1"
    # One name per choice set that several serializers share (otherwise spectacular invents hashed names).
    "ENUM_NAME_OVERRIDES": {
        "ProposalStatusEnum": "proposals.workflow.Status",
        "OrganisationKindEnum": "accounts.models.OrganisationKind",
        "AttachmentKindEnum": "proposals.models.AttachmentKind",
        "CooperationSideEnum": "cooperation.models.Side",  # delegations, action items, work items: one set of sides
        "CountryRuleEnum": "proposals.models.CountryRule",
        "WorkItemStatusEnum": "cooperation.models.WorkStatus",  # milestones and deliverables
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
COUNTRIES_FIRST = ["KR"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

# --- Content-Security-Policy (django-csp 4) ---------------------------------------------------------------
# Only the portal's own files run or style a page: no inline <script>, no on*= handlers, no style="" attributes,
# no nonces needed (templates use static/js/*.js and portal.css classes). Pages of third-party apps are kept
# within it too: the API docs use drf-spectacular's split view (its init script is a separate file) and a
# template without the inline <style>; import-export's export page gets its inline handler bound from a file.
# "data:" images: Bootstrap and Swagger UI draw icons as data: SVGs in their CSS. Browser tests fail on any
# violation (tests/e2e/conftest.py).
from csp.constants import NONE, SELF  # noqa: E402 (kept with the block it configures)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)

"""Settings, read from environment variables with embedded defaults.

Embedded mode (the default): SQLite in WAL mode in the project folder, a database-backed job
queue worked by `manage.py db_worker`, mail to the console. Production mode
(`TRITHUC_ENV=production`): PostgreSQL from DATABASE_URL, RQ on Redis, secure cookies, HSTS.
See docs/deploy.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


ENVIRONMENT = env("TRITHUC_ENV", "embedded")
PRODUCTION = ENVIRONMENT == "production"
TESTING = env_bool("TRITHUC_TESTING", False)

DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
# The embedded default key is only for a local, single-machine demo; production refuses it.
SECRET_KEY = env("DJANGO_SECRET_KEY", "" if PRODUCTION else "embedded-insecure-key-change-me")
if PRODUCTION and len(SECRET_KEY) < 50:
    raise RuntimeError("DJANGO_SECRET_KEY must be set (50+ random characters) in production.")

# Encrypts TOTP secrets and sensitive fields at rest (trithuc.core.crypto); production sets it
# explicitly so that rotating SECRET_KEY does not make stored secrets unreadable.
TRITHUC_ENCRYPTION_KEY = env("TRITHUC_ENCRYPTION_KEY", "" if PRODUCTION else SECRET_KEY)
if PRODUCTION and len(TRITHUC_ENCRYPTION_KEY) < 32:
    raise RuntimeError("TRITHUC_ENCRYPTION_KEY must be set (32+ random characters) in production.")

# How many reverse proxies (nginx…) stand in front and append to X-Forwarded-For; the audit
# log takes the client address from them. 0: clients connect directly.
TRITHUC_TRUSTED_PROXIES = int(env("TRITHUC_TRUSTED_PROXIES", "1" if PRODUCTION else "0"))

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "simple_history",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "trithuc.core",
    "trithuc.organizations",
    "trithuc.accounts",
    "trithuc.registry",
    "trithuc.linkage",
    "trithuc.plans",
    "trithuc.notifications",
    "trithuc.insights",
    "trithuc.intake",
    "django_countries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "trithuc.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "trithuc.accounts.middleware.RequireStaffMFAMiddleware",
    # AxesMiddleware turns a lockout into the lockout page; it must come last.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Serves the collected static files (with far-future caching) behind nginx or alone.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "trithuc.urls"
# Widgets render through the project's templates, so a widget can have its own template.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "trithuc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "trithuc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trithuc.navigation.navigation",
            ],
        },
    },
]

# ---- database -----------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if TESTING else 60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the job worker writes.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs more than it saves on the platform's queries (a filtered list
    # of 200,000 people: 600 ms with it, 190 ms without); TRITHUC_PG_JIT=on restores it.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = f"-c jit={env('TRITHUC_PG_JIT', 'off')}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "trithuc.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
# No e-mail to an address that has no account: the reset form would otherwise let anyone
# make the server write to any address.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Wrong passwords: django-axes locks the account name at the tenth failure (below), so
# allauth's per-name limit is set just above it. allauth's limit is what stops guessing of
# the 6-digit TOTP code (ten wrong codes per account per 15 minutes), which axes never sees.
# Per-IP limits are generous: a whole agency often signs in from one NAT address.
ACCOUNT_RATE_LIMITS = {
    "login": "300/m/ip",
    "login_failed": "300/m/ip,10/900s/key",
}
MFA_ADAPTER = "trithuc.accounts.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Trí Thức"

AXES_FAILURE_LIMIT = int(env("TRITHUC_LOCKOUT_FAILURES", "10"))
AXES_COOLOFF_TIME = float(env("TRITHUC_LOCKOUT_HOURS", "0.5"))  # hours
# Lock by account name (existing or not, so a lockout reveals nothing about existence).
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "trithuc.accounts.lockout.attempted_username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Locking by IP as well would lock a whole agency behind one NAT address after ten typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# ---- i18n ---------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# Our own catalogue (Vietnamese msgids) first; then Vietnamese for third-party English msgids.
LOCALE_PATHS = [BASE_DIR / "trithuc" / "locale", BASE_DIR / "trithuc" / "locale_thirdparty"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# ---- static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("TRITHUC_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Front-end libraries come from npm (node_modules) and are served by us: agency networks
# are often closed, so no CDN.
STATICFILES_DIRS = [
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
# The public statistics are recomputed at most once per this many seconds (insights).
INSIGHTS_PUBLIC_CACHE_SECONDS = int(env("INSIGHTS_PUBLIC_CACHE_SECONDS", "600"))
# The place written in documents' date line ("Hà Nội, ngày …") when the issuing body's
# administrative unit does not say it.
TRITHUC_PLACE_NAME = env("TRITHUC_PLACE_NAME", "")
# TrueType fonts with Vietnamese glyphs for the PDF reports (npm package dejavu-fonts-ttf).
TRITHUC_PDF_FONT_DIR = Path(
    env("TRITHUC_PDF_FONT_DIR", str(BASE_DIR / "node_modules" / "dejavu-fonts-ttf" / "ttf"))
)
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
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("TRITHUC_MEDIA_ROOT", str(BASE_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# ---- jobs ---------------------------------------------------------------------------------
TASKS: dict[str, dict[str, object]]
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif PRODUCTION or env("TRITHUC_TASKS", "") == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    INSTALLED_APPS += ["django_rq"]
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
# `manage.py rqworker default` must run tasks with django-tasks' job class.
RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}

# ---- cache --------------------------------------------------------------------------------
if PRODUCTION:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# ---- mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # implicit TLS, usually port 465
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Trí Thức <no-reply@localhost>")
# The address of the site as recipients reach it: links in e-mails are built on it.
TRITHUC_SITE_URL = env("TRITHUC_SITE_URL", "http://127.0.0.1:8000")

# ---- daily work and reminders (manage.py run_scheduler) ------------------------------------
# Local time (TIME_ZONE) at which the scheduler queues the daily work.
TRITHUC_DAILY_AT = env("TRITHUC_DAILY_AT", "06:30")
# Days before a report's due date, and before a task's deadline, that the agency is reminded.
TRITHUC_PLAN_REMINDER_DAYS = [int(d) for d in env_list("TRITHUC_PLAN_REMINDER_DAYS", "7,1")]
TRITHUC_TASK_REMINDER_DAYS = [int(d) for d in env_list("TRITHUC_TASK_REMINDER_DAYS", "30,7")]

# ---- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a missing or wrong token then answers 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["trithuc.core.api.permissions.RestrictedPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "trithuc.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "trithuc.core.api.views.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Trí Thức API",
    "DESCRIPTION": "API của nền tảng Trí Thức (Nghị quyết 45-NQ/TW).",
    "VERSION": "0.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # Choice sets used by two components (an indicator in the list and in detail).
    "ENUM_NAME_OVERRIDES": {
        "IndicatorKindEnum": "trithuc.insights.models.Indicator.Kind",
        "IndicatorStatusEnum": "trithuc.insights.indicators.STATUSES",
    },
}

# ---- security (production) ----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
}

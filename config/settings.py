"""Settings of the AMO Etudiants platform, read from the environment (README: Configuration)."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("AMO_DEBUG", False)
# In debug (demo, tests) a fixed development key is acceptable; in production it must be given.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "amo.common",
    "amo.accounts",
    "amo.organisations",
    "amo.referentials",
    "amo.notifications",
    "amo.enrollment",
    "amo.imports",
    "amo.contributions",
    "amo.eligibility",
    "amo.coverage",
    "amo.approvals",
    "amo.claims",
    "amo.documents",
    "amo.web",
    "amo.api",
]

MIDDLEWARE = [
    "amo.common.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "amo.common.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "amo.web.middleware.NulByteMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "amo.web.middleware.DomainErrorMiddleware",
]

if not DEBUG:  # production serves collected static files itself; debug uses the finders
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amo.web.context_processors.platform",
            ],
        },
    },
]

# Database: SQLite file in the project folder by default, PostgreSQL when DATABASE_URL says so.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. WAL lets readers read while it writes; every transaction
    # takes the write lock when it begins (IMMEDIATE), so that it waits for it instead of failing
    # half-way; a writer waits up to SQLITE_BUSY_TIMEOUT seconds for the lock ("database is
    # locked" after that). Long work (a national list) is done in short transactions
    # (amo/imports/services.py), so that no one waits long.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"

# Lockout after repeated failures (django-axes): per account and address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Rights lookups an account may make in any minute (page and API together); each one is logged.
COVERAGE_LOOKUPS_PER_MINUTE = env_int("COVERAGE_LOOKUPS_PER_MINUTE", 60)

# Internationalisation: French by default, Arabic right to left. Message ids are English.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "amo_language"
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work: django-tasks with its database backend; worker: manage.py db_worker.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# E-mail: SMTP when EMAIL_HOST is given. Without it, in debug (demo, tests) messages are caught in
# the demo mailbox, a page anyone can read; in production they stay in the outbox when
# EMAIL_KEEP_IN_OUTBOX says so, otherwise the platform refuses to start (check notifications.E001).
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "AMO Etudiants <no-reply@amo-etudiants.ma>")
DEMO_MAILBOX = DEBUG and not EMAIL_HOST
EMAIL_KEEP_IN_OUTBOX = not EMAIL_HOST and not DEMO_MAILBOX and env_bool("EMAIL_KEEP_IN_OUTBOX", False)
EMAIL_BACKEND = (
    "amo.notifications.mailbox.MailboxBackend" if DEMO_MAILBOX else "django.core.mail.backends.smtp.EmailBackend"
)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)

# The other-coverage check: "platform" answers from the registry kept in this platform (ANAM's
# side, eligibility/registry.py); "external" waits for ANAM's verdict file or API call.
ANAM_CHECKER = env_str("ANAM_CHECKER", "platform")

# CNOPS's call centre, printed on pages and in messages (DOMAIN.md §2).
CALL_CENTRE_PHONE = env_str("CALL_CENTRE_PHONE", "05 38 00 20 20")

# Transport and browser security (README: Production). Safe by default outside debug; each toggle
# can be relaxed for a local plain-HTTP trial of the production settings.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Behind a reverse proxy that ends TLS: trust its X-Forwarded-Proto (and only then).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER", False) else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Sent on every page (amo.common.middleware): scripts and styles from our own static files only,
# no inline code (templates use data- attributes read by web/app.js), no framing, forms to us.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# The interactive API documentation and its OpenAPI schema: open in debug, behind a login (session
# or API token) in production.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", DEBUG)

# Logs on the standard error, one `key=value` line per record with the request's id (amo.common.logs);
# LOG_FORMAT=plain for Django's usual lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "amo.common.logs.RequestIdFilter"}},
    "formatters": {
        "keyvalue": {"()": "amo.common.logs.KeyValueFormatter"},
        "plain": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env_str("LOG_FORMAT", "keyvalue"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# The health endpoint (/health/, README: Production): the worker counts as stopped when a task has
# waited longer than this without being claimed, the outbox as behind when an e-mail has.
HEALTH_WORKER_MINUTES = env_int("HEALTH_WORKER_MINUTES", 10)
HEALTH_OUTBOX_MINUTES = env_int("HEALTH_OUTBOX_MINUTES", 30)

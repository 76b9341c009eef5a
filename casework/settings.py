"""Casework settings, read from the environment.

Development needs nothing set: `make run` turns DEBUG on, and the app then uses SQLite and writes
e-mail to files under `var/`. Production sets DEBUG off and must provide SECRET_KEY; see README.md
for the full list of variables.
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CASEWORK_VAR_DIR", BASE_DIR / "var"))


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def dev_secret_key():
    """A random key kept in var/ so that sessions survive a restart of the development server."""
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # A guessable key would let anyone forge sessions and opt-out links.
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = dev_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "guardian",
    "django_tasks_db",
    "axes",
    "casework.accounts",
    "casework.teams",
    "casework.feedback",
    "casework.cases",
    "casework.intake",
    "casework.outreach",
    "casework.privacy",
    "casework.insights",
    "casework.integrations",
    "casework.scheduling",
    "casework.demo",
]

MIDDLEWARE = [
    # First, so that every line logged about a request carries its id.
    "casework.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, which answers static files itself: an SVG or a file opened directly gets the
    # policy and the framing ban too (tests/attack/test_static_and_errors.py).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "casework.accounts.idle.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "casework.middleware.PrivateCacheMiddleware",
    "casework.middleware.RefusalLogMiddleware",
    # Last, so that it turns a lockout noticed anywhere in the request into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casework.urls"
WSGI_APPLICATION = "casework.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casework.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'casework.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a worker or an import writes; IMMEDIATE avoids the
    # "database is locked" error a deferred transaction hits when it upgrades to a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in while the account or the address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Every person who signs in is a named user; nothing is ever granted to an anonymous one.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False
GUARDIAN_MONKEY_PATCH_GROUP = False

# Argon2id first (OWASP's recommendation): memory-hard against guessing on GPUs, and about half the CPU
# time of Django's PBKDF2 per sign-in (0.28 s against 0.56 s here), which matters when a whole office
# signs in at nine (README, "Load test"). Older PBKDF2 hashes still work and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:mine"
LOGOUT_REDIRECT_URL = "login"
# A session ends after this long without a request (sliding: every minute of work moves it on;
# accounts/idle.py). The session row and the cookie expire with it.
CASEWORK_SESSION_IDLE_MINUTES = env_int("CASEWORK_SESSION_IDLE_MINUTES", 8 * 60)
if CASEWORK_SESSION_IDLE_MINUTES < 5:
    raise ImproperlyConfigured("CASEWORK_SESSION_IDLE_MINUTES must be 5 or more.")
SESSION_COOKIE_AGE = CASEWORK_SESSION_IDLE_MINUTES * 60
# Sessions remember whose they are, so deactivating an account ends them all (accounts/sessions.py).
SESSION_ENGINE = "casework.accounts.sessions"

# Failed sign-ins (django-axes, accounts/throttle.py): strict per account, loose per client address
# so that an office behind one address is not locked out by its own typos.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env_int("CASEWORK_LOGIN_FAILURES_PER_ACCOUNT", 5)
CASEWORK_LOGIN_FAILURES_PER_ADDRESS = env_int("CASEWORK_LOGIN_FAILURES_PER_ADDRESS", 100)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("CASEWORK_LOGIN_LOCKOUT_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # no record of every successful sign-in; failures are what matter
AXES_HANDLER = "casework.accounts.throttle.AccountAndAddressHandler"
AXES_USERNAME_CALLABLE = "casework.accounts.throttle.username_for_throttling"
AXES_LOCKOUT_CALLABLE = "casework.accounts.throttle.locked_out"
AXES_CLIENT_IP_CALLABLE = "casework.accounts.clients.client_address"
# How many reverse proxies in front of the app append to X-Forwarded-For (0: use the peer address).
CASEWORK_TRUSTED_PROXIES = env_int("CASEWORK_TRUSTED_PROXIES", 0)

# Languages: every UI string and e-mail exists in English and Latvian.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("lv", _("Latvian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Riga")
USE_I18N = True
USE_TZ = True

# Uploads (CSV imports) are private: they are never served as media, only read by the import.
MEDIA_ROOT = VAR_DIR / "uploads"
MEDIA_URL = "/uploads-are-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
CASEWORK_IMPORT_MAX_BYTES = env_int("CASEWORK_IMPORT_MAX_BYTES", 1024 * 1024 * 1024)

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Collected at deployment (`collectstatic`, `make serve`, the image build); the image keeps them outside
# CASEWORK_VAR_DIR, which is a volume there.
STATIC_ROOT = Path(env("CASEWORK_STATIC_ROOT") or VAR_DIR / "staticfiles")
# whitenoise warns when the folder is missing, and tests treat warnings as errors.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
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

# E-mail: files under var/mail/ unless an SMTP server is configured.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Casework <casework@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if env("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("SMTP_HOST"),
                "port": env_int("SMTP_PORT", 587),
                "username": env("SMTP_USER"),
                "password": env("SMTP_PASSWORD"),
                "use_tls": env_bool("SMTP_STARTTLS", default=True),
                "use_ssl": env_bool("SMTP_SSL", default=False),
                "timeout": env_int("SMTP_TIMEOUT", 30),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# Background work: in-process by default; production runs `manage.py worker`, which also runs the
# periodic jobs below.
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[env("TASKS_BACKEND", "immediate")],
    }
}

# Periodic jobs run by `manage.py worker` (README, "Worker and scheduled jobs"): name → (cron expression
# in TIME_ZONE, dotted path of a function called without arguments). Add a job with one line here; the
# worker makes sure only one worker runs a job at a time, and `manage.py check` validates the list.
CASEWORK_PERIODIC_JOBS = {
    "escalate": ("*/5 * * * *", "casework.cases.escalation.escalate_overdue"),
    "send-outbox": ("*/5 * * * *", "casework.outreach.sending.send_due"),
    "staff-assignment-mail": ("*/2 * * * *", "casework.outreach.staffmail.send_assignment_emails"),
    "staff-overdue-digest": ("0 7 * * 1-5", "casework.outreach.staffmail.send_overdue_digests"),
    "retention": ("30 2 * * *", "casework.privacy.retention.apply_retention"),
    "send-webhooks": ("* * * * *", "casework.integrations.delivery.deliver_due"),
    # Managers who opted in get their teams' figures of the week just ended, Monday morning.
    "weekly-figures": ("0 7 * * 1", "casework.insights.weekly.send_weekly_figures"),
}

# Security headers. Pages carry no inline script or style, so the policy needs no 'unsafe-inline'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    if env_bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Logs (casework/logs.py): one JSON object per line in production (LOG_FORMAT=json), readable lines in
# development; every line carries the id of its request, task or periodic job run.
LOG_FORMAT = env("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'text'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "casework.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "casework.logs.JsonFormatter"},
        "text": {"()": "casework.logs.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (mail to ADMINS, runserver's request lines with their query strings, which
        # may hold a name someone searched for) give way to the root's console handler and
        # casework.request's one line per request; 4xx are logged by casework.security without values.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "ERROR", "propagate": True},
        "django.request": {"handlers": [], "level": "ERROR", "propagate": True},
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

# Casework's own settings.
CASEWORK_COMPANY_NAME = env("CASEWORK_COMPANY_NAME", "Casework demo")
CASEWORK_CASE_PREFIX = "CW-"
# Personal data is anonymised this many days after it was received; unset means 3 calendar years
# (README, "Retention", says how they are counted).
CASEWORK_RETENTION_DAYS = env_int("CASEWORK_RETENTION_DAYS", None)
if CASEWORK_RETENTION_DAYS is not None and CASEWORK_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("CASEWORK_RETENTION_DAYS must be a number of days, 1 or more.")
# Fingerprints of erased people, outside the database so that a restored backup can be erased again.
CASEWORK_ERASURE_LEDGER = env("CASEWORK_ERASURE_LEDGER", str(VAR_DIR / "erasure-ledger.jsonl"))
# Due times count "calendar" hours or the team's "business" hours (Mon–Fri, working day, time zone).
CASEWORK_DUE_CLOCK = env("CASEWORK_DUE_CLOCK", "calendar")
if CASEWORK_DUE_CLOCK not in ("calendar", "business"):
    raise ImproperlyConfigured("CASEWORK_DUE_CLOCK must be 'calendar' or 'business'.")
# Outreach: where links in e-mails point, and how hard the outbox tries before giving up.
CASEWORK_BASE_URL = env("CASEWORK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CASEWORK_DELIVERY_ATTEMPTS = env_int("CASEWORK_DELIVERY_ATTEMPTS", 5)
CASEWORK_RETRY_SECONDS = env_int("CASEWORK_RETRY_SECONDS", 60)
# A worker that claimed a notification and died (killed mid-delivery) holds it this long; then the
# outbox sweep sends it. Longer than any SMTP conversation (SMTP_TIMEOUT), or two workers could both send.
CASEWORK_DELIVERY_LEASE_SECONDS = env_int("CASEWORK_DELIVERY_LEASE_SECONDS", 300)
CASEWORK_OPTOUT_MAX_AGE_DAYS = env_int("CASEWORK_OPTOUT_MAX_AGE_DAYS", 365)
# Replies (README, "Replies from respondents"): e-mails to respondents carry Reply-To
# reply+<signed token>@CASEWORK_REPLY_DOMAIN; unset, replies go to the staff member's own mailbox.
CASEWORK_REPLY_DOMAIN = env("CASEWORK_REPLY_DOMAIN", "")
CASEWORK_INBOUND_MAX_BYTES = env_int("CASEWORK_INBOUND_MAX_BYTES", 10 * 1024 * 1024)
CASEWORK_REPLY_MAX_CHARS = env_int("CASEWORK_REPLY_MAX_CHARS", 10_000)
# Ingestion limits (DESIGN.md, "Ingestion API").
CASEWORK_API_MAX_BODY_BYTES = env_int("CASEWORK_API_MAX_BODY_BYTES", 5 * 1024 * 1024)
CASEWORK_API_MAX_BATCH = 1000
CASEWORK_COMMENT_MAX_LENGTH = env_int("CASEWORK_COMMENT_MAX_LENGTH", 5000)
# Outbound webhooks (README, "Outbound webhooks").
CASEWORK_WEBHOOKS_ALLOW_PRIVATE = env_bool("CASEWORK_WEBHOOKS_ALLOW_PRIVATE", default=False)
CASEWORK_WEBHOOK_ATTEMPTS = env_int("CASEWORK_WEBHOOK_ATTEMPTS", 12)
CASEWORK_WEBHOOK_RETRY_SECONDS = env_int("CASEWORK_WEBHOOK_RETRY_SECONDS", 30)
CASEWORK_WEBHOOK_PAUSE_AFTER = env_int("CASEWORK_WEBHOOK_PAUSE_AFTER", 10)
CASEWORK_WEBHOOK_TIMEOUT_SECONDS = env_int("CASEWORK_WEBHOOK_TIMEOUT_SECONDS", 10)
CASEWORK_WEBHOOK_LEASE_SECONDS = env_int("CASEWORK_WEBHOOK_LEASE_SECONDS", 60)
# Clocks of survey tools drift; an answer stamped this far in the future is still accepted.
CASEWORK_CLOCK_SKEW_SECONDS = env_int("CASEWORK_CLOCK_SKEW_SECONDS", 300)

"""Settings for ITA Portal, driven by environment variables.

Every value that differs between a laptop and production comes from the environment, read
through the small typed helpers below, which refuse values they cannot understand instead of
guessing. Without any variable set the portal runs in debug mode on a SQLite file, so that a
fresh checkout works at once; `DATABASE_URL` selects PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "ita_portal.apps.PlatformAdminConfig",  # django.contrib.admin, for platform staff only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "accounts",
    "assessments",
    "measures",
    "oversight",
    "onboarding",
    "dashboard",
    "reports",
    "oit",
    "jobs",
    "audit",
    # The project itself, the top floor: what spans several apps (the seed and demo commands).
    "ita_portal.apps.ProjectConfig",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Thai unless the language cookie says otherwise; never from the browser's Accept-Language.
    "ita_portal.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After the user and request.htmx are known: ends idle and old sessions.
    "accounts.sessions.SessionLimitsMiddleware",
    # Marks a session verified by a two-factor code; then no page until the code is given.
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.TwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Who and from which address, for every audit entry written during the request.
    "audit.middleware.AuditMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ita_portal.urls"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.membership",
            ],
        },
    },
]

WSGI_APPLICATION = "ita_portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Keep each worker's connection for a minute instead of opening one per request
        # (docs/development/national-scale.md has the figures); checked before reuse, so a
        # restarted database costs one failed check, not a failed request. 0 closes it after
        # every request, as in development.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# At least 10 characters, not one of the 20,000 common passwords Django ships, not like the
# user's name or e-mail, not only digits (the messages are Thai through locale/th).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A session ends after this long without a request, and this long after signing in whatever
# happens (accounts/sessions.py). The cookie outlives the idle limit by the minute within which
# the last request's time is written, so that the server's check is the one that decides.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
SESSION_MAX_AGE_HOURS = env_int("SESSION_MAX_AGE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60 + 60
# django-axes throttles repeated failed sign-ins (per username and address, and per username
# from every address with a higher limit: accounts.signins.AccountThrottle) and keeps every
# sign-in and failure in tables that admins read in the admin site.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the membership and its organisation with the user.
    "accounts.backends.MemberBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # a float is read as hours
AXES_ACCOUNT_FAILURE_LIMIT = env_int("AXES_ACCOUNT_FAILURE_LIMIT", 20)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "accounts.signins.AccountThrottle"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# Every failure as a row of its own (AccessAttempt only counts them, and a good sign-in deletes
# that count), so that admins can read who failed when, from where.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Two-factor sign-in (accounts/two_factor.py): the name authenticator apps show for the account.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "ITA Portal")

# The audit log (django-auditlog; see audit/registry.py for what is recorded). Entries live in
# audit.Entry, which adds the organisation (indexed) and the kind of event to the library's model.
AUDITLOG_LOGENTRY_MODEL = "audit.Entry"
AUDITLOG_STORE_JSON_CHANGES = True
# Loading a fixture or a backup is not a change anyone made: the backup carries its own entries.
AUDITLOG_DISABLE_ON_RAW_SAVE = True
# The row as it is in the database, bin or not, is what a change is compared with.
AUDITLOG_USE_BASE_MANAGER = True
# How long entries are kept: `manage.py prune_audit_log` deletes older ones (0 keeps them all).
AUDIT_LOG_RETENTION_YEARS = env_int("AUDIT_LOG_RETENTION_YEARS", 5)
# The versions of each plan row (django-simple-history: measures/history.py) are the row's own
# record, kept as long as the row: its history page and the progress report of a past day read
# them. They record; they never change a row, so the admin's "revert to this version" (which
# would write around the plan's state, its stale-edit check and its units) is off.
SIMPLE_HISTORY_REVERT_DISABLED = True

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language switch sets this cookie; kept for a year so that the choice is remembered across
# sign-outs and browser restarts (Django's default lasts only as long as the browser session).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", not DEBUG)
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The upload limit for evidence files; Django's own limit on request bodies sits just above it
# so that an oversized upload reaches the form and gets a Thai message instead of a 400.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = EVIDENCE_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The OIT link check opens URLs that organisations typed: addresses inside the server's own
# network (127.0.0.1, 10.x, 192.168.x, link-local metadata services) are refused unless this is
# on, as only the tests of the check need (they run against a local server).
OIT_LINK_CHECK_PRIVATE_ADDRESSES = env_bool("OIT_LINK_CHECK_PRIVATE_ADDRESSES", False)

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Behind nginx every request comes from the proxy's address; the client's is the one the
    # proxy appended to X-Forwarded-For. Without a proxy that header is the client's own
    # invention, so it is read only here (sign-in throttling and records per address).
    AXES_CLIENT_IP_CALLABLE = "lib.http.client_ip"
# How many proxies append to X-Forwarded-For (nginx alone: 1; a load balancer before it: 2).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
X_FRAME_OPTIONS = "DENY"
# The HSTS preload list binds every subdomain of the registered domain (for a government office,
# a domain it may share): opting in is the domain owner's decision, so the deploy check's
# reminder about it is silenced unless SECURE_HSTS_PRELOAD turns it on.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# The portal's pages load only its own files: no inline script or style, no other site's
# resources, no plugins, and no framing (X_FRAME_OPTIONS above for older browsers). Charts are
# inline SVG with presentation attributes only, which style-src does not govern; Bootstrap's
# icons and a few of its components use data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ITA Portal <noreply@localhost>")
# Links in e-mails need the address people reach the portal at: this one when set (production);
# unset, an invitation sent from a page links to the address that page was reached at, and mail
# sent with no page behind it (digests, scheduled notices) to the development server (lib.http.portal_base_url).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "").rstrip("/")
# How long an invitation link (to set one's own password) stays valid.
INVITATION_TIMEOUT_DAYS = env_int("INVITATION_TIMEOUT_DAYS", 7)
# "ลืมรหัสผ่าน?" (accounts/password_reset.py): how long a reset link works, and how many reset
# e-mails one address may be sent, and one client address may ask for, within an hour.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_MINUTES", 60) * 60
PASSWORD_RESET_PER_EMAIL_PER_HOUR = env_int("PASSWORD_RESET_PER_EMAIL_PER_HOUR", 3)
PASSWORD_RESET_PER_IP_PER_HOUR = env_int("PASSWORD_RESET_PER_IP_PER_HOUR", 20)
# The reset throttle counts in the cache. Django's default, memory of one process, counts per
# process: with several gunicorn workers set CACHE_URL to a Redis all of them share.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}

# Long work (area PDF zips, big exports and imports) runs as Celery jobs with Redis as broker.
# Without CELERY_BROKER_URL the jobs run eagerly, in the request that starts them, so that a
# fresh checkout and `make run` need no Redis. The queue name lets several portals (or test
# runs) share one Redis without taking each other's jobs.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "ita-portal")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A job's state, progress and file live in jobs.Job, not in a Celery result backend.
CELERY_TASK_IGNORE_RESULT = True
# Jobs take minutes: a worker process reserves one at a time, so an idle one can take the next.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Worker processes on a machine: one per core, as the PDFs are CPU work; each process is
# replaced after 50 jobs because WeasyPrint's memory creeps up with every PDF.
CELERY_WORKER_CONCURRENCY = env_int("JOBS_WORKER_CONCURRENCY", os.cpu_count() or 1)
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
# A job still running after JOBS_TIME_LIMIT seconds is stopped and marked failed.
JOBS_TIME_LIMIT = env_int("JOBS_TIME_LIMIT", 60 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = JOBS_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = JOBS_TIME_LIMIT + 60
# Exports of more rows than this, and imports of files larger than this, run as jobs.
JOBS_EXPORT_MIN_ROWS = env_int("JOBS_EXPORT_MIN_ROWS", 5000)
JOBS_IMPORT_MIN_BYTES = env_int("JOBS_IMPORT_MIN_BYTES", 512 * 1024)
# Results (and the jobs) are deleted after this many days by `manage.py sweep_jobs`.
JOBS_KEEP_DAYS = env_int("JOBS_KEEP_DAYS", 7)
# A running job reports progress after every step; one that has not for this long is taken
# for lost (its worker died) and marked failed; so is a queued job no worker took in this time.
JOBS_STALE_MINUTES = env_int("JOBS_STALE_MINUTES", 15)

# ZIP-based uploads (.docx/.xlsx/.pptx, OpenDocument, the imports) are refused before anything
# is unpacked past these limits (lib/packages.py).
UPLOAD_ZIP_MAX_UNPACKED_BYTES = env_int("UPLOAD_ZIP_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
UPLOAD_ZIP_MAX_RATIO = env_int("UPLOAD_ZIP_MAX_RATIO", 100)
UPLOAD_ZIP_MAX_MEMBERS = env_int("UPLOAD_ZIP_MAX_MEMBERS", 2000)
# The scheduled scans, run by `celery -A ita_portal beat` (deploy/ita-portal-beat.service), in
# the portal's time zone (Asia/Bangkok): the weekly digest of rows due within 14 days and late
# rows (to each unit's staff, with a summary to the admins) on Monday morning, and every
# morning the rows that have just gone 30 days without a progress note. Without a broker there
# is no beat: run the same work with `manage.py send_digests`.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "weekly-due-digest": {
        "task": "measures.weekly_digest",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    "daily-no-progress-scan": {
        "task": "measures.no_progress_scan",
        "schedule": crontab(minute=15, hour=7),
    },
    "weekly-oit-digest": {
        "task": "oit.weekly_digest",
        "schedule": crontab(minute=5, hour=7, day_of_week="mon"),
    },
}

# The LINE Messaging API, where notifications are pushed for organisations that set a channel.
# Only the tests change it (a local server standing in for LINE).
LINE_API_HOST = os.environ.get("LINE_API_HOST", "https://api.line.me")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every step of every PDF at INFO; its warnings still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

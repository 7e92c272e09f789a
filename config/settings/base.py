"""Settings shared by every environment. Values that vary come from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# With REQUIRE_SERVICES=1 (CI) tests that need PostgreSQL, Redis, a Celery worker or the browser
# fail instead of skipping when the service is missing.
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "core",
    "accounts",
    "talent",
    "studios",
    "achievements",
    "alliances",
    "training",
    "mentoring",
    "reports",
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
    "core.middleware.PasswordChangeRequiredMiddleware",
    # AxesMiddleware must be last: it turns a lockout into the lockout page.
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
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: a working day, gone when the browser closes, never readable from JavaScript. Kept in
# the database and read through the cache (Redis in production): no session query per page, and
# nobody is signed out when the cache is flushed.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# django-axes: five wrong passwords lock that account (not the address) for a cool-off.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "accounts.lockout.axes_username"  # cut to the width of axes' table
# Reverse proxies in front of the portal (nginx: 1). With 0, the address recorded for a sign-in
# attempt is REMOTE_ADDR; behind N proxies it is the Nth address from the right of X-Forwarded-For
# (accounts.lockout.client_address), or every attempt would carry the proxy's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Third-party assets come from npm (package.json + lock) and are served from here, never a CDN.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files are private: they live outside the static tree and are only served by views
# that apply the permission rules. There is deliberately no public MEDIA_URL route.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# Upload limits enforced by core.uploads (and by Django for the request as a whole).
PORTAL_UPLOAD_MAX_BYTES = env.int("PORTAL_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
PORTAL_IMAGE_MAX_PIXELS = env.int("PORTAL_IMAGE_MAX_PIXELS", default=40_000_000)
DATA_UPLOAD_MAX_NUMBER_FILES = 20
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_PAGE_RANGE = 8
PORTAL_PAGE_SIZE = 25
PORTAL_EXPORT_MAX_ROWS = env.int("PORTAL_EXPORT_MAX_ROWS", default=200_000)
# Lines of one download of mentors' rewards (each line is a pairing's months worked out): above it
# the page asks for a unit. ≈ 10 s of a worker at 100,000.
MENTORING_REWARDS_EXPORT_MAX_LINES = env.int("MENTORING_REWARDS_EXPORT_MAX_LINES", default=100_000)
# Training sign-in: each QR code shown in the room is accepted this many seconds (the room page
# draws a new one every minute); a trainee's feedback link lasts this long.
TRAINING_SIGN_IN_MAX_AGE = env.int("TRAINING_SIGN_IN_MAX_AGE", default=600)
TRAINING_FEEDBACK_MAX_AGE = env.int("TRAINING_FEEDBACK_MAX_AGE", default=60 * 24 * 3600)
# A trainee may sign in to a session from this many minutes before it starts until it ends.
TRAINING_SIGN_IN_EARLY_MINUTES = 60

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PORTAL_SITE_URL = env("PORTAL_SITE_URL", default="http://127.0.0.1:8000")
PORTAL_NAME = _("Innovation Studio Management Portal")

# Celery: Redis as broker when REDIS_URL is set; otherwise tasks run in-process (eager).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 55 * 60
# With acks_late, the broker (Redis) hands an unacknowledged task to another worker once this many
# seconds have passed since it was delivered: that is how a task whose worker died gets done. It
# must stay above the longest task — the annual report's hard time limit (REPORTS_TIME_LIMIT) plus
# its longest retry countdown — or a report still being built would be delivered a second time.
# (The worker-kill test sets a short one so that the redelivery comes within the test.)
BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # The whole company's annual report for the year just ended (reports.tasks). It runs every day
    # of January: the first run makes the report and later runs find it made (they try again only
    # after a failure), so a beat that was down on 1 January still makes it.
    "annual-company-report": {
        "task": "reports.tasks.annual_company_report",
        "schedule": crontab(minute=30, hour=2, month_of_year=1),
    },
    # Annual reports under way whose build task was lost (a Redis restart, a worker that died
    # holding the only message) are sent to the workers again (reports.services.report_sweep).
    "annual-report-sweep": {
        "task": "reports.tasks.report_sweep",
        "schedule": 5 * 60,
    },
    # The dashboards' tallies: units marked by writes whose own counting did not run (a process
    # that died between commit and count), or everything after a bulk load (reports.tallies).
    "tallies-sweep": {
        "task": "reports.tasks.tallies_sweep_task",
        "schedule": 5 * 60,
    },
}

# Annual reports: time limits of one build (seconds; the soft one fails the report with a clear
# message), retries of transient errors (with backoff), and a fault-injection pause in seconds
# after each indicator — 0 in real use; the worker-kill test sets it to kill a worker mid-report.
REPORTS_SOFT_TIME_LIMIT = env.int("REPORTS_SOFT_TIME_LIMIT", default=45 * 60)
REPORTS_TIME_LIMIT = env.int("REPORTS_TIME_LIMIT", default=50 * 60)
REPORTS_MAX_RETRIES = env.int("REPORTS_MAX_RETRIES", default=3)
REPORTS_BUILD_PAUSE = env.float("REPORTS_BUILD_PAUSE", default=0)
# A report queued or running that has not moved for this many seconds, with nobody building it, is
# sent to the workers again by the sweeper. Above the longest retry countdown (10 minutes), so that
# a report waiting for its retry is left to it.
REPORTS_SWEEP_AFTER = env.int("REPORTS_SWEEP_AFTER", default=15 * 60)

# Dashboards (reports.dashboard): stale figures (an audited write since they were computed) are
# recomputed in the request when their last computation took under DASHBOARD_INLINE_SECONDS;
# slower ones (a national tree's root) are served with their time while one worker task
# recomputes them, at most one at a time per page for DASHBOARD_REFRESH_LOCK_SECONDS.
DASHBOARD_INLINE_SECONDS = env.float("DASHBOARD_INLINE_SECONDS", default=1.0)
# The dashboards read their figures from the tallies (reports.tallies: counted by the indicators'
# definitions, kept current by every audited write). Off: computed from the data at each refresh.
# The test settings turn it off, since fixtures write rows without the services; the tallies'
# own tests turn it on and hold both ways equal.
DASHBOARD_TALLIES = env.bool("DASHBOARD_TALLIES", default=True)
DASHBOARD_REFRESH_LOCK_SECONDS = env.int("DASHBOARD_REFRESH_LOCK_SECONDS", default=5 * 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

SILENCED_SYSTEM_CHECKS = [
    # Lockout is per account on purpose: colleagues behind one factory NAT share an address, and
    # one person's typos must not lock the whole workshop out (see AXES_LOCKOUT_PARAMETERS).
    "axes.W006",
]

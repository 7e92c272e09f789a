"""Test settings: the same as production in behaviour, fast hashing, mail kept in memory."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-use-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=tempfile.mkdtemp(prefix="portal-test-media-")))
# Tests run tasks in-process; the Celery integration test starts a real worker against REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# 403 and 404 answers are the point of many tests; keep their log lines out of the output.
LOGGING = {
    **LOGGING,
    "loggers": {**LOGGING["loggers"], "django.request": {"level": "ERROR"}, "axes": {"level": "ERROR"}},
}

# Fixtures write rows directly (no service, no audit, no tally mark): the dashboards compute from
# the data; tests/reports/test_tallies.py turns the tallies on and holds them to the same figures.
DASHBOARD_TALLIES = False

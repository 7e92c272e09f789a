"""The benchmark's settings (`make bench`, `make load`): production's, served over plain HTTP on
the loopback address by gunicorn.

Everything production does stays on — DEBUG=False, static files served by whitenoise,
Redis as cache, the same middleware, templates and password hashers — except what
needs TLS or a public name: no HTTPS redirect, no Secure-only cookies, no HSTS, and the hosts are
127.0.0.1/localhost. The runner (bench/) passes SECRET_KEY (random per run), DATABASE_URL (the
tier's database), REDIS_URL and STATIC_ROOT (a collectstatic into a temporary folder).
"""

import os

os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from .production import *  # noqa: F403
from .production import env

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False

STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# Static files are collected plainly, without production's manifest (hashed names, gzip and brotli
# copies): the benchmark requests no static file and a page differs only in the names it links to,
# while compressing echarts' bundles takes minutes of CPU on a small machine.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# A deployment keeps its database connections (gunicorn's sync workers serve one request at a
# time, so one connection per worker): the benchmark does too, unless told otherwise.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# One Redis database can hold several tiers' caches side by side: each server its own key prefix.
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default=CACHES["default"].get("KEY_PREFIX", "portal"))
# The benchmark's list pages show 50 rows (issue #7: "a 50-row list page").
PORTAL_PAGE_SIZE = env.int("PORTAL_PAGE_SIZE", default=50)

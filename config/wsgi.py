"""WSGI entry point (gunicorn config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

from config.gc_freeze import freeze_as_the_worker_warms  # noqa: E402 - once Django is set up

warming = freeze_as_the_worker_warms()

"""Production settings: Django's deployment checks pass (the same command as the CI step), a weak
or missing secret is refused, DEBUG cannot be switched on, and a 500 is mailed to ADMINS."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def production(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py (or `python -c` with args[0] == "-c") with config.settings.production."""
    environment = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests (Playwright) in this process.
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "ADMINS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not key.startswith(("PYTEST_", "SECURE_", "SESSION_", "CSRF_"))
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    command = [sys.executable, *args] if args[0] == "-c" else [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def good_env(**extra: str) -> dict:
    return {"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "portal.example.com", **extra}


SHOW_SETTINGS = """
import json, logging, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ADMINS": settings.ADMINS,
    "mailers": sorted(type(h).__name__ for h in logging.getLogger("django").handlers if hasattr(h, "send_mail")),
}))
"""


def test_deployment_checks_pass_with_production_settings():
    result = production("check", "--deploy", "--fail-level", "WARNING", **good_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_check_does_fail_on_a_weak_secret():
    result = production("check", "--deploy", "--fail-level", "WARNING", **good_env(SECRET_KEY="short-secret"))
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_does_not_start_without_a_secret_key_or_hosts():
    result = production("-c", SHOW_SETTINGS, ALLOWED_HOSTS="portal.example.com")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
    result = production("-c", SHOW_SETTINGS, SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_debug_stays_off_and_errors_are_mailed_to_admins_when_set():
    result = production("-c", SHOW_SETTINGS, **good_env(DEBUG="1"))
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["DEBUG"] is False and shown["ADMINS"] == []

    result = production("-c", SHOW_SETTINGS, **good_env(ADMINS="Ops Team <ops@example.com>, it@example.com"))
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["ADMINS"] == [["Ops Team", "ops@example.com"], ["", "it@example.com"]]
    # One mailer on the "django" logger (Django's mail_admins): one mail per error, not two.
    assert shown["mailers"] == ["AdminEmailHandler"]


@pytest.mark.parametrize("setting", ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"])
def test_switching_off_a_transport_setting_is_caught_by_the_check(setting):
    result = production("check", "--deploy", "--fail-level", "WARNING", **good_env(**{setting: "0"}))
    assert result.returncode != 0, f"{setting}=0 passed the deployment check"

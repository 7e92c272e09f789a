"""Password rules on every path that sets a password: under 12 characters, common, all digits or
like the account's e-mail are refused by the password change page, the service behind it, the
installation bootstrap and createsuperuser; the temporary passwords given at account creation and
reset pass the same rules. A scan of the code finds every place that sets a password."""

from __future__ import annotations

import ast
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import services
from accounts.models import User

from ..factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parent.parent.parent

WEAK = {
    "11 characters": "Zk7-pq2-Lm9",
    "common": "qwerty123456",
    "common too": "1qaz2wsx3edc",
    "all digits": "830274615092",
    "like the e-mail": "lead2@example.com",
}
STRONG = "Ankle-Teapot-Orbit-26"


@pytest.mark.parametrize("password", WEAK.values(), ids=WEAK.keys())
def test_the_password_change_page_refuses_weak_passwords(world, client_as, password):
    account = world.target_lead
    account.email = "lead2@example.com"
    account.save(update_fields=["email"])
    client = client_as(account)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["new_password2"]
    account.refresh_from_db()
    assert account.check_password(TEST_PASSWORD)


@pytest.mark.parametrize("password", WEAK.values(), ids=WEAK.keys())
def test_the_service_refuses_weak_passwords_from_any_caller(world, password):
    account = world.target_lead
    account.email = "lead2@example.com"
    account.save(update_fields=["email"])
    with pytest.raises(ValidationError):
        services.user_password_change(user=account, new_password=password)
    account.refresh_from_db()
    assert account.check_password(TEST_PASSWORD)


def test_a_strong_password_is_accepted(world, client_as):
    client = client_as(world.target_lead)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    world.target_lead.refresh_from_db()
    assert world.target_lead.check_password(STRONG)


def test_temporary_passwords_of_new_and_reset_accounts_pass_the_rules(world):
    seen = set()
    for index in range(20):
        user, password = services.user_create(
            actor=world.unit_cadre, username=f"new{index}", name=f"新人{index}", role="studio_lead", unit=world.plant_a1
        )
        reset = services.user_password_reset(actor=world.unit_cadre, user=user)
        for temporary in (password, reset):
            assert len(temporary) >= 14
            validate_password(temporary, user)
            seen.add(temporary)
        user.refresh_from_db()
        assert user.must_change_password and user.check_password(reset)
    assert len(seen) == 40


def test_the_bootstrap_refuses_a_weak_password(db, monkeypatch):
    for password in ("short-pw1", "qwerty123456", "830274615092"):
        monkeypatch.setenv("PORTAL_BOOTSTRAP_PASSWORD", password)
        with pytest.raises(CommandError):
            call_command("bootstrap_portal", unit_name="某集团", unit_code="HQ", username="admin", name="张三")
    assert not User.objects.exists()
    monkeypatch.setenv("PORTAL_BOOTSTRAP_PASSWORD", STRONG)
    call_command("bootstrap_portal", unit_name="某集团", unit_code="HQ", username="admin", name="张三", stdout=None)
    assert User.objects.get(username="admin").check_password(STRONG)


class _TTY:
    def isatty(self):
        return True


def test_createsuperuser_asks_again_after_a_weak_password(db, capsys):
    """Django's createsuperuser runs the same validators interactively (its non-interactive mode,
    for scripts, takes DJANGO_SUPERUSER_PASSWORD as given: Django's own behaviour)."""
    typed = iter(["short-pw1", "short-pw1", "qwerty123456", "qwerty123456", STRONG, STRONG])
    answers = iter(["n", "n"])  # "Bypass password validation and create user anyway?": no
    with (
        mock.patch("getpass.getpass", lambda prompt="Password: ": next(typed)),
        mock.patch("builtins.input", lambda prompt="": next(answers)),
    ):
        call_command("createsuperuser", interactive=True, username="root", email="root@example.com", stdin=_TTY())
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 2  # one refusal per weak password (Django's wording, English or Chinese)
    assert "12" in errors[0] and ("too common" in errors[1] or "太常见" in errors[1])
    assert User.objects.get(username="root").check_password(STRONG)


def test_the_admin_offers_no_way_to_set_a_password(world, client_as):
    from django.contrib import admin
    from django.urls import NoReverseMatch

    assert "password" in admin.site._registry[User].exclude
    with pytest.raises(NoReverseMatch):
        reverse("admin:accounts_user_password_change", args=[world.target_lead.pk])


# Every place in the portal's code that sets a password, and why its password is a good one.
PASSWORD_SETTERS = {
    ("accounts/services.py", "user_create"): "a generated 14-character temporary password",
    ("accounts/services.py", "user_password_reset"): "a generated 14-character temporary password",
    ("accounts/services.py", "user_password_change"): "validate_password first",
    ("accounts/services.py", "organisation_bootstrap"): "validate_password first",
    # Load-test accounts written in bulk (core/scale) with one fixed 15-character password.
    ("core/management/commands/seed_scale.py", "handle"): "a fixed load-test password",
}


def _password_setters():
    found = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "node_modules/", "tests/")) or "/migrations/" in relative:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call):
                    name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                    if name in {"set_password", "make_password", "set_unusable_password"}:
                        found.add((relative, function.name))
    return found


def test_no_unknown_code_sets_a_password():
    unknown = _password_setters() - set(PASSWORD_SETTERS)
    assert not unknown, f"code that sets a password without going through the rules: {sorted(unknown)}"

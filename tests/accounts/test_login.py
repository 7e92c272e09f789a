"""Sign-in security: lockout after five failures (per account), password rules, forced change."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from core.models import AuditEvent

from ..factories import TEST_PASSWORD

LOGIN = "/login/"


def sign_in(client, username, password, ip="10.1.2.3"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_good_password_signs_in_and_lands_home(world, client):
    response = sign_in(client, "lead", TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_wrong_password_shows_a_chinese_error(world, client):
    response = sign_in(client, "lead", "wrong-password")
    assert response.status_code == 400
    assert "请输入一个正确的" in response.content.decode()


def test_five_failures_lock_the_account_and_are_audited(world, client):
    for _ in range(4):
        assert sign_in(client, "lead", "wrong").status_code == 400
    response = sign_in(client, "lead", "wrong")
    assert response.status_code == 429
    assert "账户已锁定" in response.content.decode()
    # Even the right password is refused during the cool-off.
    assert sign_in(client, "lead", TEST_PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action="login_locked", object_id=str(world.studio_lead.pk)).count() == 1
    assert services.user_is_locked(world.studio_lead)


def test_another_account_on_the_same_address_is_not_locked(world, client):
    for _ in range(5):
        sign_in(client, "lead", "wrong", ip="10.9.9.9")
    assert sign_in(client, "lead2", TEST_PASSWORD, ip="10.9.9.9").status_code == 302


def test_hq_can_unlock_and_the_person_can_sign_in_again(world, client, client_as):
    for _ in range(5):
        sign_in(client, "lead", "wrong")
    hq = client_as(world.hq)
    detail = hq.get(reverse("accounts:user_detail", args=[world.studio_lead.pk]))
    assert 'data-testid="locked-badge"' in detail.content.decode()
    assert hq.post(reverse("accounts:user_unlock", args=[world.studio_lead.pk])).status_code == 302
    hq.logout()
    assert sign_in(client, "lead", TEST_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="unlock").count() == 1
    # Locked again after the unlock: a new lockout, audited again.
    client.logout()
    for _ in range(5):
        sign_in(client, "lead", "wrong")
    assert AuditEvent.objects.filter(action="login_locked", object_id=str(world.studio_lead.pk)).count() == 2


def test_locked_accounts_are_on_the_cadres_to_do_list(world, client, client_as):
    for _ in range(5):
        sign_in(client, "lead", "wrong")
    page = client_as(world.unit_cadre).get(reverse("home")).content.decode()
    assert "登录失败被锁定的账户" in page
    page = client_as(world.unit_cadre_other).get(reverse("home")).content.decode()
    assert "登录失败被锁定的账户" not in page


@pytest.mark.parametrize("password", ["short-pw1", "password1234", "123456789012", "lead2@example.com"])
def test_weak_passwords_are_refused(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, world.target_lead)


def test_a_reset_password_must_be_changed_before_anything_else(world, client):
    temporary = services.user_password_reset(actor=world.hq, user=world.target_lead)
    assert sign_in(client, "lead2", temporary).status_code == 302
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {"old_password": temporary, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("password_change"),
        {"old_password": temporary, "new_password1": "a-much-better-pass-26", "new_password2": "a-much-better-pass-26"},
    )
    assert response.status_code == 302
    world.target_lead.refresh_from_db()
    assert not world.target_lead.must_change_password
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="password_changed", object_id=str(world.target_lead.pk)).count() == 1


def test_missing_csrf_token_is_refused(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.hq)
    response = client.post(reverse("core:notification_read_all"))
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()


def test_session_cookie_is_http_only(world, client):
    response = sign_in(client, "lead", TEST_PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"

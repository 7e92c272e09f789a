"""Lockout after failed sign-ins (django-axes, per account): five wrong passwords lock the account
for the cool-off, on the portal's and the admin's sign-in pages alike; colleagues behind the same
address are not locked; the lockout is audited once (account, address, time) through
accounts.services.user_lockout_record, which core/signals.py calls from axes' user_locked_out
signal; after the cool-off the person signs in again; the locked page is Chinese."""

from __future__ import annotations

import datetime
import re

from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from core.models import AuditEvent

from ..factories import TEST_PASSWORD

LOGIN = "/login/"
ADMIN_LOGIN = "/admin/login/"


def sign_in(client, username, password, ip="10.1.2.3", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def lockouts(user):
    return AuditEvent.objects.filter(
        action="login_locked", content_type__model="user", object_id=str(user.pk)
    ).order_by("created_at")


def signed_in(user) -> Client:
    """A second browser, signed in as `user` (the test's `client` is the one being locked out)."""
    browser = Client()
    browser.force_login(user)
    return browser


def without_csrf_token(response) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())


def lapse_the_cool_off():
    """Move every recorded attempt back beyond the cool-off, as if that much time had passed."""
    lapsed = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=lapsed)


def test_the_fifth_wrong_password_locks_and_the_locked_page_is_chinese(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "lead", "wrong-password").status_code == 400
    assert not services.user_is_locked(world.studio_lead)
    response = sign_in(client, "lead", "wrong-password")
    body = response.content.decode()
    assert response.status_code == 429
    assert "账户已锁定" in body and 'data-testid="locked-message"' in body and 'lang="zh-hans"' in body
    assert services.user_is_locked(world.studio_lead)
    # The right password does not help during the cool-off, from any address.
    assert sign_in(client, "lead", TEST_PASSWORD).status_code == 429
    assert sign_in(client, "lead", TEST_PASSWORD, ip="10.200.0.9").status_code == 429
    assert "_auth_user_id" not in client.session


def test_colleagues_behind_the_same_address_are_not_locked(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lead", "wrong", ip="10.9.9.9")
    assert sign_in(client, "lead", TEST_PASSWORD, ip="10.9.9.9").status_code == 429
    assert sign_in(client, "lead2", TEST_PASSWORD, ip="10.9.9.9").status_code == 302
    client.logout()
    assert sign_in(client, "cadre_a", "one typo", ip="10.9.9.9").status_code == 400
    assert sign_in(client, "cadre_a", TEST_PASSWORD, ip="10.9.9.9").status_code == 302
    assert not services.user_is_locked(world.target_lead) and not services.user_is_locked(world.unit_cadre)


def test_the_lockout_is_audited_once_with_account_address_and_time(world, client):
    started = timezone.now()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lead", "wrong", ip="10.7.7.7")
    # More attempts during the cool-off are refused again but are the same lockout.
    for _ in range(3):
        assert sign_in(client, "lead", "wrong", ip="10.7.7.8").status_code == 429
    [event] = lockouts(world.studio_lead)
    assert event.actor is None and event.object_repr == str(world.studio_lead)
    assert "10.7.7.7" in event.comment
    assert started <= event.created_at <= timezone.now()
    # The cadre who may unlock the account sees it marked as locked.
    page = signed_in(world.unit_cadre).get(reverse("accounts:user_detail", args=[world.studio_lead.pk]))
    assert 'data-testid="locked-badge"' in page.content.decode()


def test_after_the_cool_off_the_person_signs_in(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lead", "wrong")
    assert services.user_is_locked(world.studio_lead)
    todo = signed_in(world.unit_cadre).get(reverse("home")).content.decode()
    assert "登录失败被锁定的账户" in todo

    lapse_the_cool_off()
    # The lock has lapsed for the badge and the to-do list too, before axes cleans its rows up.
    assert not services.user_is_locked(world.studio_lead)
    todo = signed_in(world.unit_cadre).get(reverse("home")).content.decode()
    assert "登录失败被锁定的账户" not in todo
    assert sign_in(client, "lead", TEST_PASSWORD).status_code == 302


def test_a_new_lockout_after_the_cool_off_is_audited_again(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lead", "wrong")
    lapse_the_cool_off()
    AuditEvent.objects.filter(action="login_locked").update(
        created_at=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lead", "wrong", ip="10.3.3.3")
    events = list(lockouts(world.studio_lead))
    assert len(events) == 2 and "10.3.3.3" in events[1].comment


def test_the_admin_sign_in_page_counts_towards_the_same_lock(world, client):
    world.hq.is_staff = True
    world.hq.save(update_fields=["is_staff"])
    for _ in range(3):
        assert sign_in(client, "hq", "wrong", url=ADMIN_LOGIN).status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 3):
        sign_in(client, "hq", "wrong")
    assert services.user_is_locked(world.hq)
    assert sign_in(client, "hq", TEST_PASSWORD, url=ADMIN_LOGIN).status_code == 429
    assert len(lockouts(world.hq)) == 1


def test_an_unknown_username_is_locked_alike_but_audits_nothing(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "nobody-here", "wrong")
    response = sign_in(client, "nobody-here", "wrong")
    known = sign_in(client, "lead", "wrong")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        known = sign_in(client, "lead", "wrong")
    # The same answer whether or not the account exists: the page does not tell which names exist.
    assert response.status_code == known.status_code == 429
    assert without_csrf_token(response) == without_csrf_token(known)
    assert not AuditEvent.objects.filter(action="login_locked").exclude(object_id=str(world.studio_lead.pk)).exists()


def test_a_good_sign_in_resets_the_count(world, client):
    attempts = settings.AXES_FAILURE_LIMIT - 1
    for _ in range(attempts):
        sign_in(client, "lead", "wrong")
    assert sign_in(client, "lead", TEST_PASSWORD).status_code == 302
    client.logout()
    for _ in range(attempts):
        assert sign_in(client, "lead", "wrong").status_code == 400
    assert not services.user_is_locked(world.studio_lead)

"""The address recorded for a sign-in attempt behind a reverse proxy (TRUSTED_PROXY_COUNT,
accounts.lockout.client_address): with no trusted proxy a forged X-Forwarded-For is ignored; behind
one proxy the header's last address is the client's, so that two people behind the proxy are told
apart in axes' attempts and in the lockout's audit event, and each is locked on their own account
only."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client, RequestFactory, override_settings

from accounts import services
from accounts.lockout import client_address
from core.models import AuditEvent

from ..factories import TEST_PASSWORD

LOGIN = "/login/"
PROXY = "10.0.0.2"  # nginx, as the portal sees it
ALICE = "203.0.113.5"
BOB = "198.51.100.7"
FORGED = "192.0.2.66"


def sign_in(client, username, password, *, forwarded=None, remote=PROXY):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def addresses(username) -> set[str]:
    return set(AccessAttempt.objects.filter(username=username).values_list("ip_address", flat=True))


def lockout_comment(user) -> str:
    [event] = AuditEvent.objects.filter(action="login_locked", object_id=str(user.pk))
    return event.comment


def test_without_a_trusted_proxy_a_forged_header_is_ignored(world, client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lead", "wrong", forwarded=FORGED, remote=ALICE)
    assert addresses("lead") == {ALICE}
    assert ALICE in lockout_comment(world.studio_lead) and FORGED not in lockout_comment(world.studio_lead)


def test_behind_one_proxy_the_last_forwarded_address_is_the_clients(world, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # Alice sends her own X-Forwarded-For; nginx appends the address it was reached from.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lead", "wrong", forwarded=f"{FORGED}, {ALICE}")
    assert addresses("lead") == {ALICE}
    comment = lockout_comment(world.studio_lead)
    assert ALICE in comment and PROXY not in comment and FORGED not in comment


def test_two_clients_behind_the_proxy_are_locked_separately(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    alice, bob = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(alice, "lead", "wrong", forwarded=ALICE)
    assert services.user_is_locked(world.studio_lead)
    # Bob comes through the same proxy: his own account is not locked by Alice's failures...
    assert sign_in(bob, "lead2", TEST_PASSWORD, forwarded=BOB).status_code == 302
    assert not services.user_is_locked(world.target_lead)
    # ...and his failures lock the account he tried, recorded with his address, not Alice's.
    bob.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(bob, "cadre_a", "wrong", forwarded=BOB)
    assert services.user_is_locked(world.unit_cadre)
    assert addresses("lead") == {ALICE} and addresses("cadre_a") == {BOB}
    assert BOB in lockout_comment(world.unit_cadre) and ALICE in lockout_comment(world.studio_lead)
    assert AccessAttempt.objects.exclude(ip_address__in=[ALICE, BOB]).count() == 0


def test_a_header_that_is_not_an_address_falls_back_to_the_proxy(world, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for forwarded in ["", "unknown", "<script>", "1.2.3.4.5", "x" * 5000, f"{ALICE}, not-an-ip"]:
        assert sign_in(client, "lead", "wrong", forwarded=forwarded).status_code in (400, 429)  # the 5th locks
    assert addresses("lead") == {PROXY}


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, f"{FORGED}, {ALICE}", PROXY),
        (1, None, PROXY),
        (1, ALICE, ALICE),
        (1, f"{FORGED}, {ALICE}", ALICE),
        (1, f" {FORGED} ,  {ALICE} ", ALICE),
        (2, f"{FORGED}, {ALICE}, 10.0.0.9", ALICE),  # a CDN in front of nginx
        (2, ALICE, PROXY),  # fewer hops than trusted: the request did not come through them all
        (1, "2001:DB8::1", "2001:db8::1"),
    ],
)
def test_client_address(hops, forwarded, expected):
    meta = {"REMOTE_ADDR": PROXY}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().post(LOGIN, **meta)
    with override_settings(TRUSTED_PROXY_COUNT=hops):
        assert client_address(request) == expected


def test_axes_asks_the_portal_for_the_address():
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "accounts.lockout.client_address"
    assert django_settings.TRUSTED_PROXY_COUNT == 0  # the default: no proxy is trusted

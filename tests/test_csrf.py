"""CSRF: every POST the resolver can reach is refused without a valid token.

For every URL (the permission matrix's, and the admin's), as a role the matrix lets POST there
(else HQ; anonymous where only anonymous may), a client that enforces CSRF checks posts with no
token, then with a wrong one: 403, the portal's own Chinese "form expired" page, and no row
changed. A control post with the right token proves the refusal came from the token alone. No
view is exempt from the check.
"""

from __future__ import annotations

import re
import secrets

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .matrix import LOGIN
from .test_permission_matrix import MATRIX, _admin_kwargs, _state, all_url_names, row_for

REFUSED = (403, 404, 405, LOGIN)
CJK = re.compile(r"[\u4e00-\u9fff]")
# Views that may take a POST without a token, with the reason. None so far.
CSRF_EXEMPT: dict[str, str] = {}


def _poster(name, row) -> str:
    """A role the matrix lets post at `name` (the check must not hide behind a refusal), else HQ."""
    for role in ("hq", "unit_cadre", "studio_lead", "other_lead", "unit_cadre_other", "expert", "viewer"):
        if row.post[role] not in REFUSED:
            return role
    return "anonymous" if row.post["anonymous"] not in REFUSED else "hq"


def _url(name, row, world):
    if name == "admin:catch_all_view":
        return "/admin/nothing-here/"
    if name.startswith("admin:") and name not in MATRIX:
        return reverse(name, kwargs=_admin_kwargs(all_url_names()[name]))
    return reverse(name, kwargs=row.kwargs(world))


def _names():
    return sorted(name for name in all_url_names() if row_for(name) is not None or name == "admin:catch_all_view")


def _client(world, role) -> Client:
    client = Client(enforce_csrf_checks=True)
    if world.user(role) is not None:
        client.force_login(world.user(role))
    return client


def _assert_csrf_page(response, label):
    assert response.status_code == 403, f"{label}: {response.status_code}"
    assert "403_csrf.html" in [t.name for t in response.templates], f"{label}: not the portal's CSRF page"
    page = response.content.decode()
    assert 'lang="zh-hans"' in page and CJK.search(page), f"{label}: the page is not in Chinese"


@pytest.mark.parametrize("name", _names())
def test_a_post_without_a_valid_token_is_refused_and_changes_nothing(name, world):
    row = row_for(name)
    role = _poster(name, row) if row is not None else "hq"
    url = _url(name, row, world)
    client = _client(world, role)
    before = _state()
    _assert_csrf_page(client.post(url, {"comment": "x"}), f"POST {url} as {role} without a token")
    # A cookie and a token that do not belong together.
    client.cookies[settings.CSRF_COOKIE_NAME] = secrets.token_hex(16)
    wrong = client.post(url, {"csrfmiddlewaretoken": secrets.token_hex(32), "comment": "x"})
    _assert_csrf_page(wrong, f"POST {url} as {role} with a wrong token")
    assert _state() == before, f"a POST refused for its token changed data at {url}"


@pytest.mark.parametrize(
    "name", ["studios:studio_recommend", "accounts:profile", "core:notification_read_all", "login"]
)
def test_the_right_token_passes_so_the_refusal_above_was_the_tokens(name, world):
    row = row_for(name)
    role = _poster(name, row)
    url = _url(name, row, world)
    client = _client(world, role)
    client.get(reverse("login") if role == "anonymous" else reverse("home"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(url, {"csrfmiddlewaretoken": token})
    expected = row.post[role]
    assert response.status_code == (302 if expected == LOGIN else expected), (url, role, response.status_code)


def test_no_view_is_exempt_from_the_csrf_check():
    exempt = sorted(
        name
        for name, pattern in all_url_names().items()
        if getattr(pattern.callback, "csrf_exempt", False) and name not in CSRF_EXEMPT
    )
    assert not exempt, f"views exempt from CSRF without a reason in CSRF_EXEMPT: {exempt}"

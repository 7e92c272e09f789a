"""The permission matrix: every URL the resolver knows × anonymous and every role × GET and POST.

Each cell has its expected answer written down here. A URL that is not in MATRIX (or covered by
a namespace rule) fails `test_every_url_is_in_the_matrix`, so a new view cannot be forgotten.
A refused POST (4xx, or a redirect to the login page) must leave every row unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Unit, User
from core.models import AuditEvent, Notification

from .factories import NotificationFactory

ROLES = ("anonymous", "hq", "unit_cadre", "unit_cadre_other", "studio_lead", "expert", "viewer")
SIGNED_IN = ROLES[1:]
LOGIN = "login"  # a 302 to the login page


def cells(default=None, **overrides) -> dict:
    """Expected answers per role; `default` covers the roles not named."""
    table = dict.fromkeys(ROLES, default)
    table.update(overrides)
    missing = [role for role, value in table.items() if value is None]
    if missing:
        raise ValueError(f"no expectation for {missing}")
    return table


def signed_in(default, **overrides) -> dict:
    """Anonymous → login page; every signed-in role `default` unless overridden."""
    return cells(default, anonymous=LOGIN, **overrides)


@dataclass
class Row:
    get: dict
    post: dict
    kwargs: Callable = field(default=lambda world: {})


def unit_a1(world):
    return {"pk": world.plant_a1.pk}


def target_lead(world):
    return {"pk": world.target_lead.pk}


def hq_notification(world):
    return {"pk": NotificationFactory(recipient=world.hq).pk}


# Who may see plant A1: HQ, leadership, and branch A's cadre; the lead working in A1 sees its own
# unit but may not open unit pages; branch B's cadre and the expert (in B1) do not see it at all.
UNIT_VIEW = signed_in(200, unit_cadre_other=404, studio_lead=403, expert=404)
UNIT_MANAGE_GET = signed_in(403, hq=200, unit_cadre_other=404, expert=404)
UNIT_MANAGE_POST = signed_in(403, hq=400, unit_cadre_other=404, expert=404)
# The other lead's account: branch A's cadre manages studio-lead accounts in its subtree.
USER_VIEW = signed_in(404, hq=200, unit_cadre=200, viewer=200)
USER_MANAGE_GET = signed_in(404, hq=200, unit_cadre=200, viewer=403)
LIST_GET = signed_in(200, studio_lead=403, expert=403)
LIST_POST = signed_in(405, studio_lead=403, expert=403)

MATRIX: dict[str, Row] = {
    "home": Row(get=signed_in(200), post=signed_in(405)),
    "login": Row(get=cells(302, anonymous=200), post=cells(302, anonymous=400)),
    "logout": Row(get=cells(405), post=cells(302)),
    "password_change": Row(get=signed_in(200), post=signed_in(400)),
    "set_language": Row(get=cells(302), post=cells(302)),
    # accounts: units
    "accounts:unit_list": Row(get=LIST_GET, post=LIST_POST),
    "accounts:unit_create": Row(get=signed_in(403, hq=200), post=signed_in(403, hq=400)),
    "accounts:unit_detail": Row(get=UNIT_VIEW, post=signed_in(405), kwargs=unit_a1),
    "accounts:unit_update": Row(get=UNIT_MANAGE_GET, post=UNIT_MANAGE_POST, kwargs=unit_a1),
    "accounts:unit_move": Row(get=UNIT_MANAGE_GET, post=UNIT_MANAGE_POST, kwargs=unit_a1),
    # accounts: users
    "accounts:user_list": Row(get=LIST_GET, post=LIST_POST),
    "accounts:user_create": Row(
        get=signed_in(403, hq=200, unit_cadre=200, unit_cadre_other=200),
        post=signed_in(403, hq=400, unit_cadre=400, unit_cadre_other=400),
    ),
    "accounts:user_detail": Row(get=USER_VIEW, post=signed_in(405), kwargs=target_lead),
    "accounts:user_update": Row(
        get=USER_MANAGE_GET, post=signed_in(404, hq=400, unit_cadre=400, viewer=403), kwargs=target_lead
    ),
    # Deactivation needs a reason: an empty POST is a form error.
    "accounts:user_deactivate": Row(
        get=USER_MANAGE_GET, post=signed_in(404, hq=400, unit_cadre=400, viewer=403), kwargs=target_lead
    ),
    # The account is active: reactivating it is refused by its state (409), not by the role.
    "accounts:user_activate": Row(
        get=USER_MANAGE_GET, post=signed_in(404, hq=409, unit_cadre=409, viewer=403), kwargs=target_lead
    ),
    "accounts:user_reset_password": Row(
        get=USER_MANAGE_GET, post=signed_in(404, hq=302, unit_cadre=302, viewer=403), kwargs=target_lead
    ),
    # The account is not locked: unlocking is refused by its state.
    "accounts:user_unlock": Row(
        get=USER_MANAGE_GET, post=signed_in(404, hq=409, unit_cadre=409, viewer=403), kwargs=target_lead
    ),
    "accounts:profile": Row(get=signed_in(200), post=signed_in(400)),
    # core
    "core:notification_list": Row(get=signed_in(200), post=signed_in(405)),
    "core:notification_menu": Row(get=signed_in(200), post=signed_in(405)),
    "core:notification_read_all": Row(get=signed_in(405), post=signed_in(302)),
    "core:notification_open": Row(get=signed_in(404, hq=302), post=signed_in(405), kwargs=hq_notification),
    "core:audit_list": Row(get=signed_in(403, hq=200), post=signed_in(403, hq=405)),
}

# Django's admin is for superusers only (and read-only). No portal role is staff, so every admin
# page sends every role to the admin login; the login page itself answers, and the catch-all 404s.
ADMIN_SPECIAL = {
    "admin:login": Row(get=cells(200), post=cells(200)),
    "admin:catch_all_view": None,  # not reversible with kwargs of its own; covered by the rule below
}
ADMIN_DEFAULT = Row(get=cells(302), post=cells(302))

# Sample values for the admin's URL parameters.
ADMIN_KWARGS = {"app_label": "accounts", "object_id": "1", "content_type_id": "1", "url": "nothing-here/"}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def all_url_names() -> dict[str, URLPattern]:
    return dict(_walk(get_resolver().url_patterns))


def _admin_kwargs(pattern: URLPattern) -> dict:
    names = re.findall(r"\(\?P<(\w+)>", str(pattern.pattern.regex.pattern))
    return {name: ADMIN_KWARGS[name] for name in names}


def row_for(name: str) -> Row | None:
    if name in MATRIX:
        return MATRIX[name]
    if name.startswith("admin:"):
        return ADMIN_SPECIAL.get(name, ADMIN_DEFAULT)
    return None


def test_every_url_is_in_the_matrix():
    missing = [name for name in all_url_names() if name not in MATRIX and not name.startswith("admin:")]
    assert not missing, f"URLs without a row in the permission matrix: {missing}"
    stale = [name for name in MATRIX if name not in all_url_names()]
    assert not stale, f"Matrix rows for URLs that no longer exist: {stale}"


def _cases():
    for name in sorted(all_url_names()):
        row = row_for(name)
        if row is None:
            continue
        for role in ROLES:
            for method in ("get", "post"):
                yield pytest.param(name, role, method, id=f"{name}-{role}-{method}")


def _state():
    """Every row of the audited tables, to prove that a refused request changed nothing."""
    return (
        list(Unit.objects.order_by("pk").values_list()),
        list(User.objects.order_by("pk").values_list()),
        list(AuditEvent.objects.order_by("pk").values_list("pk")),
        list(Notification.objects.order_by("pk").values_list()),
    )


@pytest.mark.parametrize(("name", "role", "method"), list(_cases()))
def test_permission_cell(name, role, method, world, client_as):
    pattern = all_url_names()[name]
    row = row_for(name)
    if name.startswith("admin:") and name not in MATRIX:
        url = reverse(name, kwargs=_admin_kwargs(pattern))
        # The admin's catch-all answers 404 to everyone: no such admin page.
        expected = 404 if name == "admin:catch_all_view" else getattr(row, method)[role]
    else:
        url = reverse(name, kwargs=row.kwargs(world))
        expected = getattr(row, method)[role]
    client = client_as(world.user(role))
    before = _state()
    response = getattr(client, method)(url)
    if expected == LOGIN:
        assert response.status_code == 302, f"{method.upper()} {url} as {role}: {response.status_code}"
        assert response["Location"].startswith(reverse("login")), response["Location"]
    else:
        assert response.status_code == expected, f"{method.upper()} {url} as {role}: {response.status_code}"
    refused = expected == LOGIN or (isinstance(expected, int) and expected >= 400)
    if refused and method == "post":
        # The exception: a refused login attempt is recorded by django-axes, not by the portal.
        assert _state() == before, f"refused POST {url} as {role} changed data"

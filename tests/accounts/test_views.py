"""Pages of units and accounts: bad input never writes and never 500s; exports and queries are scoped."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from accounts.choices import Role
from accounts.models import Unit, User
from core.models import AuditEvent

from ..factories import UnitFactory, UserFactory


def counts():
    return Unit.objects.count(), User.objects.count(), AuditEvent.objects.count()


UNIT_BAD_INPUTS = [
    ({}, "name"),
    ({"name": "", "code": "Z1"}, "name"),
    ({"name": "新单位", "code": ""}, "code"),
    ({"name": "新单位", "code": "有 空 格"}, "code"),
    ({"name": "新单位", "code": "A1"}, "code"),  # duplicate
    ({"name": "新单位", "code": "a1"}, "code"),  # duplicate, other case
    ({"name": "x" * 101, "code": "Z1"}, "name"),
    ({"name": "新单位", "code": "Z" * 33}, "code"),
    ({"name": "新单位", "code": "Z1", "kind": "galaxy"}, "kind"),
    ({"name": "新单位", "code": "Z1", "parent": "999999"}, "parent"),
    ({"name": "新单位", "code": "Z1", "parent": "abc"}, "parent"),
    ({"name": "新单位", "code": "'; DROP TABLE accounts_unit; --"}, "code"),
    ({"name": "新单位", "code": "<script>"}, "code"),
    ({"name": "新单位", "code": "Z1😀"}, "code"),
]


@pytest.mark.parametrize(("data", "field"), UNIT_BAD_INPUTS)
def test_unit_create_bad_input(world, client_as, data, field):
    payload = {"parent": world.root.pk, "kind": "plant", **data}
    before = counts()
    response = client_as(world.hq).post(reverse("accounts:unit_create"), payload)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert counts() == before


def test_unit_create_error_messages_are_chinese(world, client_as):
    client = client_as(world.hq)
    response = client.post(reverse("accounts:unit_create"), {"parent": world.root.pk, "code": "Z9", "kind": "plant"})
    assert "这个字段是必填项" in response.content.decode()
    response = client.post(
        reverse("accounts:unit_create"), {"parent": world.root.pk, "name": "新", "code": "a1", "kind": "plant"}
    )
    assert "已有其他单位使用此代码" in response.content.decode()


def test_unit_create_and_show(world, client_as):
    client = client_as(world.hq)
    response = client.post(
        reverse("accounts:unit_create"),
        {"parent": world.plant_a1.pk, "name": "<b>机加车间</b>", "code": "A1-MC", "kind": "workshop"},
    )
    unit = Unit.objects.get(code="A1-MC")
    assert response.status_code == 302 and response["Location"] == unit.get_absolute_url()
    page = client.get(unit.get_absolute_url()).content.decode()
    assert "&lt;b&gt;机加车间&lt;/b&gt;" in page and "<b>机加车间</b>" not in page


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=120), code=st.text(max_size=40), kind=st.text(max_size=12))
def test_unit_create_never_fails_badly(world, client_as, name, code, kind):
    before = counts()
    response = client_as(world.hq).post(
        reverse("accounts:unit_create"), {"parent": world.root.pk, "name": name, "code": code, "kind": kind}
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert counts() == before


USER_BAD_INPUTS = [
    ({"username": ""}, "username"),
    ({"username": "bad name"}, "username"),
    ({"username": "-dash"}, "username"),
    ({"username": "lead"}, "username"),  # taken
    ({"username": "LEAD"}, "username"),  # taken, other case
    ({"name": ""}, "name"),
    ({"name": "长" * 51}, "name"),
    ({"email": "not-an-email"}, "email"),
    ({"phone": "call me"}, "phone"),
    ({"phone": "1" * 30}, "phone"),
    ({"role": "superuser"}, "role"),
    ({"role": Role.HQ_CADRE}, "role"),  # a unit cadre may not give it
    ({"unit": "999999"}, "unit"),
    ({"unit": "plant_b1"}, "unit"),  # outside the cadre's subtree
    ({"username": "u" * 151}, "username"),
]


@pytest.mark.parametrize(("data", "field"), USER_BAD_INPUTS)
def test_user_create_bad_input_from_a_unit_cadre(world, client_as, data, field):
    payload = {"username": "newlead", "name": "新人", "role": Role.STUDIO_LEAD, "unit": world.plant_a1.pk}
    payload.update(data)
    if payload.get("unit") == "plant_b1":
        payload["unit"] = world.plant_b1.pk
    before = counts()
    response = client_as(world.unit_cadre).post(reverse("accounts:user_create"), payload)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert counts() == before


def test_user_create_shows_the_temporary_password_once(world, client_as):
    client = client_as(world.unit_cadre)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "newlead", "name": "新人", "role": Role.STUDIO_LEAD, "unit": world.plant_a1.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "临时密码" in response.content.decode()
    assert User.objects.get(username="newlead").must_change_password


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    username=st.text(max_size=160),
    name=st.text(max_size=60),
    email=st.text(max_size=60),
    phone=st.text(max_size=25),
)
def test_user_update_never_fails_badly(world, client_as, username, name, email, phone):
    before = counts()
    response = client_as(world.unit_cadre).post(
        reverse("accounts:user_update", args=[world.target_lead.pk]),
        {
            "username": username,
            "name": name,
            "email": email,
            "phone": phone,
            "role": "studio_lead",
            "unit": world.plant_a1.pk,
        },
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert counts() == before


def test_deactivation_needs_a_reason_and_then_blocks_sign_in(world, client_as, client):
    url = reverse("accounts:user_deactivate", args=[world.target_lead.pk])
    assert client_as(world.unit_cadre).post(url, {"comment": ""}).status_code == 400
    assert client_as(world.unit_cadre).post(url, {"comment": "退休"}).status_code == 302
    client.logout()
    response = client.post(reverse("login"), {"username": "lead2", "password": "correct-horse-battery-2026"})
    assert response.status_code == 400


def test_move_form_offers_no_unit_below_the_moved_one(world, client_as):
    UnitFactory(code="A1W", parent=world.plant_a1)
    form = client_as(world.hq).get(reverse("accounts:unit_move", args=[world.branch_a.pk])).context["form"]
    offered = {unit.code for unit in form.fields["new_parent"].queryset}
    assert offered == {"HQ", "B", "B1"}


def test_excel_export_holds_only_the_scoped_filtered_rows(world, client_as):
    response = client_as(world.unit_cadre).get(reverse("accounts:user_list"), {"role": "studio_lead", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "用户名"
    assert sorted(row[0] for row in rows[1:]) == ["lead", "lead2"]


def test_list_filters_by_unit_subtree(world, client_as):
    response = client_as(world.hq).get(reverse("accounts:user_list"), {"unit": world.branch_a.pk})
    usernames = sorted(row.record.username for row in response.context["table"].page.object_list)
    assert usernames == ["cadre_a", "lead", "lead2"]


def test_filter_with_a_unit_outside_scope_is_a_form_error_not_a_leak(world, client_as):
    response = client_as(world.unit_cadre).get(reverse("accounts:user_list"), {"unit": world.branch_b.pk})
    assert response.status_code == 200
    assert "unit" in response.context["filter"].form.errors


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url_name", ["accounts:unit_list", "accounts:user_list"])
def test_list_query_count_does_not_grow_with_rows(world, client_as, url_name):
    client = client_as(world.hq)
    url = reverse(url_name)
    client.get(url)  # warm caches (content types, sessions)
    first = _page_queries(client, url)
    for i in range(30):
        unit = UnitFactory(code=f"N{i}", parent=world.branch_a)
        UserFactory(unit=unit)
    second = _page_queries(client, url)
    assert first == second
    assert first <= 8


@pytest.mark.parametrize(
    ("url_name", "target", "expected"),
    [("accounts:unit_detail", "branch_a", 7), ("accounts:user_detail", "target_lead", 5), ("home", None, 21)],
)
def test_detail_query_counts_are_pinned(world, client_as, url_name, target, expected, django_assert_num_queries):
    client = client_as(world.hq)
    url = reverse(url_name, args=[getattr(world, target).pk]) if target else reverse(url_name)
    client.get(url)
    for i in range(10):
        UserFactory(unit=world.branch_a)
        UnitFactory(code=f"M{i}", parent=world.branch_a)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200

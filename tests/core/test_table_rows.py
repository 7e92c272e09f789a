"""The list tables' rows (core.tables.table_rows_html, used by the portal's table template) are the
rows django-tables2's own template loop gives: the same cells, attributes and escaping, for every
list table over poisoned data and for the column features the portal's tables do not use yet."""

from __future__ import annotations

import re
from datetime import date, datetime
from itertools import count
from zoneinfo import ZoneInfo

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import format_html

from accounts.models import Unit, User
from core.tables import DateColumn, DateTimeColumn, table_rows_html

from ..xss_support import SCRIPT, poisoned_world

# The tbody loop of django_tables2/bootstrap5.html, as the portal rendered its rows before.
REFERENCE = Template(
    "{% load l10n %}{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>"
    "{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>"
    "{% if column.localize == None %}{{ cell }}{% else %}{% if column.localize %}{{ cell|localize }}"
    "{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}</td>{% endfor %}</tr>{% endfor %}"
)

LISTS = [
    "studios:studio_list",
    "studios:batch_list",
    "achievements:result_list",
    "achievements:project_list",
    "talent:person_list",
    "talent:campaign_list",
    "training:class_list",
    "mentoring:pairing_list",
    "alliances:alliance_list",
    "alliances:batch_list",
    "accounts:unit_list",
    "accounts:user_list",
    "reports:report_list",
    "core:audit_list",
]


def normalise(html: str) -> str:
    return re.sub(r"<(td|tr) >", r"<\1>", re.sub(r">\s+<", "><", html.strip()))


def reference_rows(table) -> str:
    table._counter = count()  # each BoundRow takes the next number: even/odd start again
    return normalise(REFERENCE.render(Context({"table": table})))


def fast_rows(table) -> str:
    table._counter = count()
    return normalise(table_rows_html(table))


@pytest.fixture
def poisoned(world):
    return poisoned_world(world)


def test_every_list_table_renders_the_rows_django_tables2_renders(world, poisoned, client_as):
    client = client_as(world.hq)
    for name in LISTS:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        table = response.context["table"]
        rows = fast_rows(table)
        assert rows.count("<tr") == len(table.page.object_list) > 0, name
        assert rows == reference_rows(table), name
        assert SCRIPT not in rows, name
        assert normalise(response.content.decode()).count(rows) == 1, name  # the page shows these rows


class Odd(tables.Table):
    """Column features the portal's tables do not use (yet): each must still render as before."""

    username = tables.Column(linkify=True, attrs={"td": {"class": "text-end", "data-x": "<q>"}})
    name = tables.Column(linkify=lambda record: f"/people/?q={record.name}")
    role = tables.Column(attrs={"td": {"data-role": lambda value: value}})
    unit_name = tables.Column(accessor="unit__name", linkify=("accounts:unit_detail", [tables.A("unit__pk")]))
    unit = tables.Column(linkify={"viewname": "accounts:unit_detail", "args": [tables.A("unit__pk")]})
    email = tables.Column(localize=False, default="<none>")
    is_active = tables.BooleanColumn()
    joined_plain = tables.TemplateColumn("{{ value }} #{{ row_counter }} {{ record.name }}", accessor="date_joined")
    last_login = DateTimeColumn(format="Y-m-d H:i")
    joined_on = DateColumn(accessor="date_joined")
    full = tables.Column(accessor="get_full_name", localize=True)
    kwargs_render = tables.Column(accessor="pk")
    wants_more = tables.Column(accessor="pk", empty_values=())
    delete = tables.Column(accessor="delete")  # alters data: never called, an empty cell
    missing = tables.Column(accessor="no_such_attribute")

    class Meta:
        row_attrs = {"data-pk": lambda record: record.pk}
        attrs = {"td": {"title": "<t>"}}

    def render_kwargs_render(self, value, **kwargs):
        return format_html("<b>{}</b> {}", value, kwargs["record"].name)

    def render_wants_more(self, value, unknown):
        return "never"


def users():
    unit = Unit(pk=3, name="<b>车间</b>", code="U3", path="0001", depth=1)
    when = datetime(2025, 3, 1, 16, 30, tzinfo=ZoneInfo("UTC"))
    return [
        User(pk=7, username="a&b", name='<script>"x"</script>', role="hq_cadre", unit=unit, email="", last_login=when),
        User(pk=8, username="c", name="普通", role="no-such-role", unit=None, is_active=False, date_joined=when),
        User(pk=9, username="d", name="第三", role="", unit=unit, email="d@example.com", last_login=None),
    ]


@pytest.mark.django_db
def test_column_features_outside_the_portal_tables_render_as_django_tables2_renders_them():
    table = Odd(users())
    rows = fast_rows(table)
    assert rows == reference_rows(table)
    assert "<script>" not in rows and "&lt;script&gt;" in rows
    assert 'data-pk="7"' in rows and "2025-03-02 00:30" in rows  # local time (Asia/Shanghai)


@pytest.mark.django_db
def test_dict_rows_and_an_empty_table():
    class Plain(tables.Table):
        a = tables.Column()
        b = tables.Column(attrs={"td": {"class": "text-end"}})

    table = Plain([{"a": "<i>x</i>", "b": 1234567}, {"a": None, "b": 2.5}])
    assert fast_rows(table) == reference_rows(table)
    assert fast_rows(Plain([])) == "" == reference_rows(Plain([]))


def test_date_columns_print_what_django_tables2s_date_columns_printed(settings):
    class Theirs(tables.Table):
        day = tables.DateColumn(format="Y-m-d")
        moment = tables.DateTimeColumn(format="Y-m-d H:i:s")

    class Ours(tables.Table):
        day = DateColumn(format="Y-m-d")
        moment = DateTimeColumn(format="Y-m-d H:i:s")

    data = [
        {"day": date(2024, 2, 29), "moment": datetime(2024, 12, 31, 20, 0, 5, tzinfo=ZoneInfo("UTC"))},
        {"day": None, "moment": ""},
    ]
    assert fast_rows(Ours(data)) == reference_rows(Theirs(data))
    assert list(Ours(data).as_values()) == list(Theirs(data).as_values())

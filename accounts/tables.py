import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateTimeColumn

from .models import Unit, User


class UnitTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), order_by=("path",))
    code = tables.Column()
    kind = tables.Column()
    union_name = tables.Column()
    user_count = tables.Column(verbose_name=_("Users"), attrs={"td": {"class": "text-end"}})
    is_active = tables.BooleanColumn(verbose_name=_("Active"))

    class Meta:
        model = Unit
        fields = ("name", "code", "kind", "union_name", "user_count", "is_active")
        order_by = ("name",)

    def render_name(self, record):
        indent = "\u3000" * (record.depth - 1)
        return format_html('{}<a href="{}">{}</a>', indent, record.get_absolute_url(), record.name)

    def value_name(self, record):
        return record.name


class UserTable(tables.Table):
    username = tables.Column(linkify=True)
    name = tables.Column()
    role = tables.Column()
    unit = tables.Column(order_by=("unit__path",))
    email = tables.Column()
    is_active = tables.BooleanColumn(verbose_name=_("Active"))
    last_login = DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = User
        fields = ("username", "name", "role", "unit", "email", "is_active", "last_login")

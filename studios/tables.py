import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn

from .models import NamingBatch, Studio


class StudioTable(tables.Table):
    name = tables.Column(linkify=True)
    kind = tables.Column()
    unit = tables.Column(order_by=("unit__path",))
    lead = tables.Column(order_by=("lead__name",))
    level = tables.Column()
    status = tables.Column()
    team_size = tables.Column(verbose_name=_("Team"), attrs={"td": {"class": "text-end"}})
    named_on = DateColumn(format="Y-m-d")

    class Meta:
        model = Studio
        fields = ("name", "kind", "unit", "lead", "level", "status", "team_size", "named_on")

    def render_level(self, record, value):
        if record.is_demonstration:
            return format_html('{} <span class="badge bg-warning text-dark">{}</span>', value, _("Demonstration"))
        return value

    def value_level(self, record):
        label = record.get_level_display()
        return f"{label} ({_('Demonstration')})" if record.is_demonstration else label

    def render_status(self, record, value):
        return format_html('<span class="badge status-{}">{}</span>', record.status, value)

    def value_status(self, record):
        return record.get_status_display()


class BatchTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Batch"), order_by=("year", "name"))
    year = tables.Column()
    level = tables.Column()
    document_no = tables.Column()
    publicity_start = DateColumn(format="Y-m-d")
    publicity_end = DateColumn(format="Y-m-d")
    status = tables.Column()
    studio_count = tables.Column(verbose_name=_("Studios"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = NamingBatch
        fields = ("name", "year", "level", "document_no", "publicity_start", "publicity_end", "status", "studio_count")

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn

from .models import Alliance, DesignationBatch


class AllianceTable(tables.Table):
    name = tables.Column(linkify=True)
    theme = tables.Column()
    lead_unit = tables.Column(order_by=("lead_unit__path",))
    founded_on = DateColumn(format="Y-m-d")
    status = tables.Column()
    member_count = tables.Column(verbose_name=_("Members"), attrs={"td": {"class": "text-end"}})
    activity_count = tables.Column(verbose_name=_("Activities"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Alliance
        fields = ("name", "theme", "lead_unit", "founded_on", "status", "member_count", "activity_count")

    def render_status(self, record, value):
        return format_html('<span class="badge alliance-{}">{}</span>', record.status, value)

    def value_status(self, record):
        return record.get_status_display()


class DesignationBatchTable(tables.Table):
    name = tables.Column(linkify=True)
    designated_on = DateColumn(format="Y-m-d")
    document_no = tables.Column()
    status = tables.Column()
    designation_count = tables.Column(verbose_name=_("Designations"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = DesignationBatch
        fields = ("name", "designated_on", "document_no", "status", "designation_count")

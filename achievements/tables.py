import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import WRAP, DateColumn
from core.templatetags.portal import yuan

from .models import Project, Result


class ProjectTable(tables.Table):
    title = tables.Column(linkify=True, attrs=WRAP)
    studio = tables.Column(order_by=("studio__name",), attrs=WRAP)
    kind = tables.Column()
    leader = tables.Column(order_by=("leader__name",))
    started_on = DateColumn(format="Y-m-d")
    planned_end_on = DateColumn(format="Y-m-d")
    status = tables.Column()
    result_count = tables.Column(verbose_name=_("Results"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Project
        fields = ("title", "studio", "kind", "leader", "started_on", "planned_end_on", "status", "result_count")


class ResultTable(tables.Table):
    title = tables.Column(linkify=True, attrs=WRAP)
    studio = tables.Column(order_by=("studio__name",), attrs=WRAP)
    category = tables.Column()
    achieved_on = DateColumn(format="Y-m-d")
    benefit = tables.Column(attrs={"td": {"class": "text-end"}})
    adoption_count = tables.Column(verbose_name=_("Applied at"), attrs={"td": {"class": "text-end"}})
    status = tables.Column()

    class Meta:
        model = Result
        fields = ("title", "studio", "category", "achieved_on", "benefit", "adoption_count", "status")

    def render_benefit(self, value):
        return yuan(value)

    def value_benefit(self, value):
        return float(value) if value is not None else ""

    def render_status(self, record, value):
        return format_html('<span class="badge result-{}">{}</span>', record.status, value)

    def value_status(self, record):
        return record.get_status_display()
